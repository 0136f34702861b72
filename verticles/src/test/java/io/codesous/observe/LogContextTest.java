package io.codesous.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ids of one unit of work follow its callbacks and reach no other work of the same event loop. */
class LogContextTest {

  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void idsSetForOneActivationFollowItsCallbacksButNotTheLoopsOtherWork() throws Exception {
    Context loop = vertx.getOrCreateContext();
    CompletableFuture<Map<String, String>> inItsTimer = new CompletableFuture<>();
    CompletableFuture<Map<String, String>> inAnotherActivation = new CompletableFuture<>();
    CompletableFuture<Map<String, String>> onTheLoopItself = new CompletableFuture<>();
    loop.runOnContext(v -> {
      LogContext.runIsolated(loop, () -> {
        LogContext.put(LogContext.ACTIVATION_ID, "act-1");
        vertx.setTimer(10, t -> inItsTimer.complete(Map.copyOf(LogContext.current())));
      });
      LogContext.runIsolated(loop, () -> inAnotherActivation.complete(Map.copyOf(LogContext.current())));
      loop.runOnContext(x -> {
        LogContext.put(LogContext.ACTIVATION_ID, "not kept outside a unit of work");
        onTheLoopItself.complete(Map.copyOf(LogContext.current()));
      });
    });

    assertEquals(Map.of(LogContext.ACTIVATION_ID, "act-1"), inItsTimer.get(10, TimeUnit.SECONDS));
    assertEquals(Map.of(), inAnotherActivation.get(10, TimeUnit.SECONDS));
    assertEquals(Map.of(), onTheLoopItself.get(10, TimeUnit.SECONDS));
  }
}
