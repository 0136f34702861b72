package io.codesous.invoker;

import io.codesous.auth.Principal;
import io.codesous.auth.authz.Authorizer;
import io.codesous.auth.authz.Decision;
import io.codesous.auth.authz.Resource;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.store.VersionMeta;

import java.util.Objects;
import java.util.Optional;

/**
 * Whether a request's principal may run a version. The gateway checked HTTP callers before publishing;
 * requests of other triggers come from platform services (scheduler, Cadence poller) and are checked here,
 * where the version's role lists are known. HTTP requests are checked again: a request on the queue is only as
 * trustworthy as whoever could publish it.
 */
final class InvokeCheck {

  private final Authorizer authorizer;

  InvokeCheck(Authorizer authorizer) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
  }

  /** Why the request may not run this version; empty when it may. */
  Optional<String> refusal(InvocationRequest request, VersionMeta meta) {
    String trigger = request.trigger().type();
    Principal principal;
    try {
      principal = request.principal() == null ? null : Principal.fromJson(request.principal());
    } catch (RuntimeException malformed) {
      principal = null;
    }
    if (principal == null) {
      return Optional.of("the " + trigger + " invocation carries no principal");
    }
    if (io.codesous.spec.message.Trigger.HTTP.equals(trigger) && meta.manifest().publicOnWeb()
        && principal.tenant().equals(request.tenant())) {
      // a public version's web calls need no role: the gateway let anyone in, as the manifest asks
      return Optional.empty();
    }
    Decision decision = authorizer.checkInvoke(principal, request.tenant(),
        Resource.function(request.namespace(), request.function()), meta.manifest().invokeRoles(trigger));
    return decision.allowed() ? Optional.empty()
        : Optional.of("principal " + principal.subject() + " may not invoke this version through " + trigger);
  }
}
