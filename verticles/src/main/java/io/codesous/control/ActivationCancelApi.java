package io.codesous.control;

import io.codesous.auth.authz.Action;
import io.codesous.codeq.CodeQ;
import io.codesous.control.ControlCalls.Target;
import io.codesous.http.AccessControl;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.CancelRequest;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.store.QueuedCancels;
import io.codesous.store.QueuedCancels.Found;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * {@code POST /v1/tenants/{tenant}/namespaces/{namespace}/activations/{id}/cancel}, for an activation of any trigger:
 * authorized as {@code activation:cancel} and audited. An activation no invoker has claimed yet (queued, or a Cadence
 * task waiting in the queue) ends {@code cancelled} at once ({@link QueuedCancels}), and the invoker that takes it
 * later does not run it. A running one gets a {@code cs.cancel.v1} message naming the invoker of its running attempt;
 * that invoker stops its sandbox (or, if the activation still waits for a sandbox worker, never starts it) and the
 * activation ends {@code cancelled} ({@code CS_CANCELLED}). Both answer {@code 202} with the status seen. An
 * activation that has already ended is left as it is: {@code 409 CS_CONFLICT} with {@code details.status}.
 */
public class ActivationCancelApi {

  private final QueuedCancels cancels;
  private final QueuedCancels.Unclaimed unclaimed;
  private final CodeQ codeq;
  private final ControlCalls calls;
  private final LongSupplier clockMs;

  /** @param unclaimed where activations waiting without a record are found (the Cadence token map) */
  public ActivationCancelApi(QueuedCancels cancels, QueuedCancels.Unclaimed unclaimed, CodeQ codeq,
                             AccessControl access, LongSupplier clockMs) {
    this.cancels = Objects.requireNonNull(cancels, "cancels");
    this.unclaimed = Objects.requireNonNull(unclaimed, "unclaimed");
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
      return cancels.cancel(s.tenant(), s.namespace(), id, unclaimed).compose(found -> {
        if (found instanceof Found.Missing) {
          return Future.failedFuture(CsException.notFound("activation " + id));
        }
        if (found instanceof Found.Ended ended) {
          String status = ended.record().status().wire();
          return Future.failedFuture(new CsException(ErrorCode.CS_CONFLICT,
              "activation " + id + " already ended " + status, new JsonObject().put("status", status)));
        }
        if (found instanceof Found.Cancelled cancelled) {
          return Future.succeededFuture(answer(id, cancelled.record()));
        }
        ActivationRecord running = ((Found.Running) found).record();
        CancelRequest cancel = new CancelRequest(s.tenant(), s.namespace(), id, running.attemptInvoker(),
            CancelRequest.SOURCE_API, clockMs.getAsLong());
        return codeq.publish(Topics.CANCEL, id, cancel.encode()).map(v -> answer(id, running));
      });
    });
  }

  private static JsonObject answer(String id, ActivationRecord record) {
    return new JsonObject().put("activation_id", id).put("status", record.status().wire())
        .put("cancel_requested", true);
  }
}
