package io.codesous.spec.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ResultDeliveryTest {

  private static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static InvocationResult result() {
    return new InvocationResult("abcdefgh-0001", "req-1", "route-1", "acme", "prod", "fn", 3,
        ActivationStatus.SUCCESS, new JsonObject().put("statusCode", 200).put("headers", new JsonObject())
            .put("body", "hi").put("isBase64Encoded", false), null, 1000, 1250);
  }

  @Test
  void aResultSentWithinTheProcessArrivesAsTheSameObject() throws Exception {
    ResultDelivery.register(vertx.eventBus());
    ResultDelivery.register(vertx.eventBus());
    CompletableFuture<Object> received = new CompletableFuture<>();
    vertx.eventBus().<Object>consumer("test.reply.same", message -> received.complete(message.body()))
        .completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    InvocationResult sent = result();
    vertx.eventBus().send("test.reply.same", sent);
    assertSame(sent, ResultDelivery.received(received.get(10, TimeUnit.SECONDS)));
  }

  @Test
  void aResultCrossingTheWireIsItsEnvelopeDecodedAgain() {
    ResultDelivery codec = codec();
    Buffer wire = Buffer.buffer("prefix");
    codec.encodeToWire(wire, result());
    assertEquals(result(), codec.decodeFromWire("prefix".length(), wire));
  }

  @Test
  void anEnvelopeFromTheWireThatBreaksTheSchemaIsRefused() {
    Buffer envelope = MessageCodec.encode(result()).toJsonObject().put("status", "RUNNING").toBuffer();
    Buffer wire = Buffer.buffer().appendInt(envelope.length()).appendBuffer(envelope);
    assertThrows(MalformedMessageException.class, () -> codec().decodeFromWire(0, wire));
  }

  @Test
  void aReplyRouteStillAcceptsAnEncodedEnvelope() {
    assertEquals(result(), ResultDelivery.received(MessageCodec.encode(result())));
  }

  @Test
  void aBodyThatIsNeitherAResultNorAnEnvelopeIsRefused() {
    assertThrows(MalformedMessageException.class, () -> ResultDelivery.received("hello"));
  }

  private static ResultDelivery codec() {
    return ResultDelivery.instance();
  }
}
