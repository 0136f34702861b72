package io.codesous.codeq;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.codesous.testsupport.Await;
import io.vertx.core.Handler;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A subscription handler that records deliveries for a test thread to take, in arrival order.
 * One inbox may serve several subscriptions.
 */
public final class Inbox implements Handler<CodeQMessage> {

  private final boolean ackOnArrival;
  private final BlockingQueue<CodeQMessage> arrived = new LinkedBlockingQueue<>();
  private final ConcurrentLinkedQueue<Throwable> ackFailures = new ConcurrentLinkedQueue<>();

  private Inbox(boolean ackOnArrival) {
    this.ackOnArrival = ackOnArrival;
  }

  /** Acknowledges every message as it arrives. */
  public static Inbox acking() {
    return new Inbox(true);
  }

  /** Leaves acknowledging and releasing to the test. */
  public static Inbox holding() {
    return new Inbox(false);
  }

  @Override
  public void handle(CodeQMessage message) {
    if (ackOnArrival) {
      message.ack().onFailure(ackFailures::add);
    }
    arrived.add(message);
  }

  /** Waits (bounded) for the next delivery. */
  public CodeQMessage next() throws InterruptedException {
    CodeQMessage message = arrived.poll(Await.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(ackFailures.isEmpty(), () -> "acknowledging failed: " + ackFailures);
    if (message == null) {
      fail("no message arrived within " + Await.TIMEOUT);
    }
    return message;
  }

  public List<CodeQMessage> next(int count) throws InterruptedException {
    List<CodeQMessage> messages = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      messages.add(next());
    }
    return messages;
  }

  /**
   * Asserts that no further delivery shows up during {@code quiet}. A slow machine can only make
   * this miss an extra delivery, never fail a correct queue.
   */
  public void assertNothingMoreWithin(Duration quiet) throws InterruptedException {
    CodeQMessage extra = arrived.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
    if (extra != null) {
      fail("unexpected delivery of '" + text(extra) + "' (attempt " + extra.deliveryAttempt() + ")");
    }
    assertTrue(ackFailures.isEmpty(), () -> "acknowledging failed: " + ackFailures);
  }

  public static String text(CodeQMessage message) {
    return message.payload().toString(StandardCharsets.UTF_8);
  }

  public static List<String> texts(List<CodeQMessage> messages) {
    List<String> texts = new ArrayList<>(messages.size());
    for (CodeQMessage message : messages) {
      texts.add(text(message));
    }
    return texts;
  }
}
