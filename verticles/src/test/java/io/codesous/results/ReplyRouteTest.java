package io.codesous.results;

import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyRouteTest {

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** Stands for an HTTP verticle instance: opens its route on its own event loop, as a gateway does. */
  private static final class Holder extends VerticleBase {
    ReplyRoute route;
    Context loop;

    @Override
    public Future<?> start() {
      loop = context;
      return ReplyRoute.open(vertx, "gw-test-" + deploymentID()).onSuccess(opened -> route = opened);
    }
  }

  private static InvocationResult result(String route, String activationId) {
    return new InvocationResult(activationId, "req-1", route, "acme", "default", "fn", 1, ActivationStatus.SUCCESS,
        new JsonObject().put("statusCode", 200).put("headers", new JsonObject()).put("body", "ok")
            .put("isBase64Encoded", false), null, 1, 2);
  }

  private Holder deployHolder() throws Exception {
    Holder holder = new Holder();
    vertx.deployVerticle(holder).await(20, TimeUnit.SECONDS);
    return holder;
  }

  /** Runs {@code work} on {@code context} and hands back what it returned. */
  private static <T> T on(Context context, java.util.concurrent.Callable<T> work) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        done.complete(work.call());
      } catch (Throwable e) {
        done.completeExceptionally(e);
      }
    });
    return done.get(20, TimeUnit.SECONDS);
  }

  @Test
  void aResultSentFromAnotherThreadCompletesItsWaiterOnTheLoopThatServesTheRequest() throws Exception {
    Holder holder = deployHolder();
    CompletableFuture<Context> completedOn = new CompletableFuture<>();
    CompletableFuture<Thread> completedThread = new CompletableFuture<>();
    Thread loopThread = on(holder.loop, () -> {
      holder.route.register("act-00000001", 20_000).onComplete(ar -> {
        completedOn.complete(Vertx.currentContext());
        completedThread.complete(Thread.currentThread());
      });
      return Thread.currentThread();
    });

    // the invoker's side: a worker thread of another deployment sends the result point to point
    vertx.deployVerticle(new VerticleBase() {
      @Override
      public Future<?> start() {
        vertx.eventBus().send(Topics.reply(holder.route.route()),
            MessageCodec.encode(result(holder.route.route(), "act-00000001")));
        return Future.succeededFuture();
      }
    }, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)).await(20, TimeUnit.SECONDS);

    assertTrue(completedOn.get(20, TimeUnit.SECONDS).isEventLoopContext(), "completed on an event loop");
    assertSame(loopThread, completedThread.get(20, TimeUnit.SECONDS), "completed on the registering event loop");
  }

  @Test
  void eachRouteReceivesOnlyTheResultsSentToIt() throws Exception {
    Holder first = deployHolder();
    Holder second = deployHolder();
    Future<Optional<InvocationResult>> firstWaits = on(first.loop, () -> first.route.register("act-00000002", 20_000));
    Future<Optional<InvocationResult>> secondWaits = on(second.loop, () -> second.route.register("act-00000002", 300));
    vertx.eventBus().send(Topics.reply(first.route.route()),
        MessageCodec.encode(result(first.route.route(), "act-00000002")));
    assertEquals("act-00000002", firstWaits.await(20, TimeUnit.SECONDS).orElseThrow().activationId());
    assertTrue(secondWaits.await(20, TimeUnit.SECONDS).isEmpty(), "the other route's waiter saw nothing");
  }

  @Test
  void aWaiterRegisteredFromAnotherThreadIsRefused() throws Exception {
    Holder holder = deployHolder();
    Throwable refused = vertx.executeBlocking(() -> holder.route.register("act-00000003", 1_000))
        .transform(ar -> Future.succeededFuture(ar.cause())).await(20, TimeUnit.SECONDS);
    assertInstanceOf(IllegalStateException.class, refused);
  }

  @Test
  void closingAnswersEveryWaiterAsPending() throws Exception {
    Holder holder = deployHolder();
    Future<Optional<InvocationResult>> waits = on(holder.loop, () -> holder.route.register("act-00000004", 60_000));
    Promise<Void> closed = Promise.promise();
    holder.loop.runOnContext(v -> holder.route.close().onComplete(closed));
    closed.future().await(20, TimeUnit.SECONDS);
    assertEquals(Optional.empty(), waits.await(20, TimeUnit.SECONDS));
  }

  @Test
  void waitersRunOutInTheOrderOfTheirDeadlinesAndNoneBeforeItsWait() throws Exception {
    Holder holder = deployHolder();
    List<String> order = new CopyOnWriteArrayList<>();
    Map<String, Long> waited = new ConcurrentHashMap<>();
    long began = System.nanoTime();
    Future<Void> all = on(holder.loop, () -> Future.all(
        holder.route.register("act-long", 600).onComplete(ar -> ranOut(order, waited, "act-long", began)),
        holder.route.register("act-short", 150).onComplete(ar -> ranOut(order, waited, "act-short", began)),
        holder.route.register("act-middle", 300).onComplete(ar -> ranOut(order, waited, "act-middle", began)))
        .mapEmpty());
    all.await(20, TimeUnit.SECONDS);
    assertEquals(List.of("act-short", "act-middle", "act-long"), order);
    assertTrue(waited.get("act-short") >= 150, "the 150 ms wait ran out after " + waited.get("act-short") + " ms");
    assertTrue(waited.get("act-middle") >= 300, "the 300 ms wait ran out after " + waited.get("act-middle") + " ms");
    assertTrue(waited.get("act-long") >= 600, "the 600 ms wait ran out after " + waited.get("act-long") + " ms");
  }

  private static void ranOut(List<String> order, Map<String, Long> waited, String id, long began) {
    order.add(id);
    waited.put(id, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began));
  }

  @Test
  void aResultOrACancelTakesOneWaiterOutAndLeavesTheOthersTheirDeadlines() throws Exception {
    Holder holder = deployHolder();
    List<Future<Optional<InvocationResult>>> waits = on(holder.loop, () -> List.of(
        holder.route.register("act-00000010", 250),
        holder.route.register("act-00000011", 250),
        holder.route.register("act-00000012", 250)));
    on(holder.loop, () -> {
      holder.route.cancel("act-00000011");
      return null;
    });
    vertx.eventBus().send(Topics.reply(holder.route.route()),
        MessageCodec.encode(result(holder.route.route(), "act-00000010")));

    assertEquals("act-00000010", waits.get(0).await(20, TimeUnit.SECONDS).orElseThrow().activationId());
    assertEquals(Optional.empty(), waits.get(2).await(20, TimeUnit.SECONDS), "the third waiter ran out");
    // the cancelled waiter is never answered, not even when its deadline has long passed
    Thread.sleep(300);
    assertFalse(waits.get(1).isComplete(), "the cancelled waiter was answered");
  }

  @Test
  void registeringAnIdAgainAnswersTheEarlierRegistrationAsRunOutAndTheResultGoesToTheLater() throws Exception {
    Holder holder = deployHolder();
    Future<Optional<InvocationResult>> first = on(holder.loop, () -> holder.route.register("act-00000020", 60_000));
    Future<Optional<InvocationResult>> second = on(holder.loop, () -> holder.route.register("act-00000020", 60_000));
    assertEquals(Optional.empty(), first.await(20, TimeUnit.SECONDS));
    vertx.eventBus().send(Topics.reply(holder.route.route()),
        MessageCodec.encode(result(holder.route.route(), "act-00000020")));
    assertEquals("act-00000020", second.await(20, TimeUnit.SECONDS).orElseThrow().activationId());
  }

  @Test
  void aWaiterThatRanOutCanWaitAgainFromItsOwnCallbackAndRunsOutAgain() throws Exception {
    Holder holder = deployHolder();
    CompletableFuture<Optional<InvocationResult>> again = new CompletableFuture<>();
    CompletableFuture<Context> answeredOn = new CompletableFuture<>();
    on(holder.loop, () -> holder.route.register("act-00000030", 50).onComplete(ranOut -> {
      answeredOn.complete(Vertx.currentContext());
      holder.route.register("act-00000030", 50).onComplete(ar -> again.complete(ar.result()));
    }));
    assertEquals(Optional.empty(), again.get(20, TimeUnit.SECONDS));
    // answered on the route's own context, not on the duplicate of whichever request armed the timer
    assertSame(holder.loop, answeredOn.get(20, TimeUnit.SECONDS));
  }

  @Test
  void aSupersededWaiterThatRegistersItsIdAgainFromItsCallbackGetsTheResult() throws Exception {
    Holder holder = deployHolder();
    CompletableFuture<Future<Optional<InvocationResult>>> third = new CompletableFuture<>();
    Future<Optional<InvocationResult>> second = on(holder.loop, () -> {
      holder.route.register("act-00000040", 60_000).onComplete(superseded ->
          third.complete(holder.route.register("act-00000040", 60_000)));
      return holder.route.register("act-00000040", 60_000);
    });
    assertEquals(Optional.empty(), second.await(20, TimeUnit.SECONDS), "the second was superseded by the third");
    vertx.eventBus().send(Topics.reply(holder.route.route()),
        MessageCodec.encode(result(holder.route.route(), "act-00000040")));
    assertEquals("act-00000040",
        third.get(20, TimeUnit.SECONDS).await(20, TimeUnit.SECONDS).orElseThrow().activationId());
  }
}
