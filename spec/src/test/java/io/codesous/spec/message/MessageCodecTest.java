package io.codesous.spec.message;

import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MessageCodecTest {

  // ---------------------------------------------------------------- fixtures

  static InvocationRequest fullRequest() {
    return new InvocationRequest(
        "0f8fad5b-d9cb-469f-a165-70867728950e",
        "req-123",
        "acme",
        "prod",
        "resize-image",
        "stable",
        7,
        new Trigger(Trigger.HTTP, new JsonObject().put("method", "POST").put("path", "/acme/prod/resize-image")),
        new JsonObject().put("sub", "alice").put("roles", new JsonArray().add("admin")),
        new JsonObject().put("body", "aGk=").put("n", 1).put("nested", new JsonObject().put("ok", true)),
        1_700_000_030_000L,
        30_000,
        "route-7",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "vendor=opaque",
        1_699_999_000_000L,
        2);
  }

  static InvocationRequest minimalRequest() {
    return new InvocationRequest("abcdefgh", "r", "t", "n", "f", "1", 1, new Trigger("cli", null), null,
        new JsonObject(), 0, 1, null, null, null, 0, 1);
  }

  static InvocationResult successResult() {
    return new InvocationResult("abcdefgh-0001", "req-1", "route-1", "acme", "prod", "fn", 3,
        ActivationStatus.SUCCESS,
        new JsonObject().put("statusCode", 200).put("headers", new JsonObject().put("content-type", "text/plain"))
            .put("body", "hi").put("isBase64Encoded", false),
        null, 1000, 1250);
  }

  // ---------------------------------------------------------------- received from a queue

  @Test
  void aReceivedRequestThatIsAnObjectIsTakenAsItIsWithoutAskingForBytes() {
    InvocationRequest request = fullRequest();
    assertSame(request, MessageCodec.receivedRequest(request, () -> {
      throw new AssertionError("the bytes were asked for");
    }));
  }

  @Test
  void aReceivedRequestThatIsBytesIsDecodedAndValidated() {
    InvocationRequest request = fullRequest();
    assertEquals(request, MessageCodec.receivedRequest(null, () -> MessageCodec.encode(request)));
    assertThrows(MalformedMessageException.class,
        () -> MessageCodec.receivedRequest(null, () -> buf("{\"schema\":\"cs.invoke.v1\"}")));
  }

  @Test
  void aReceivedResultIsTakenAsAnObjectOrDecodedFromBytes() {
    InvocationResult result = successResult();
    assertSame(result, MessageCodec.receivedResult(result, () -> {
      throw new AssertionError("the bytes were asked for");
    }));
    assertEquals(result, MessageCodec.receivedResult(null, () -> MessageCodec.encode(result)));
  }

  private static Buffer buf(String s) {
    return Buffer.buffer(s);
  }

  private static MalformedMessageException malformedRequest(Buffer payload) {
    return assertThrows(MalformedMessageException.class, () -> MessageCodec.decodeRequest(payload));
  }

  private static MalformedMessageException malformedResult(Buffer payload) {
    return assertThrows(MalformedMessageException.class, () -> MessageCodec.decodeResult(payload));
  }

  // ---------------------------------------------------------------- request round trips

  @Test
  void fullRequestRoundTrips() {
    InvocationRequest original = fullRequest();
    Buffer wire = MessageCodec.encode(original);
    InvocationRequest decoded = MessageCodec.decodeRequest(wire);
    assertEquals(original, decoded);
    assertEquals("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", decoded.traceparent());
    assertEquals("vendor=opaque", decoded.tracestate());
    assertEquals("route-7", decoded.replyTo());
    assertEquals(2, decoded.attempt());
    assertEquals(7L, decoded.version());
  }

  @Test
  void fullRequestWireShape() {
    JsonObject json = new JsonObject(MessageCodec.encode(fullRequest()));
    assertEquals("cs.invoke.v1", json.getString("schema"));
    assertEquals(InvocationRequest.SCHEMA, json.getString("schema"));
    assertEquals("0f8fad5b-d9cb-469f-a165-70867728950e", json.getString("activation_id"));
    assertEquals("req-123", json.getString("request_id"));
    assertEquals("stable", json.getString("ref"));
    assertEquals(7, json.getInteger("version"));
    assertEquals(new JsonObject().put("type", "http").put("source",
        new JsonObject().put("method", "POST").put("path", "/acme/prod/resize-image")), json.getJsonObject("trigger"));
    assertEquals(1_700_000_030_000L, json.getLong("deadline_ms"));
    assertEquals(30_000, json.getInteger("timeout_ms"));
    assertEquals(1_699_999_000_000L, json.getLong("published_at_ms"));
    assertEquals(new JsonObject().put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        .put("tracestate", "vendor=opaque"), json.getJsonObject("trace"));
  }

  @Test
  void minimalRequestRoundTrips() {
    InvocationRequest original = minimalRequest();
    InvocationRequest decoded = MessageCodec.decodeRequest(MessageCodec.encode(original));
    assertEquals(original, decoded);
    assertNull(decoded.replyTo());
    assertNull(decoded.traceparent());
    assertNull(decoded.tracestate());
    assertNull(decoded.principal());
    assertNull(decoded.trigger().source());
  }

  @Test
  void minimalRequestWireShape() {
    JsonObject json = new JsonObject(MessageCodec.encode(minimalRequest()));
    assertFalse(json.containsKey("trace"), "no trace member without a traceparent");
    assertTrue(json.containsKey("reply_to"));
    assertNull(json.getValue("reply_to"));
    assertEquals(new JsonObject().put("type", "cli"), json.getJsonObject("trigger"));
  }

  @Test
  void traceparentWithoutTracestateRoundTrips() {
    InvocationRequest r = fullRequest();
    InvocationRequest noState = new InvocationRequest(r.activationId(), r.requestId(), r.tenant(), r.namespace(),
        r.function(), r.ref(), r.version(), r.trigger(), r.principal(), r.event(), r.deadlineMs(), r.timeoutMs(),
        r.replyTo(), r.traceparent(), null, r.publishedAtMs(), r.attempt());
    JsonObject json = noState.toJson();
    assertEquals(new JsonObject().put("traceparent", r.traceparent()), json.getJsonObject("trace"));
    assertEquals(noState, MessageCodec.decodeRequest(MessageCodec.encode(noState)));
  }

  @Test
  void explicitNullTraceAndPrincipalAreAccepted() {
    JsonObject json = minimalRequest().toJson().put("trace", null).put("principal", null)
        .put("parent_activation_id", null);
    assertEquals(minimalRequest(), MessageCodec.decodeRequest(json.toBuffer()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"http", "schedule", "cadence", "cli", "event"})
  void everyTriggerTypeIsAccepted(String type) {
    JsonObject json = minimalRequest().toJson().put("trigger", new JsonObject().put("type", type));
    assertEquals(type, MessageCodec.decodeRequest(json.toBuffer()).trigger().type());
  }

  @Test
  void requestRecordRequiresItsIdentifiers() {
    InvocationRequest r = minimalRequest();
    assertThrows(NullPointerException.class, () -> new InvocationRequest(null, r.requestId(), r.tenant(),
        r.namespace(), r.function(), r.ref(), 1, r.trigger(), null, r.event(), 0, 1, null, null, null, 0, 1));
    assertThrows(NullPointerException.class, () -> new InvocationRequest(r.activationId(), r.requestId(), r.tenant(),
        r.namespace(), r.function(), r.ref(), 1, null, null, r.event(), 0, 1, null, null, null, 0, 1));
    assertThrows(NullPointerException.class, () -> new InvocationRequest(r.activationId(), r.requestId(), r.tenant(),
        r.namespace(), r.function(), r.ref(), 1, r.trigger(), null, null, 0, 1, null, null, null, 0, 1));
  }

  @Test
  void triggerShape() {
    assertThrows(NullPointerException.class, () -> new Trigger(null, null));
    assertEquals(new JsonObject().put("type", "schedule"), new Trigger("schedule", null).toJson());
    Trigger t = new Trigger("http", new JsonObject().put("path", "/x"));
    assertEquals(t, Trigger.fromJson(t.toJson()));
    assertEquals(new Trigger("cli", null), Trigger.fromJson(new Trigger("cli", null).toJson()));
  }

  // ---------------------------------------------------------------- request rejections

  static Stream<Arguments> notJson() {
    return Stream.of(
        Arguments.of("text", "hello"),
        Arguments.of("truncated object", "{\"schema\":\"cs.invoke.v1\""),
        Arguments.of("array", "[1,2,3]"),
        Arguments.of("array of objects", "[{\"schema\":\"cs.invoke.v1\"}]"),
        Arguments.of("string", "\"cs.invoke.v1\""),
        Arguments.of("number", "42"),
        Arguments.of("null", "null"),
        Arguments.of("empty", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("notJson")
  void nonObjectPayloadIsMalformed(String label, String payload) {
    assertEquals("not a JSON object", malformedRequest(buf(payload)).getMessage());
    assertEquals("not a JSON object", malformedResult(buf(payload)).getMessage());
  }

  @Test
  void missingSchemaIsMalformed() {
    JsonObject json = fullRequest().toJson();
    json.remove("schema");
    MalformedMessageException e = malformedRequest(json.toBuffer());
    assertTrue(e.getMessage().contains("schema"), e.getMessage());
    assertTrue(e.getMessage().contains("cs.invoke.v1"), e.getMessage());
  }

  @Test
  void unknownSchemaVersionIsMalformed() {
    JsonObject json = fullRequest().toJson().put("schema", "cs.invoke.v2");
    MalformedMessageException e = malformedRequest(json.toBuffer());
    assertTrue(e.getMessage().contains("cs.invoke.v2"), e.getMessage());
    assertTrue(e.getMessage().contains("unknown schema"), e.getMessage());
  }

  @Test
  void schemaOfTheWrongTypeIsMalformed() {
    MalformedMessageException e = malformedRequest(fullRequest().toJson().put("schema", 1).toBuffer());
    assertTrue(e.getMessage().contains("unknown schema"), e.getMessage());
  }

  @Test
  void requestAndResultAreNotInterchangeable() {
    MalformedMessageException a = malformedRequest(MessageCodec.encode(successResult()));
    assertTrue(a.getMessage().contains("cs.results.v1"), a.getMessage());
    MalformedMessageException b = malformedResult(MessageCodec.encode(fullRequest()));
    assertTrue(b.getMessage().contains("cs.invoke.v1"), b.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"activation_id", "request_id", "tenant", "namespace", "function", "ref", "version",
      "trigger", "event", "deadline_ms", "timeout_ms", "published_at_ms", "attempt"})
  void missingRequiredFieldIsMalformedAndNamed(String field) {
    JsonObject json = fullRequest().toJson();
    json.remove(field);
    MalformedMessageException e = malformedRequest(json.toBuffer());
    assertTrue(e.getMessage().contains("\"" + field + "\""), e.getMessage());
    assertTrue(e.getMessage().contains("required"), e.getMessage());
  }

  static Stream<Arguments> invalidRequestFields() {
    return Stream.of(
        Arguments.of("activation_id uppercase", (UnaryOperator<JsonObject>) j -> j.put("activation_id", "ABCDEFGH"),
            "message.activation_id"),
        Arguments.of("activation_id too short", (UnaryOperator<JsonObject>) j -> j.put("activation_id", "abc"),
            "message.activation_id"),
        Arguments.of("activation_id with ':'",
            (UnaryOperator<JsonObject>) j -> j.put("activation_id", "abcd:efgh"), "message.activation_id"),
        Arguments.of("activation_id number", (UnaryOperator<JsonObject>) j -> j.put("activation_id", 12345678),
            "message.activation_id"),
        Arguments.of("request_id empty", (UnaryOperator<JsonObject>) j -> j.put("request_id", ""),
            "message.request_id"),
        Arguments.of("tenant with ':'", (UnaryOperator<JsonObject>) j -> j.put("tenant", "a:b"), "message.tenant"),
        Arguments.of("namespace uppercase", (UnaryOperator<JsonObject>) j -> j.put("namespace", "Prod"),
            "message.namespace"),
        Arguments.of("function null", (UnaryOperator<JsonObject>) j -> j.put("function", null), "message.function"),
        Arguments.of("version as string", (UnaryOperator<JsonObject>) j -> j.put("version", "7"), "message.version"),
        Arguments.of("version zero", (UnaryOperator<JsonObject>) j -> j.put("version", 0), "message.version"),
        Arguments.of("version fractional", (UnaryOperator<JsonObject>) j -> j.put("version", 1.5), "message.version"),
        Arguments.of("trigger as string", (UnaryOperator<JsonObject>) j -> j.put("trigger", "http"),
            "message.trigger"),
        Arguments.of("trigger unknown type",
            (UnaryOperator<JsonObject>) j -> j.put("trigger", new JsonObject().put("type", "smoke")),
            "message.trigger.type"),
        Arguments.of("trigger without type",
            (UnaryOperator<JsonObject>) j -> j.put("trigger", new JsonObject()), "message.trigger"),
        Arguments.of("event as array", (UnaryOperator<JsonObject>) j -> j.put("event", new JsonArray()),
            "message.event"),
        Arguments.of("event null", (UnaryOperator<JsonObject>) j -> j.put("event", null), "message.event"),
        Arguments.of("timeout_ms zero", (UnaryOperator<JsonObject>) j -> j.put("timeout_ms", 0), "message.timeout_ms"),
        Arguments.of("deadline_ms as string", (UnaryOperator<JsonObject>) j -> j.put("deadline_ms", "soon"),
            "message.deadline_ms"),
        Arguments.of("attempt zero", (UnaryOperator<JsonObject>) j -> j.put("attempt", 0), "message.attempt"),
        Arguments.of("reply_to number", (UnaryOperator<JsonObject>) j -> j.put("reply_to", 5), "message.reply_to"),
        Arguments.of("reply_to too long", (UnaryOperator<JsonObject>) j -> j.put("reply_to", "r".repeat(257)),
            "message.reply_to"),
        Arguments.of("principal as string", (UnaryOperator<JsonObject>) j -> j.put("principal", "alice"),
            "message.principal"),
        Arguments.of("trace as string", (UnaryOperator<JsonObject>) j -> j.put("trace", "00-abc"), "message.trace"),
        Arguments.of("traceparent number",
            (UnaryOperator<JsonObject>) j -> j.put("trace", new JsonObject().put("traceparent", 1)),
            "message.trace.traceparent"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("invalidRequestFields")
  void invalidFieldIsMalformedWithItsPath(String label, UnaryOperator<JsonObject> breakIt, String path) {
    JsonObject json = breakIt.apply(fullRequest().toJson());
    MalformedMessageException e = malformedRequest(json.toBuffer());
    assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
  }

  /**
   * The schema bounds {@code attempt} only from below, but the record field is an {@code int} and
   * {@code fromJson} reads it with {@code getInteger}, which narrows with {@code intValue()}: a message the
   * decoder accepts as valid silently becomes {@code attempt = -1294967296}. Same for any integer field
   * past {@code long} (the schema has no maximum).
   */
  @Test
  void attemptBeyondIntIsRejectedNotWrapped() {
    JsonObject json = fullRequest().toJson().put("attempt", 3_000_000_000L);
    InvocationRequest decoded;
    try {
      decoded = MessageCodec.decodeRequest(json.toBuffer());
    } catch (MalformedMessageException expected) {
      return; // rejecting it is correct
    }
    assertEquals(3_000_000_000L, (long) decoded.attempt(), "attempt was silently narrowed");
  }

  // ---------------------------------------------------------------- results

  @Test
  void successResultRoundTrips() {
    InvocationResult original = successResult();
    InvocationResult decoded = MessageCodec.decodeResult(MessageCodec.encode(original));
    assertEquals(original, decoded);
    assertEquals(250, decoded.durationMs());
  }

  @Test
  void resultWireShape() {
    JsonObject json = new JsonObject(MessageCodec.encode(successResult()));
    assertEquals("cs.results.v1", json.getString("schema"));
    assertEquals(InvocationResult.SCHEMA, json.getString("schema"));
    assertEquals("success", json.getString("status"));
    assertEquals(250, json.getInteger("duration_ms"));
    assertEquals(1000, json.getInteger("start_ms"));
    assertEquals(1250, json.getInteger("end_ms"));
    assertTrue(json.containsKey("error"));
    assertNull(json.getValue("error"));
  }

  @Test
  void errorResultRoundTrips() {
    InvocationResult original = new InvocationResult("abcdefgh", "req-2", null, "t", "n", "f", 1,
        ActivationStatus.ERROR, null,
        new JsonObject().put("code", "CS_RUNTIME_EXCEPTION").put("message", "TypeError: x is undefined"), 5, 9);
    InvocationResult decoded = MessageCodec.decodeResult(MessageCodec.encode(original));
    assertEquals(original, decoded);
    assertNull(decoded.replyTo());
    assertNull(decoded.response());
  }

  @ParameterizedTest
  @EnumSource(value = ActivationStatus.class, names = {"SUCCESS", "ERROR", "TIMEOUT", "MEMORY_LIMIT"})
  void everyTerminalStatusRoundTrips(ActivationStatus status) {
    InvocationResult original = new InvocationResult("abcdefgh", "req", null, "t", "n", "f", 1, status, null, null,
        10, 20);
    assertEquals(original, MessageCodec.decodeResult(MessageCodec.encode(original)));
  }

  @Test
  void durationIsNeverNegative() {
    InvocationResult backwards = new InvocationResult("abcdefgh", "req", null, "t", "n", "f", 1,
        ActivationStatus.TIMEOUT, null, null, 100, 40);
    assertEquals(0, backwards.durationMs());
    assertEquals(0, backwards.toJson().getInteger("duration_ms"));
    // still a valid message
    assertEquals(backwards, MessageCodec.decodeResult(MessageCodec.encode(backwards)));
  }

  @ParameterizedTest
  @EnumSource(value = ActivationStatus.class, names = {"QUEUED", "RUNNING"})
  void nonTerminalStatusIsRejectedByTheRecord(ActivationStatus status) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new InvocationResult(
        "abcdefgh", "req", null, "t", "n", "f", 1, status, null, null, 0, 0));
    assertTrue(e.getMessage().contains(status.toString()), e.getMessage());
  }

  @Test
  void resultRecordRequiresIdsAndStatus() {
    assertThrows(NullPointerException.class, () -> new InvocationResult(null, "req", null, "t", "n", "f", 1,
        ActivationStatus.SUCCESS, null, null, 0, 0));
    assertThrows(NullPointerException.class, () -> new InvocationResult("abcdefgh", null, null, "t", "n", "f", 1,
        ActivationStatus.SUCCESS, null, null, 0, 0));
    assertThrows(NullPointerException.class, () -> new InvocationResult("abcdefgh", "req", null, "t", "n", "f", 1,
        null, null, null, 0, 0));
  }

  @ParameterizedTest
  @ValueSource(strings = {"queued", "running", "SUCCESS", "done"})
  void nonTerminalOrUnknownStatusOnTheWireIsMalformed(String status) {
    JsonObject json = successResult().toJson().put("status", status);
    MalformedMessageException e = malformedResult(json.toBuffer());
    assertTrue(e.getMessage().startsWith("message.status: "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"statusCode", "headers", "body", "isBase64Encoded"})
  void responseMustHaveAllItsFields(String field) {
    JsonObject json = successResult().toJson();
    json.getJsonObject("response").remove(field);
    MalformedMessageException e = malformedResult(json.toBuffer());
    assertTrue(e.getMessage().startsWith("message.response: "), e.getMessage());
  }

  /** Same root cause as JsonSchemasTest#outOfRangeReasonNamesTheViolatedBound. */
  @ParameterizedTest
  @ValueSource(strings = {"statusCode", "headers", "body", "isBase64Encoded"})
  void missingResponseFieldIsNamedInTheReason(String field) {
    JsonObject json = successResult().toJson();
    json.getJsonObject("response").remove(field);
    MalformedMessageException e = malformedResult(json.toBuffer());
    assertTrue(e.getMessage().contains("\"" + field + "\""), e.getMessage());
  }

  static Stream<Arguments> invalidResultFields() {
    return Stream.of(
        Arguments.of("statusCode 99", (UnaryOperator<JsonObject>) j -> {
          j.getJsonObject("response").put("statusCode", 99);
          return j;
        }, "message.response.statusCode"),
        Arguments.of("statusCode 101, an interim status", (UnaryOperator<JsonObject>) j -> {
          j.getJsonObject("response").put("statusCode", 101);
          return j;
        }, "message.response.statusCode"),
        Arguments.of("statusCode 600", (UnaryOperator<JsonObject>) j -> {
          j.getJsonObject("response").put("statusCode", 600);
          return j;
        }, "message.response.statusCode"),
        Arguments.of("header value not a string", (UnaryOperator<JsonObject>) j -> {
          j.getJsonObject("response").put("headers", new JsonObject().put("x-n", 1));
          return j;
        }, "message.response.headers.x-n"),
        Arguments.of("body not a string", (UnaryOperator<JsonObject>) j -> {
          j.getJsonObject("response").put("body", new JsonObject());
          return j;
        }, "message.response.body"),
        Arguments.of("response as string", (UnaryOperator<JsonObject>) j -> j.put("response", "ok"),
            "message.response"),
        Arguments.of("error without message",
            (UnaryOperator<JsonObject>) j -> j.put("error", new JsonObject().put("code", "CS_TIMEOUT")),
            "message.error"),
        Arguments.of("error code not in catalog form", (UnaryOperator<JsonObject>) j -> j.put("error",
            new JsonObject().put("code", "oops").put("message", "m")), "message.error.code"),
        Arguments.of("version zero", (UnaryOperator<JsonObject>) j -> j.put("version", 0), "message.version"),
        Arguments.of("negative duration", (UnaryOperator<JsonObject>) j -> j.put("duration_ms", -1),
            "message.duration_ms"),
        Arguments.of("bad activation_id", (UnaryOperator<JsonObject>) j -> j.put("activation_id", "x"),
            "message.activation_id"),
        Arguments.of("tenant null", (UnaryOperator<JsonObject>) j -> j.put("tenant", null), "message.tenant"));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("invalidResultFields")
  void invalidResultFieldIsMalformedWithItsPath(String label, UnaryOperator<JsonObject> breakIt, String path) {
    JsonObject json = breakIt.apply(successResult().toJson());
    MalformedMessageException e = malformedResult(json.toBuffer());
    assertTrue(e.getMessage().startsWith(path + ": "), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"activation_id", "request_id", "tenant", "namespace", "function", "version", "status",
      "start_ms", "end_ms", "duration_ms"})
  void missingRequiredResultFieldIsMalformedAndNamed(String field) {
    JsonObject json = successResult().toJson();
    json.remove(field);
    MalformedMessageException e = malformedResult(json.toBuffer());
    assertTrue(e.getMessage().contains("\"" + field + "\""), e.getMessage());
  }
}
