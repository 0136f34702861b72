package io.codesous.spec.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class VersionPublishedTest {

  private final VersionPublished published =
      new VersionPublished("acme", "default", "hello", 3, "9f2c", 1_732_370_000_000L);

  @Test
  void anAnnouncementSurvivesItsEnvelope() {
    JsonObject json = published.encode().toJsonObject();
    assertEquals(VersionPublished.SCHEMA, json.getString("schema"));
    assertEquals(published, VersionPublished.decode(published.encode()));
    assertEquals("acme/default/hello", published.key());
  }

  @Test
  void anotherSchemaIsRefusedByName() {
    Buffer v2 = published.encode().toJsonObject().put("schema", "cs.versions.v2").toBuffer();
    MalformedMessageException refused = assertThrows(MalformedMessageException.class,
        () -> VersionPublished.decode(v2));
    assertTrue(refused.getMessage().contains("cs.versions.v2"), refused.getMessage());
  }

  @Test
  void aMissingMemberOrNonJsonIsMalformedNotACrash() {
    Buffer noVersion = published.encode().toJsonObject().put("version", null).toBuffer();
    assertThrows(MalformedMessageException.class, () -> VersionPublished.decode(noVersion));
    Buffer noTenant = published.encode().toJsonObject().put("tenant", null).toBuffer();
    assertThrows(MalformedMessageException.class, () -> VersionPublished.decode(noTenant));
    assertThrows(MalformedMessageException.class, () -> VersionPublished.decode(Buffer.buffer("[1]")));
    assertThrows(MalformedMessageException.class, () -> VersionPublished.decode(Buffer.buffer("{")));
  }
}
