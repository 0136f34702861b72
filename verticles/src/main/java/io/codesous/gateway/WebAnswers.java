package io.codesous.gateway;

import io.codesous.auth.Principal;
import io.codesous.http.HttpErrors;
import io.codesous.http.RequestIds;
import io.codesous.observe.InvokeMeters;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.ActivationStore;
import io.codesous.store.VersionMeta;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * What the gateway answers a web call with: the function's response, the error its activation ended with, or 202
 * {@code CS_RESULT_PENDING} naming where to read the activation; and how each invoke ended, for the meters.
 */
final class WebAnswers {

  /** Where the handling of a request leaves how its invoke ended, for {@code cs_invoke_duration_seconds}. */
  static final String OUTCOME = "cs.invoke.outcome";

  private final ActivationStore activations;
  private final String route;
  private final LongSupplier clockMs;

  WebAnswers(ActivationStore activations, String route, LongSupplier clockMs) {
    this.activations = activations;
    this.route = route;
    this.clockMs = clockMs;
  }

  /** How the invoke ended: as its answer said, else refused (4xx) or not served (5xx) before it was queued. */
  static String outcome(RoutingContext ctx) {
    String outcome = ctx.get(OUTCOME);
    if (outcome != null) {
      return outcome;
    }
    return ctx.response().getStatusCode() < 500 ? InvokeMeters.REJECTED : InvokeMeters.UNAVAILABLE;
  }

  /** The answer for a repeated call: the earlier activation's result if it ended, else 202; nothing is run. */
  Future<Void> earlier(RoutingContext ctx, String requestId, Principal principal, String tenant,
                               String namespace, String function, String rawRef, VersionMeta meta,
                               String activationId) {
    long now = clockMs.getAsLong();
    InvocationRequest request = new InvocationRequest(activationId, requestId, tenant, namespace, function, rawRef,
        meta.version(), new Trigger(Trigger.HTTP, new JsonObject()), principal.toJson(), new JsonObject(), now,
        meta.manifest().limits().timeoutMs(), route, null, null, now, 1);
    ctx.response().putHeader(Gateway.ACTIVATION_HEADER, activationId);
    ctx.response().putHeader("idempotent-replayed", "true");
    return activations.get(tenant, namespace, activationId)
        .map(record -> Optional.of(record))
        .recover(missing -> Future.succeededFuture(Optional.empty()))
        .compose(record -> record.isPresent() && record.get().status().terminal()
            ? answer(ctx, record.get().toResult(request))
            : pending(ctx, request, "the activation is still running; read activation " + activationId));
  }

  Future<Void> answer(RoutingContext ctx, InvocationResult result) {
    ctx.put(OUTCOME, result.status() == ActivationStatus.SUCCESS ? InvokeMeters.SUCCESS : InvokeMeters.FUNCTION_ERROR);
    WebAnswer.of(result, ResponseHeaderRules.of(ctx, result.tenant(), result.namespace(), result.function()),
        RequestIds.of(ctx)).writeTo(ctx.response());
    return Future.succeededFuture();
  }

  Future<Void> pending(RoutingContext ctx, InvocationRequest request, String message) {
    ctx.put(OUTCOME, InvokeMeters.PENDING);
    // make the id we hand out readable at once, even if no invoker has taken the request yet
    return activations.markQueued(request).recover(failure -> Future.succeededFuture(false)).map(marked -> {
      String location = "/v1/tenants/" + request.tenant() + "/namespaces/" + request.namespace()
          + "/activations/" + request.activationId();
      ctx.response().putHeader("location", location);
      HttpErrors.send(ctx, new CsException(ErrorCode.CS_RESULT_PENDING, message,
          new JsonObject().put("activation_id", request.activationId()).put("wait_url", location + "?wait=30s")));
      return null;
    });
  }
}
