package io.codesous.invoker;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.runtime.JsRuntime;
import io.codesous.spec.message.CancelRequest;
import io.codesous.spec.message.MalformedMessageException;
import io.codesous.spec.message.Topics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Consumes {@link Topics#CANCEL} in a consumer group of this invoker's own, so every invoker hears every cancel,
 * and stops the named activation when it runs in this invoker's sandbox. A cancel that names another invoker is
 * skipped; one that names none reaches the runtime, which stops only an activation of that id, tenant and namespace
 * that it is running now. The sandbox stops at once (its context is closed with cancellation, like at a timeout) and
 * the activation is recorded {@code cancelled} by the usual path. An activation claimed here that still waits for a
 * sandbox worker is noted in {@link PendingCancels} and never enters the sandbox; one that is entering it (the
 * runtime does not list it yet) is asked again every {@value #ENTERING_RETRY_MS} ms for up to
 * {@value #ENTERING_RETRIES} times, the moment between leaving the queue of workers and the runtime's registration. Every message is acknowledged: a cancel is a
 * request, and one that finds nothing to stop here is done.
 */
final class CancelListener {

  private static final Logger LOG = LoggerFactory.getLogger(CancelListener.class);
  private static final int MAX_IN_FLIGHT = 16;
  static final long ENTERING_RETRY_MS = 20;
  static final int ENTERING_RETRIES = 50;

  private final Vertx vertx;
  private final CodeQ codeq;
  private final JsRuntime runtime;
  private final PendingCancels pending;
  private final String invokerId;
  private CodeQSubscription subscription;

  CancelListener(Vertx vertx, CodeQ codeq, JsRuntime runtime, PendingCancels pending, String invokerId) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.pending = Objects.requireNonNull(pending, "pending");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.invokerId = Objects.requireNonNull(invokerId, "invokerId");
  }

  /** The consumer group of one invoker: one per invoker, never shared. */
  static String group(String invokerId) {
    return "invoker-cancel-" + invokerId;
  }

  Future<Void> start() {
    return codeq.subscribe(new SubscribeOptions().setTopic(Topics.CANCEL).setGroup(group(invokerId))
            .setMaxInFlight(MAX_IN_FLIGHT), this::onMessage)
        .onSuccess(s -> subscription = s)
        .mapEmpty();
  }

  Future<Void> stop() {
    return subscription == null ? Future.succeededFuture() : subscription.close();
  }

  private void onMessage(CodeQMessage message) {
    message.ack();
    CancelRequest cancel;
    try {
      cancel = CancelRequest.decode(message.payload());
    } catch (MalformedMessageException bad) {
      LOG.warn("ignoring a {} message: {}", message.topic(), bad.getMessage());
      return;
    }
    if (cancel.invokerId() != null && !cancel.invokerId().equals(invokerId)) {
      return;
    }
    if (runtime.cancel(cancel.tenant(), cancel.namespace(), cancel.activationId())) {
      LOG.info("activation {} of {}/{} cancelled ({})", cancel.activationId(), cancel.tenant(), cancel.namespace(),
          cancel.source());
      return;
    }
    PendingCancels.State state = pending.cancel(cancel.tenant(), cancel.namespace(), cancel.activationId());
    if (state == PendingCancels.State.CANCELLED) {
      LOG.info("activation {} of {}/{} cancelled before it reached the sandbox ({})", cancel.activationId(),
          cancel.tenant(), cancel.namespace(), cancel.source());
    } else if (state == PendingCancels.State.IN_SANDBOX) {
      retry(cancel, ENTERING_RETRIES);
    }
  }

  private void retry(CancelRequest cancel, int left) {
    vertx.setTimer(ENTERING_RETRY_MS, t -> {
      if (pending.state(cancel.tenant(), cancel.namespace(), cancel.activationId()) != PendingCancels.State.IN_SANDBOX) {
        return;
      }
      if (runtime.cancel(cancel.tenant(), cancel.namespace(), cancel.activationId())) {
        LOG.info("activation {} of {}/{} cancelled as it entered the sandbox ({})", cancel.activationId(),
            cancel.tenant(), cancel.namespace(), cancel.source());
      } else if (left > 1) {
        retry(cancel, left - 1);
      }
    });
  }
}
