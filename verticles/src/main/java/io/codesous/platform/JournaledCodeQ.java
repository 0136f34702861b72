package io.codesous.platform;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.CodeQSubscription;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.TypedMessage;
import io.codesous.kv.KvStore;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-JVM queue of an embedded server whose KV is on disk, made to outlive a crash for invocation requests.
 * The in-JVM queue dies with its process: after a {@code kill -9}, requests it had accepted (a 202 was answered)
 * would stay {@code queued} or {@code running} for ever. So every request published to {@link Topics#INVOKE} is
 * first written to the KV ({@link KvKeys#acceptedRequest}, indexed in {@link KvKeys#acceptedRegistry}), and
 * removed once an invoker acknowledged its message (it ended, or went to the dead-letter topic).
 * {@link #republishAccepted()}, run at start once the invoker subscribed, publishes what is left again, with
 * its activation id unchanged: the invoker's claim makes a second delivery of one id run at most once more
 * (after the dead attempt's lease), never twice at a time.
 *
 * <p>Order of writes, so that a crash between any two leaves nothing wrong: index member, then request, then
 * publish; at the end, request deleted, then member. A member without its request is a request that was never
 * published or already finished, and is dropped at start.
 */
final class JournaledCodeQ implements CodeQ {

  private static final Logger LOG = LoggerFactory.getLogger(JournaledCodeQ.class);

  /** How long accepted requests the queue refused at start wait before they are offered to it again. */
  static final long REFUSED_RETRY_MS = 1_000;

  private final Vertx vertx;
  private final CodeQ queue;
  private final KvStore kv;
  private final JournalForgets forgets;
  private volatile boolean stopped;

  JournaledCodeQ(Vertx vertx, CodeQ queue, KvStore kv) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.kv = Objects.requireNonNull(kv, "kv");
    this.forgets = new JournalForgets(kv, KvKeys.acceptedRegistry());
  }

  @Override
  public Future<Void> start() {
    stopped = false;
    return queue.start();
  }

  @Override
  public Future<Void> stop() {
    stopped = true;
    return queue.stop();
  }

  @Override
  public Future<Void> ping() {
    return queue.ping();
  }

  @Override
  public Future<Void> publish(String topic, String key, Buffer payload) {
    if (!Topics.INVOKE.equals(topic)) {
      return queue.publish(topic, key, payload);
    }
    InvocationRequest request;
    try {
      request = MessageCodec.decodeRequest(payload);
    } catch (RuntimeException malformed) {
      // no invoker can run it either (it goes to the dead-letter topic): nothing to keep
      return queue.publish(topic, key, payload);
    }
    return journaled(request, payload, () -> queue.publish(topic, key, payload));
  }

  /** A request published as an object is journaled as its encoding and handed on as the object. */
  @Override
  public Future<Void> publish(String topic, String key, TypedMessage message) {
    if (!Topics.INVOKE.equals(topic) || !(message.value() instanceof InvocationRequest request)) {
      return queue.publish(topic, key, message);
    }
    return journaled(request, message.encoded(), () -> queue.publish(topic, key, message));
  }

  private Future<Void> journaled(InvocationRequest request, Buffer payload, Supplier<Future<Void>> publish) {
    String member = member(request);
    String entry = KvKeys.acceptedRequest(request.tenant(), request.namespace(), request.activationId());
    return kv.indexAddThenPut(KvKeys.acceptedRegistry(), member, request.publishedAtMs(), entry, payload.toString())
        .compose(v -> publish.get()
            // refused: the caller is told so (no 202), so nothing is left to finish
            .recover(refused -> forget(request).transform(ignored -> Future.failedFuture(refused))));
  }

  @Override
  public Future<CodeQSubscription> subscribe(SubscribeOptions options, Handler<CodeQMessage> handler) {
    if (!Topics.INVOKE.equals(options.getTopic())) {
      return queue.subscribe(options, handler);
    }
    return queue.subscribe(options, message -> handler.handle(new Forgetting(message)));
  }

  @Override
  public Future<Long> lag(String topic, String group) {
    return queue.lag(topic, group);
  }

  /**
   * Publishes every accepted request that no invoker finished again, oldest first. A request that cannot be
   * decoded any more cannot be run: it is logged with its activation id and dropped (its record, if any, keeps
   * the status it had).
   *
   * @return how many were published again
   */
  Future<Integer> republishAccepted() {
    return kv.indexRange(KvKeys.acceptedRegistry(), Integer.MAX_VALUE, false).compose(this::republishEach)
        .map(outcome -> {
          if (outcome.queued() > 0) {
            LOG.info("{} accepted invocation request(s) that no invoker finished before the last stop were queued "
                + "again", outcome.queued());
          }
          if (!outcome.refused().isEmpty()) {
            LOG.warn("{} more accepted invocation request(s) did not fit the queue at start; they stay journaled and "
                + "are offered to it again every {} ms as the invoker drains it", outcome.refused().size(),
                REFUSED_RETRY_MS);
            retryLater(outcome.refused());
          }
          return outcome.queued();
        });
  }

  /** What one pass over journaled members did: how many it queued, and the members the queue refused. */
  private record Republished(int queued, List<String> refused) {
  }

  /**
   * Publishes every member's request again. The members the queue refuses (a full topic: the journal outgrew what
   * the queue takes at once, say after its bound was lowered) stay journaled; the start must not fail for them, or a
   * crash with a long backlog would keep the server from starting at all.
   */
  private Future<Republished> republishEach(List<String> members) {
    List<Future<Boolean>> each = new ArrayList<>();
    for (String member : members) {
      each.add(republish(member));
    }
    return Future.join(each).transform(ignored -> {
      int queued = 0;
      List<String> refused = new ArrayList<>();
      for (int i = 0; i < each.size(); i++) {
        if (each.get(i).failed()) {
          refused.add(members.get(i));
        } else if (each.get(i).result()) {
          queued++;
        }
      }
      return Future.succeededFuture(new Republished(queued, refused));
    });
  }

  /** Offers {@code refused} to the queue again after {@link #REFUSED_RETRY_MS}, until it took them all or stopped. */
  private void retryLater(List<String> refused) {
    vertx.setTimer(REFUSED_RETRY_MS, id -> {
      if (stopped) {
        return;
      }
      republishEach(refused).onSuccess(outcome -> {
        if (outcome.queued() > 0) {
          LOG.info("{} accepted invocation request(s) were queued again; {} still wait for room", outcome.queued(),
              outcome.refused().size());
        }
        if (!outcome.refused().isEmpty()) {
          retryLater(outcome.refused());
        }
      });
    });
  }

  private Future<Boolean> republish(String member) {
    String[] parts = member.split(":", 3);
    if (parts.length != 3) {
      return kv.indexRemove(KvKeys.acceptedRegistry(), member).map(false);
    }
    String entry = KvKeys.acceptedRequest(parts[0], parts[1], parts[2]);
    return kv.get(entry).compose(raw -> {
      if (raw == null) {
        return kv.indexRemove(KvKeys.acceptedRegistry(), member).map(false);
      }
      Buffer payload = Buffer.buffer(raw);
      try {
        MessageCodec.decodeRequest(payload);
      } catch (RuntimeException unreadable) {
        LOG.error("accepted request of activation {} (tenant {}, namespace {}) cannot be read and is dropped: {}",
            parts[2], parts[0], parts[1], unreadable.getMessage());
        return kv.delete(entry).compose(v -> kv.indexRemove(KvKeys.acceptedRegistry(), member)).map(false);
      }
      return queue.publish(Topics.INVOKE, parts[2], payload).map(true);
    });
  }

  private Future<Void> forget(InvocationRequest request) {
    return forgets.forget(KvKeys.acceptedRequest(request.tenant(), request.namespace(), request.activationId()),
        member(request));
  }

  private static String member(InvocationRequest request) {
    return request.tenant() + ":" + request.namespace() + ":" + request.activationId();
  }

  /** A delivered request whose acknowledgement also removes it from the journal. */
  private final class Forgetting implements CodeQMessage {

    private final CodeQMessage message;

    Forgetting(CodeQMessage message) {
      this.message = message;
    }

    @Override
    public String topic() {
      return message.topic();
    }

    @Override
    public String key() {
      return message.key();
    }

    @Override
    public Buffer payload() {
      return message.payload();
    }

    @Override
    public Object typed() {
      return message.typed();
    }

    @Override
    public int deliveryAttempt() {
      return message.deliveryAttempt();
    }

    @Override
    public Future<Void> ack() {
      return message.ack().compose(v -> {
        InvocationRequest request;
        try {
          request = MessageCodec.receivedRequest(message.typed(), message::payload);
        } catch (RuntimeException malformed) {
          // a malformed message was never journaled: publish() decodes before it writes
          return Future.succeededFuture();
        }
        return forget(request).recover(failed -> {
          LOG.warn("activation {} ended but stays in the accepted-request journal (it would run again after a "
              + "restart, and find its record ended): {}", request.activationId(), failed.getMessage());
          return Future.succeededFuture();
        });
      });
    }

    @Override
    public void release() {
      message.release();
    }
  }
}
