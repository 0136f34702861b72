package io.codesous.control;

import io.codesous.auth.authz.Action;
import io.codesous.codeq.CodeQ;
import io.codesous.control.ControlCalls.Target;
import io.codesous.http.AccessControl;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.CancelRequest;
import io.codesous.spec.message.Topics;
import io.codesous.store.ActivationStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * {@code POST /v1/tenants/{tenant}/namespaces/{namespace}/activations/{id}/cancel}, for an activation of any trigger:
 * authorized as {@code activation:cancel} and audited. An activation that is queued or running gets a
 * {@code cs.cancel.v1} message naming the invoker of its running attempt, and the answer is {@code 202}; that
 * invoker stops its sandbox and the activation ends {@code cancelled} ({@code CS_CANCELLED}). An activation that
 * has already ended is left as it is: {@code 409 CS_CONFLICT} with {@code details.status}.
 */
public class ActivationCancelApi {

  private final ActivationStore activations;
  private final CodeQ codeq;
  private final ControlCalls calls;
  private final LongSupplier clockMs;

  public ActivationCancelApi(ActivationStore activations, CodeQ codeq, AccessControl access,
                             LongSupplier clockMs) {
    this.activations = Objects.requireNonNull(activations, "activations");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.calls = new ControlCalls(access);
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
  }

  public void mount(Router router) {
    router.post(ControlApi.BASE + "/activations/:id/cancel").handler(this::cancel);
  }

  private void cancel(RoutingContext ctx) {
    calls.run(ctx, 202, Action.ACTIVATION_CANCEL, Target::activation, s -> {
      String id = s.resource().name();
      return activations.get(s.tenant(), s.namespace(), id).compose(record -> {
        if (record.status().terminal()) {
          return Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT,
              "activation " + id + " already ended " + record.status().wire(),
              new JsonObject().put("status", record.status().wire())));
        }
        CancelRequest cancel = new CancelRequest(s.tenant(), s.namespace(), id, record.attemptInvoker(),
            CancelRequest.SOURCE_API, clockMs.getAsLong());
        return codeq.publish(Topics.CANCEL, id, cancel.encode())
            .map(v -> new JsonObject().put("activation_id", id).put("status", record.status().wire())
                .put("cancel_requested", true));
      });
    });
  }
}
