package io.codesous.spec.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CancelRequestTest {

  private final CancelRequest cancel = new CancelRequest("acme", "default", "act-1", "invoker-a",
      CancelRequest.SOURCE_API, 1_732_370_000_000L);

  @Test
  void aCancelSurvivesItsEnvelopeWithOrWithoutTheInvoker() {
    assertEquals(CancelRequest.SCHEMA, cancel.encode().toJsonObject().getString("schema"));
    assertEquals(cancel, CancelRequest.decode(cancel.encode()));
    CancelRequest anyInvoker = new CancelRequest("acme", "default", "cad-1", null, CancelRequest.SOURCE_CADENCE, 5);
    assertFalse(anyInvoker.encode().toJsonObject().containsKey("invoker_id"));
    assertEquals(anyInvoker, CancelRequest.decode(anyInvoker.encode()));
  }

  @Test
  void anotherSchemaOrAMissingMemberIsMalformedNotACrash() {
    Buffer v2 = cancel.encode().toJsonObject().put("schema", "cs.cancel.v2").toBuffer();
    MalformedMessageException refused = assertThrows(MalformedMessageException.class, () -> CancelRequest.decode(v2));
    assertTrue(refused.getMessage().contains("cs.cancel.v2"), refused.getMessage());
    JsonObject noTenant = cancel.encode().toJsonObject().put("tenant", null);
    assertThrows(MalformedMessageException.class, () -> CancelRequest.decode(noTenant.toBuffer()));
    JsonObject noId = cancel.encode().toJsonObject().put("activation_id", null);
    assertThrows(MalformedMessageException.class, () -> CancelRequest.decode(noId.toBuffer()));
    assertThrows(MalformedMessageException.class, () -> CancelRequest.decode(Buffer.buffer("[1]")));
  }
}
