package io.codesous.http;

import io.codesous.auth.Principal;
import io.codesous.observe.AuthMeters;
import io.codesous.auth.audit.AuditEvent;
import io.codesous.auth.audit.AuditSink;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Authorizer;
import io.codesous.auth.authz.Decision;
import io.codesous.auth.authz.InvokeRoles;
import io.codesous.auth.authz.Resource;
import io.codesous.spec.error.ErrorBody;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;

/**
 * Authorization and audit for the HTTP routes, in one place: a denial becomes the catalog's answer and every
 * control-plane mutation, allowed or not, becomes exactly one audit event.
 *
 * <p>A principal of another tenant gets {@code CS_NOT_FOUND} with the message the route gives for a resource that
 * does not exist, so whether the tenant or the resource exists never shows. A principal of the tenant whose roles
 * do not grant the action gets {@code CS_FORBIDDEN}.
 */
public final class AccessControl {

  private static final Logger LOG = LoggerFactory.getLogger(AccessControl.class);

  private final Authorizer authorizer;
  private final AuditSink audit;
  private final AuthMeters meters;

  public AccessControl(Authorizer authorizer, AuditSink audit) {
    this(authorizer, audit, AuthMeters.NONE);
  }

  public AccessControl(Authorizer authorizer, AuditSink audit, AuthMeters meters) {
    this.authorizer = Objects.requireNonNull(authorizer, "authorizer");
    this.audit = Objects.requireNonNull(audit, "audit");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  /**
   * @param notFound what the route calls its resource when it does not exist (for {@link CsException#notFound})
   * @throws CsException {@code CS_NOT_FOUND} or {@code CS_FORBIDDEN} when the principal may not
   */
  public void require(Principal principal, String tenant, Resource resource, Action action, String notFound) {
    Decision decision = authorizer.check(principal, tenant, resource, action);
    if (!decision.allowed()) {
      meters.forbidden();
    }
    enforce(decision, principal, action, notFound);
  }

  /**
   * Whether the principal may invoke a version through a trigger whose role list is {@code versionRoles}: the
   * tenant and {@code function:invoke} were checked by {@link #require}; this is the version's narrowing.
   *
   * @throws CsException {@code CS_FORBIDDEN} when none of the principal's roles is listed
   */
  public static void requireInvokeRole(Principal principal, List<String> versionRoles, String trigger) {
    if (!InvokeRoles.allowed(principal, versionRoles)) {
      throw new CsException(ErrorCode.CS_FORBIDDEN,
          "this version may be invoked through " + trigger + " only by the roles its manifest lists");
    }
  }

  private static void enforce(Decision decision, Principal principal, Action action, String notFound) {
    if (decision.allowed()) {
      return;
    }
    LOG.debug("denied {} to {}: {}", action.id(), principal.subject(), decision.detail());
    if (decision.reason() == Decision.Reason.NOT_FOUND_OR_FORBIDDEN) {
      throw CsException.notFound(notFound);
    }
    throw new CsException(ErrorCode.CS_FORBIDDEN, "the token's roles do not allow " + action.id());
  }

  /**
   * Records how a request ended when its action changes something; reads are not audited. Completes when the sink
   * has the event, and never fails: a sink outage is logged, it does not undo or fail the request.
   *
   * @param failure {@code null} when the request succeeded
   */
  public Future<Void> audit(Principal principal, String tenant, Action action, Resource resource, String requestId,
                            Throwable failure) {
    if (action.isReadOnly()) {
      return Future.succeededFuture();
    }
    AuditEvent event = failure == null
        ? AuditEvent.success(principal, tenant, action, resource, requestId)
        : AuditEvent.failure(principal, tenant, action, resource, requestId, ErrorBody.classify(failure).code().name());
    return audit.emit(event).recover(sinkFailure -> {
      LOG.error("audit event for request {} ({} {}) could not be written", requestId, action.id(),
          resource == null ? "" : resource.path(), sinkFailure);
      return Future.succeededFuture();
    });
  }
}
