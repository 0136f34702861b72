package io.codesous.store;

import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleStoreChangeEachTest {

  static final long NOW = 1_700_000_000_000L;

  Vertx vertx;
  InMemoryKvStore kv;
  ScheduleStore schedules;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    kv.start().await(10, TimeUnit.SECONDS);
    schedules = new ScheduleStore(kv, () -> NOW);
    ScheduleSpec spec = ScheduleSpec.parse(new JsonObject().put("function", "report").put("ref", "prod")
        .put("every", "1m"));
    for (String name : List.of("a", "b", "c")) {
      schedules.put("acme", "default", name, spec, new JsonObject(), 1_000).await(10, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void everyChangeOfADocumentStillAsReadIsWrittenAndAnswered() throws Exception {
    Map<String, String> seen = read("a", "b");
    List<Future<ScheduleStore.Stored>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> doc.put("mark", "a1")), change(seen, "b", doc -> doc.put("mark", "b1"))));
    assertEquals("a1", answers.get(0).await(10, TimeUnit.SECONDS).doc().getString("mark"));
    assertEquals("b1", answers.get(1).await(10, TimeUnit.SECONDS).doc().getString("mark"));
    assertEquals("a1", stored("a").getString("mark"));
    assertEquals("b1", stored("b").getString("mark"));
    // the text answered is the text stored, which a writer may give as its next change's expected value
    assertEquals(read("a").get(ScheduleStore.keyOf(entry("a"))), answers.get(0).result().encoded());
  }

  @Test
  void aDocumentWrittenSinceItWasReadIsReadAgainAndChangedFromWhatItHoldsNow() throws Exception {
    Map<String, String> seen = read("a", "b");
    schedules.change("acme", "default", "a", false, doc -> doc.put("count", 1)).await(10, TimeUnit.SECONDS);
    List<Integer> countsSeen = new ArrayList<>();
    List<Future<ScheduleStore.Stored>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> {
          countsSeen.add(doc.getInteger("count", 0));
          return doc.put("count", doc.getInteger("count", 0) + 1);
        }),
        change(seen, "b", doc -> doc.put("count", 10))));
    assertEquals(2, answers.get(0).await(10, TimeUnit.SECONDS).doc().getInteger("count"));
    assertEquals(List.of(0, 1), countsSeen);
    assertEquals(2, stored("a").getInteger("count"));
    assertEquals(10, stored("b").getInteger("count"));
  }

  @Test
  void documentsWrittenSinceTheyWereReadAreReadAgainInOneReadAndChangedFromWhatTheyHoldNow() throws Exception {
    List<List<String>> reads = new ArrayList<>();
    ScheduleStore counting = new ScheduleStore(kv, () -> NOW) {
      @Override
      public Future<Map<String, String>> documents(List<String> entries) {
        reads.add(entries);
        return super.documents(entries);
      }
    };
    Map<String, String> seen = read("a", "b", "c");
    for (String name : List.of("a", "b", "c")) {
      schedules.change("acme", "default", name, false, doc -> doc.put("count", 1)).await(10, TimeUnit.SECONDS);
    }
    List<Future<ScheduleStore.Stored>> answers = counting.changeEach(List.of(
        change(seen, "a", doc -> doc.put("count", doc.getInteger("count", 0) + 1)),
        change(seen, "b", doc -> doc.put("count", doc.getInteger("count", 0) + 10)),
        change(seen, "c", doc -> doc.put("count", doc.getInteger("count", 0) + 100))));
    assertEquals(List.of(2, 11, 101), List.of(answers.get(0).await(10, TimeUnit.SECONDS).doc().getInteger("count"),
        answers.get(1).await(10, TimeUnit.SECONDS).doc().getInteger("count"),
        answers.get(2).await(10, TimeUnit.SECONDS).doc().getInteger("count")));
    assertEquals(List.of(List.of(entry("a"), entry("b"), entry("c"))), reads);
    assertEquals(101, stored("c").getInteger("count"));
  }

  @Test
  void aDocumentDeletedSinceItWasReadIsNotFoundAndTheOthersAreStillWritten() throws Exception {
    Map<String, String> seen = read("a", "b");
    schedules.change("acme", "default", "b", false, doc -> doc.put("count", 1)).await(10, TimeUnit.SECONDS);
    schedules.delete("acme", "default", "a").await(10, TimeUnit.SECONDS);
    List<Future<ScheduleStore.Stored>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> doc.put("mark", "a1")), change(seen, "b", doc -> doc.put("mark", "b1"))));
    answers.get(0).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.CS_NOT_FOUND, assertInstanceOf(CsException.class, answers.get(0).cause()).code());
    assertEquals("b1", answers.get(1).await(10, TimeUnit.SECONDS).doc().getString("mark"));
    assertEquals(1, stored("b").getInteger("count"));
  }

  @Test
  void aChangeThatLeavesItsDocumentAloneOrRefusesItAnswersOnlyForItself() throws Exception {
    Map<String, String> seen = read("a", "b", "c");
    List<Future<ScheduleStore.Stored>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> null),
        change(seen, "b", doc -> {
          throw new CsException(ErrorCode.CS_VALIDATION_FAILED, "refused");
        }),
        change(seen, "c", doc -> doc.put("mark", "c1"))));
    assertNull(answers.get(0).await(10, TimeUnit.SECONDS));
    assertTrue(answers.get(1).failed());
    assertEquals(ErrorCode.CS_VALIDATION_FAILED,
        assertInstanceOf(CsException.class, answers.get(1).cause()).code());
    assertEquals("c1", answers.get(2).await(10, TimeUnit.SECONDS).doc().getString("mark"));
    assertEquals(new JsonObject(seen.get(ScheduleStore.keyOf(entry("a")))), stored("a"));
  }

  @Test
  void whenTheStoreCannotAnswerEveryChangeToBeWrittenFailsUnavailable() throws Exception {
    Map<String, String> seen = read("a", "b");
    kv.stop().await(10, TimeUnit.SECONDS);
    List<Future<ScheduleStore.Stored>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> doc.put("mark", 1)), change(seen, "b", doc -> doc.put("mark", 2))));
    for (Future<ScheduleStore.Stored> answer : answers) {
      assertTrue(answer.failed());
      assertEquals(ErrorCode.CS_UNAVAILABLE, assertInstanceOf(CsException.class, answer.cause()).code());
    }
  }

  private static String entry(String name) {
    return ScheduleStore.entry("acme", "default", name);
  }

  private Map<String, String> read(String... names) throws Exception {
    return schedules.documents(java.util.Arrays.stream(names).map(ScheduleStoreChangeEachTest::entry).toList())
        .await(10, TimeUnit.SECONDS);
  }

  private static ScheduleStore.Change change(Map<String, String> seen, String name,
                                             java.util.function.UnaryOperator<JsonObject> change) {
    return new ScheduleStore.Change(entry(name), seen.get(ScheduleStore.keyOf(entry(name))), change);
  }

  private JsonObject stored(String name) throws Exception {
    return schedules.get("acme", "default", name).await(10, TimeUnit.SECONDS);
  }
}
