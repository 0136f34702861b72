package io.codesous.scheduler;

import io.codesous.store.ScheduleDocument;
import io.codesous.store.ScheduleState;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** What a lane keeps of the documents it wrote, within its bound. */
class WrittenDocumentsTest {

  static final ScheduleDocument DOC = doc("a");
  static final long ONE = DOC.weight() + WrittenDocuments.ENTRY_OVERHEAD;

  /** A document whose fixed members' text is as long as {@code name} makes it. */
  static ScheduleDocument doc(String name) {
    return ScheduleDocument.parse(new JsonObject().put("tenant", "acme").put("namespace", "default").put("name", name)
        .put("state", ScheduleState.empty()).encode());
  }

  @Test
  void aDocumentWrittenAgainReplacesTheOneBeforeAndItsLength() {
    WrittenDocuments written = new WrittenDocuments(10 * ONE);
    written.wrote("acme:default:a", DOC);
    ScheduleDocument longer = doc("a-longer-name");
    written.wrote("acme:default:a", longer);
    assertSame(longer, written.of("acme:default:a"));
    assertEquals(1, written.size());
    assertEquals(longer.weight() + WrittenDocuments.ENTRY_OVERHEAD, written.bytes());
  }

  @Test
  void whenFullItKeepsWhatItHoldsAndTakesNoNewSchedule() {
    WrittenDocuments written = new WrittenDocuments(2 * ONE);
    written.wrote("acme:default:a", DOC);
    written.wrote("acme:default:b", DOC);
    written.wrote("acme:default:c", DOC);
    assertSame(DOC, written.of("acme:default:a"));
    assertSame(DOC, written.of("acme:default:b"));
    assertNull(written.of("acme:default:c"));
    // a kept schedule's next write still fits where its last one was
    written.wrote("acme:default:a", DOC);
    assertSame(DOC, written.of("acme:default:a"));
    assertEquals(2 * ONE, written.bytes());
  }

  @Test
  void aDocumentThatOutgrewTheRoomLeftIsForgottenRatherThanKeptStale() {
    WrittenDocuments written = new WrittenDocuments(2 * ONE);
    written.wrote("acme:default:a", DOC);
    written.wrote("acme:default:b", DOC);
    written.wrote("acme:default:a", doc("a".repeat(10)));
    assertNull(written.of("acme:default:a"));
    assertEquals(ONE, written.bytes());
  }

  @Test
  void forgettingKeepingOnlySomeAndClearingGiveTheirRoomBack() {
    WrittenDocuments written = new WrittenDocuments(10 * ONE);
    for (String name : new String[] {"a", "b", "c", "d"}) {
      written.wrote("acme:default:" + name, DOC);
    }
    written.forget("acme:default:a");
    written.keepOnly(Set.of("acme:default:b", "acme:default:c"));
    assertNull(written.of("acme:default:d"));
    assertEquals(2, written.size());
    assertEquals(2 * ONE, written.bytes());
    written.clear();
    assertEquals(0, written.size());
    assertEquals(0, written.bytes());
  }
}
