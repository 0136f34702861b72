package io.codesous.kv.redis;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.kv.KvConflictException;
import io.codesous.kv.KvException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;

/** The channel against a scripted stand-in for the client: timeouts, backoff, translation. */
class CommandChannelTest {

  private static final long TIMEOUT_MS = 50;

  private final AtomicLong clockMs = new AtomicLong(1_000);
  private final ReconnectBackoff backoff = new ReconnectBackoff(100, 1_000, clockMs::get);
  private final ScriptedRedis redis = new ScriptedRedis();
  private final CommandChannel channel = new CommandChannel(redis, TIMEOUT_MS, backoff);

  @Test
  void aCommandWithoutAnswerTimesOutNamingCommandAndKey() {
    redis.answers.add(() -> Promise.<Response>promise().future());
    KvException failure = awaitFailure(get("cs:k"), KvException.class);
    assertTrue(failure.getMessage().contains("GET cs:k"), failure.getMessage());
    assertTrue(failure.getMessage().contains("timed out after 50 ms"), failure.getMessage());
  }

  @Test
  void anUnreachableServerMakesLaterCallsFailFastUntilTheBackoffPasses() {
    redis.answers.add(() -> Future.failedFuture(new ConnectException("Connection refused")));
    KvException first = awaitFailure(get("cs:k"), KvException.class);
    assertTrue(first.getMessage().contains("Connection refused"), first.getMessage());

    KvException refused = awaitFailure(get("cs:k"), KvException.class);
    assertTrue(refused.getMessage().contains("not sent"), refused.getMessage());
    assertEquals(1, redis.sent.size(), "the second call never reached the client");

    clockMs.addAndGet(100);
    redis.answers.add(() -> Future.succeededFuture(null));
    assertNull(await(get("cs:k")));
    assertEquals(2, redis.sent.size());
    assertNull(backoff.refusal(), "an answer closes the backoff");
  }

  @Test
  void errorRepliesAndPoolOverloadDoNotStartABackoff() {
    redis.answers.add(() -> Future.failedFuture(ErrorType.create("ERR something")));
    redis.answers.add(() -> Future.failedFuture(new ConnectionPoolTooBusyException("full")));
    awaitFailure(get("cs:k"), KvException.class);
    awaitFailure(get("cs:k"), KvException.class);
    assertNull(backoff.refusal());
  }

  @Test
  void scriptErrorRepliesBecomeThePortsExceptions() {
    assertTranslated("CS_CONFLICT cs:item:4", KvConflictException.class, "cs:item:4");
    assertTranslated("CS_WRONGTYPE cs:index", KvException.class, "cs:index");
    assertTranslated("CS_NOT_INTEGER cs:counter", KvException.class, "not an integer: cs:counter");
    assertTranslated("CS_OVERFLOW cs:counter", KvException.class, "overflow: cs:counter");
    assertTranslated("NOSCRIPT No matching script", ScriptNotLoadedException.class, "NOSCRIPT");
    assertTranslated(
        "WRONGTYPE Operation against a key holding the wrong kind of value",
        KvException.class,
        "cs:k");
    assertTranslated("ERR value is not an integer or out of range", KvException.class, "cs:k");
    assertTranslated("LOADING Redis is loading", KvException.class, "LOADING");
  }

  @Test
  void conflictKeyIsTheWholeRestOfTheReply() {
    redis.answers.add(() -> Future.failedFuture(ErrorType.create("CS_CONFLICT cs:a b:c")));
    KvConflictException conflict = awaitFailure(get("cs:k"), KvConflictException.class);
    assertEquals("cs:a b:c", conflict.key());
  }

  @Test
  void aClientThatThrowsFailsTheFuture() {
    redis.answers.add(() -> {
      throw new IllegalStateException("client is closed");
    });
    KvException failure = awaitFailure(get("cs:k"), KvException.class);
    assertTrue(failure.getMessage().contains("client is closed"), failure.getMessage());
    assertFalse(failure instanceof KvConflictException);
  }

  private void assertTranslated(String reply, Class<? extends KvException> type, String mention) {
    redis.answers.add(() -> Future.failedFuture(ErrorType.create(reply)));
    KvException failure = awaitFailure(get("cs:k"), type);
    assertTrue(failure.getMessage().contains(mention), failure.getMessage());
  }

  private Future<Response> get(String key) {
    return channel.send(Request.cmd(Command.GET).arg(key), key);
  }

  /** Answers each {@link #send} with the next scripted answer. */
  private static final class ScriptedRedis implements Redis {

    final Deque<Supplier<Future<Response>>> answers = new ArrayDeque<>();
    final List<Request> sent = new ArrayList<>();

    @Override
    public Future<Response> send(Request request) {
      sent.add(request);
      return answers.removeFirst().get();
    }

    @Override
    public Future<RedisConnection> connect() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Future<Void> close() {
      return Future.succeededFuture();
    }

    @Override
    public Future<List<Response>> batch(List<Request> requests) {
      throw new UnsupportedOperationException();
    }
  }
}
