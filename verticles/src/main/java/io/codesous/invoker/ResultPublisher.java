package io.codesous.invoker;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.TypedMessage;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.ResultDelivery;
import io.codesous.spec.message.Topics;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;

import java.util.Objects;

/**
 * Sends a result where its consumers read it. The caller waiting for it, if any, gets its copy point to point
 * on its reply route ({@link Topics#reply}) at once — the terminal record is already stored, so it may answer;
 * the durable copy goes to {@link Topics#RESULTS} for every other consumer. The returned future completes
 * once the durable copy is accepted (the request may then be acknowledged) and fails with
 * {@code CS_UNAVAILABLE} when the queue refuses it, so the request is delivered again.
 */
final class ResultPublisher {

  private final EventBus eventBus;
  private final CodeQ codeq;

  ResultPublisher(EventBus eventBus, CodeQ codeq) {
    this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    ResultDelivery.register(eventBus);
  }

  Future<Void> publish(InvocationResult result) {
    if (result.replyTo() != null) {
      eventBus.send(Topics.reply(result.replyTo()), result);
    }
    return codeq.publish(Topics.RESULTS, result.activationId(),
            TypedMessage.of(result, MessageCodec::encode, result.heapBytes()))
        .recover(failure -> Future.failedFuture(
            new CsException(ErrorCode.CS_UNAVAILABLE, "results queue unavailable", null, failure)));
  }
}
