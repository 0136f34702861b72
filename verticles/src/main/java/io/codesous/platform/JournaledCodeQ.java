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
 * first written to the KV ({@link KvKeys#acceptedRequest}, one key per request, its publication time first), and
 * removed once an invoker acknowledged its message (it ended, or went to the dead-letter topic).
 * {@link #republishAccepted()}, run at start once the invoker subscribed, publishes what is left again, oldest first,
 * with its activation id unchanged: the invoker's claim makes a second delivery of one id run at most once more
 * (after the dead attempt's lease), never twice at a time.
 *
 * <p>One write per request and one removal, nothing beside them: the journal is on every activation's path. It was
 * a member of a sorted index plus the request, and the index's writes (a score key, a member key, the index's count,
 * then three removals) made the journal about two fifths of the store's work per activation in a profile of the
 * embedded server under load. The start finds the requests by walking their keys' prefix instead. Requests journaled
 * by a server of the earlier layout ({@link KvKeys#legacyAcceptedRequest}) are moved to this one at start.
 */
final class JournaledCodeQ implements CodeQ {

  private static final Logger LOG = LoggerFactory.getLogger(JournaledCodeQ.class);

  /** How long accepted requests the queue refused at start wait before they are offered to it again. */
  static final long REFUSED_RETRY_MS = 1_000;
  /** Journaled requests read from the store at a time at start. */
  private static final int PAGE = 256;

  private final Vertx vertx;
  private final CodeQ queue;
  private final KvStore kv;
  private final JournalForgets forgets;
  private volatile boolean stopped;

  JournaledCodeQ(Vertx vertx, CodeQ queue, KvStore kv) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.kv = Objects.requireNonNull(kv, "kv");
    this.forgets = new JournalForgets(kv);
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
    return kv.put(entry(request), payload.toString())
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
   * decoded any more cannot be run: it is logged with its entry and dropped (its record, if any, keeps the status it
   * had).
   *
   * @return how many were published again
   */
  Future<Integer> republishAccepted() {
    return LegacyJournal.move(kv)
        .compose(moved -> kv.keysWithPrefix(KvKeys.acceptedRequestPrefix(), Integer.MAX_VALUE))
        .compose(this::republishEach)
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

  /**
   * What a pass over journaled entries did: how many it queued, and the entries the queue refused. A start's pages
   * add to one list ({@link #and}), which is not copied per page: a long journal the queue refuses is long too.
   */
  private record Republished(int queued, List<String> refused) {

    Republished and(Republished more) {
      refused.addAll(more.refused);
      return new Republished(queued + more.queued, refused);
    }
  }

  /**
   * Publishes every entry's request again, {@link #PAGE} entries' requests read at a time so that a long journal is
   * not held in memory at once. The entries the queue refuses (a full topic: the journal outgrew what the queue takes
   * at once, say after its bound was lowered) stay journaled; the start must not fail for them, or a crash with a
   * long backlog would keep the server from starting at all.
   */
  private Future<Republished> republishEach(List<String> entries) {
    return republishFrom(entries, 0, new Republished(0, new ArrayList<>()));
  }

  private Future<Republished> republishFrom(List<String> entries, int from, Republished sofar) {
    if (from >= entries.size()) {
      return Future.succeededFuture(sofar);
    }
    List<String> page = entries.subList(from, Math.min(entries.size(), from + PAGE));
    return kv.getAll(page).compose(found -> {
      List<String> published = new ArrayList<>();
      List<Future<Boolean>> each = new ArrayList<>();
      for (String entry : page) {
        // an entry forgotten meanwhile (its activation ended) is gone: nothing to publish
        String raw = found.get(entry);
        if (raw != null) {
          published.add(entry);
          each.add(republish(entry, raw));
        }
      }
      return Future.join(each).transform(ignored -> {
        int queued = 0;
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < each.size(); i++) {
          if (each.get(i).failed()) {
            refused.add(published.get(i));
          } else if (each.get(i).result()) {
            queued++;
          }
        }
        return Future.succeededFuture(new Republished(queued, refused));
      });
    }).compose(pass -> republishFrom(entries, from + PAGE, sofar.and(pass)));
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

  /** Publishes the request journaled under {@code entry}; {@code false} when it could not be read and was dropped. */
  private Future<Boolean> republish(String entry, String raw) {
    Buffer payload = Buffer.buffer(raw);
    InvocationRequest request;
    try {
      request = MessageCodec.decodeRequest(payload);
    } catch (RuntimeException unreadable) {
      LOG.error("accepted request {} cannot be read and is dropped: {}", entry, unreadable.getMessage());
      return kv.delete(entry).map(false);
    }
    return queue.publish(Topics.INVOKE, request.activationId(), payload).map(true);
  }

  private Future<Void> forget(InvocationRequest request) {
    return forgets.forget(entry(request));
  }

  /** The journal entry of {@code request}: the one place that derives it, for writes, removals and the move. */
  static String entry(InvocationRequest request) {
    return KvKeys.acceptedRequest(request.tenant(), request.namespace(), request.publishedAtMs(),
        request.activationId());
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
