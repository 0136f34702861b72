package io.codesous.scheduler;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchWindowTest {

  @Test
  void itemsGoInBatchesWithNoMoreThanTheLimitInFlightAndTheWindowEndsWithTheLastBatch() {
    List<Integer> items = IntStream.range(0, 10).boxed().toList();
    List<List<Integer>> batches = new ArrayList<>();
    List<Promise<Void>> pending = new ArrayList<>();
    Future<Void> all = BatchWindow.run(items, 3, 2, batch -> {
      batches.add(List.copyOf(batch));
      Promise<Void> done = Promise.promise();
      pending.add(done);
      return done.future();
    });
    assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5)), batches);
    pending.get(1).complete();
    assertEquals(3, batches.size());
    pending.get(0).fail("a batch that failed does not stop the others");
    pending.get(2).complete();
    assertEquals(List.of(9), batches.get(3));
    assertFalse(all.isComplete());
    pending.get(3).complete();
    assertTrue(all.succeeded());
  }

  @Test
  void batchesThatCompleteAtOnceAreAllSteppedOutsideAnyContext() {
    List<Integer> items = IntStream.range(0, 100_000).boxed().toList();
    int[] stepped = new int[1];
    Future<Void> all = BatchWindow.run(items, 1, 4, batch -> {
      stepped[0] += batch.size();
      return Future.succeededFuture();
    });
    assertTrue(all.succeeded());
    assertEquals(items.size(), stepped[0]);
  }

  @Test
  void aWindowOverNothingIsDoneAtOnce() {
    assertTrue(BatchWindow.run(List.of(), 64, 4, batch -> Future.failedFuture("never called")).succeeded());
  }
}
