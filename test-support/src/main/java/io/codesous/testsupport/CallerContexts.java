package io.codesous.testsupport;


import static io.codesous.testsupport.Await.await;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;

import java.util.function.Supplier;

/**
 * Contexts for calling a component the way a verticle does, and what checks that its futures
 * complete back on the calling context (where a verticle's code expects to continue: its state is
 * confined to that context).
 */
public final class CallerContexts {

  private CallerContexts() {
  }

  /** Where a call was made and where its future completed. */
  public record Completion<T>(Context caller, Context completedOn, AsyncResult<T> outcome) {

    public boolean onCallersContext() {
      return completedOn == caller;
    }

    @Override
    public String toString() {
      return (outcome.succeeded() ? "succeeded" : "failed with " + outcome.cause())
          + " on " + completedOn + " for a call from " + caller;
    }
  }

  /** The context of a standard verticle: one event loop. */
  public static Context eventLoop(Vertx vertx) {
    return deployedContext(vertx, ThreadingModel.EVENT_LOOP);
  }

  /** The context of a worker verticle: ordered tasks on the worker pool. */
  public static Context worker(Vertx vertx) {
    return deployedContext(vertx, ThreadingModel.WORKER);
  }

  /**
   * Makes the call from inside {@code caller} and waits (bounded) for its future, noting the
   * context its completion handler ran on. A call that throws counts as a failed future completed
   * on the caller's context.
   */
  public static <T> Completion<T> callFrom(Context caller, Supplier<Future<T>> call) {
    Promise<Completion<T>> done = Promise.promise();
    caller.runOnContext(ignored -> {
      Future<T> future;
      try {
        future = call.get();
      } catch (RuntimeException thrown) {
        future = Future.failedFuture(thrown);
      }
      future.onComplete(outcome ->
          done.complete(new Completion<>(caller, Vertx.currentContext(), outcome)));
    });
    return await(done.future());
  }

  private static Context deployedContext(Vertx vertx, ThreadingModel model) {
    ContextHolder holder = new ContextHolder();
    await(vertx.deployVerticle(holder, new DeploymentOptions().setThreadingModel(model)));
    return holder.started;
  }

  private static final class ContextHolder extends AbstractVerticle {

    private volatile Context started;

    @Override
    public void start() {
      started = context;
    }
  }
}
