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
    List<Future<ScheduleDocument>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> epoch(doc, 11)), change(seen, "b", doc -> epoch(doc, 22))));
    assertEquals(11L, answers.get(0).await(10, TimeUnit.SECONDS).leaderEpoch());
    assertEquals(22L, answers.get(1).await(10, TimeUnit.SECONDS).leaderEpoch());
    assertEquals(11L, stored("a").getLong(ScheduleStore.LEADER_EPOCH));
    assertEquals(22L, stored("b").getLong(ScheduleStore.LEADER_EPOCH));
    // the text answered is the text stored, which a writer may give as its next change's expected value
    assertEquals(read("a").get(ScheduleStore.keyOf(entry("a"))), answers.get(0).result().text());
  }

  @Test
  void aDocumentWrittenSinceItWasReadIsReadAgainAndChangedFromWhatItHoldsNow() throws Exception {
    Map<String, String> seen = read("a", "b");
    schedules.change("acme", "default", "a", false, doc -> doc.put(ScheduleStore.LEADER_EPOCH, 1L)).await(10, TimeUnit.SECONDS);
    List<Integer> countsSeen = new ArrayList<>();
    List<Future<ScheduleDocument>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> {
          countsSeen.add((int) doc.leaderEpoch());
          return epoch(doc, doc.leaderEpoch() + 1);
        }),
        change(seen, "b", doc -> epoch(doc, 10))));
    assertEquals(2L, answers.get(0).await(10, TimeUnit.SECONDS).leaderEpoch());
    assertEquals(List.of(0, 1), countsSeen);
    assertEquals(2L, stored("a").getLong(ScheduleStore.LEADER_EPOCH));
    assertEquals(10L, stored("b").getLong(ScheduleStore.LEADER_EPOCH));
  }

  @Test
  void aDocumentTheCallerHoldsIsLeftAsItWasWhetherItsChangeIsStoredOrMadeAgainOnWhatIsStoredNow() throws Exception {
    Map<String, String> seen = read("a", "b");
    schedules.change("acme", "default", "b", false, doc -> doc.put(ScheduleStore.LEADER_EPOCH, 1L))
        .await(10, TimeUnit.SECONDS);
    ScheduleDocument heldA = ScheduleDocument.parse(seen.get(ScheduleStore.keyOf(entry("a"))));
    ScheduleDocument heldB = ScheduleDocument.parse(seen.get(ScheduleStore.keyOf(entry("b"))));
    List<Future<ScheduleDocument>> answers = schedules.changeEach(List.of(
        new ScheduleStore.Change(entry("a"), heldA, doc -> epoch(doc, 5)),
        new ScheduleStore.Change(entry("b"), heldB, doc -> epoch(doc, doc.leaderEpoch() + 7))));
    ScheduleDocument storedA = answers.get(0).await(10, TimeUnit.SECONDS);
    ScheduleDocument storedB = answers.get(1).await(10, TimeUnit.SECONDS);

    assertEquals(5L, storedA.leaderEpoch());
    assertEquals(8L, storedB.leaderEpoch(), "made again on the document stored since");
    assertEquals(List.of(0L, 0L), List.of(heldA.leaderEpoch(), heldB.leaderEpoch()));
    assertEquals(seen.get(ScheduleStore.keyOf(entry("a"))), heldA.text());
    assertEquals(read("a").get(ScheduleStore.keyOf(entry("a"))), storedA.text());
    assertEquals(read("b").get(ScheduleStore.keyOf(entry("b"))), storedB.text());
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
      schedules.change("acme", "default", name, false, doc -> doc.put(ScheduleStore.LEADER_EPOCH, 1L)).await(10, TimeUnit.SECONDS);
    }
    List<Future<ScheduleDocument>> answers = counting.changeEach(List.of(
        change(seen, "a", doc -> epoch(doc, doc.leaderEpoch() + 1)),
        change(seen, "b", doc -> epoch(doc, doc.leaderEpoch() + 10)),
        change(seen, "c", doc -> epoch(doc, doc.leaderEpoch() + 100))));
    assertEquals(List.of(2L, 11L, 101L), List.of(answers.get(0).await(10, TimeUnit.SECONDS).leaderEpoch(),
        answers.get(1).await(10, TimeUnit.SECONDS).leaderEpoch(),
        answers.get(2).await(10, TimeUnit.SECONDS).leaderEpoch()));
    assertEquals(List.of(List.of(entry("a"), entry("b"), entry("c"))), reads);
    assertEquals(101L, stored("c").getLong(ScheduleStore.LEADER_EPOCH));
  }

  @Test
  void aDocumentDeletedSinceItWasReadIsNotFoundAndTheOthersAreStillWritten() throws Exception {
    Map<String, String> seen = read("a", "b");
    schedules.change("acme", "default", "b", false, doc -> doc.put(ScheduleStore.LEADER_EPOCH, 1L)).await(10, TimeUnit.SECONDS);
    schedules.delete("acme", "default", "a").await(10, TimeUnit.SECONDS);
    List<Future<ScheduleDocument>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> epoch(doc, 11)), change(seen, "b", doc -> epoch(doc, 22))));
    answers.get(0).otherwiseEmpty().await(10, TimeUnit.SECONDS);
    assertEquals(ErrorCode.CS_NOT_FOUND, assertInstanceOf(CsException.class, answers.get(0).cause()).code());
    assertEquals(22L, answers.get(1).await(10, TimeUnit.SECONDS).leaderEpoch());
    assertEquals(22L, stored("b").getLong(ScheduleStore.LEADER_EPOCH), "made again on the document stored since");
  }

  @Test
  void aChangeThatLeavesItsDocumentAloneOrRefusesItAnswersOnlyForItself() throws Exception {
    Map<String, String> seen = read("a", "b", "c");
    List<Future<ScheduleDocument>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> false),
        change(seen, "b", doc -> {
          throw new CsException(ErrorCode.CS_VALIDATION_FAILED, "refused");
        }),
        change(seen, "c", doc -> epoch(doc, 33))));
    assertNull(answers.get(0).await(10, TimeUnit.SECONDS));
    assertTrue(answers.get(1).failed());
    assertEquals(ErrorCode.CS_VALIDATION_FAILED,
        assertInstanceOf(CsException.class, answers.get(1).cause()).code());
    assertEquals(33L, answers.get(2).await(10, TimeUnit.SECONDS).leaderEpoch());
    assertEquals(new JsonObject(seen.get(ScheduleStore.keyOf(entry("a")))), stored("a"));
  }

  @Test
  void whenTheStoreCannotAnswerEveryChangeToBeWrittenFailsUnavailable() throws Exception {
    Map<String, String> seen = read("a", "b");
    kv.stop().await(10, TimeUnit.SECONDS);
    List<Future<ScheduleDocument>> answers = schedules.changeEach(List.of(
        change(seen, "a", doc -> epoch(doc, 1)), change(seen, "b", doc -> epoch(doc, 2))));
    for (Future<ScheduleDocument> answer : answers) {
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
                                             java.util.function.Predicate<ScheduleDocument> change) {
    return new ScheduleStore.Change(entry(name), ScheduleDocument.parse(seen.get(ScheduleStore.keyOf(entry(name)))),
        change);
  }

  /** A change: the document's leader epoch set to {@code epoch}. */
  private static boolean epoch(ScheduleDocument doc, long epoch) {
    doc.leaderEpoch(epoch);
    return true;
  }

  private JsonObject stored(String name) throws Exception {
    return schedules.get("acme", "default", name).await(10, TimeUnit.SECONDS);
  }
}
