package io.codesous.spec.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DraftStoredTest {

  private final DraftStored stored =
      new DraftStored("acme", "default", "hello", "5b1e6c0e-2f43-4b0a-9d3e-0c1d2e3f4a5b", "9f2c", 1_732_370_000_000L);

  @Test
  void anAnnouncementSurvivesItsEnvelope() {
    JsonObject json = stored.encode().toJsonObject();
    assertEquals(DraftStored.SCHEMA, json.getString("schema"));
    assertEquals(stored.draftId(), json.getString("draft_id"));
    assertEquals(stored, DraftStored.decode(stored.encode()));
    assertEquals("acme/default/hello", stored.key());
  }

  @Test
  void anotherSchemaIsRefusedByName() {
    Buffer v2 = stored.encode().toJsonObject().put("schema", "cs.drafts.v2").toBuffer();
    MalformedMessageException refused = assertThrows(MalformedMessageException.class,
        () -> DraftStored.decode(v2));
    assertTrue(refused.getMessage().contains("cs.drafts.v2"), refused.getMessage());
  }

  @Test
  void aMissingMemberOrNonJsonIsMalformedNotACrash() {
    Buffer noDraft = stored.encode().toJsonObject().put("draft_id", null).toBuffer();
    assertThrows(MalformedMessageException.class, () -> DraftStored.decode(noDraft));
    Buffer noTime = stored.encode().toJsonObject().put("stored_at_ms", null).toBuffer();
    assertThrows(MalformedMessageException.class, () -> DraftStored.decode(noTime));
    assertThrows(MalformedMessageException.class, () -> DraftStored.decode(Buffer.buffer("[1]")));
    assertThrows(MalformedMessageException.class, () -> DraftStored.decode(Buffer.buffer("{")));
  }
}
