package io.codesous.gateway;

import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.model.ActivationStatus;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The answer to a result and the event of a call, both computed without a connection. */
class WebAnswerTest {

  private static final ResponseHeaderRules RULES = ResponseHeaderRules.forFunction("acme", "default", "fn");

  private static InvocationResult result(ActivationStatus status, JsonObject response, JsonObject error) {
    return new InvocationResult("act-1", "req-1", null, "acme", "default", "fn", 1, status, response, error, 0, 5);
  }

  @Test
  void aSuccessAnswersWithTheFunctionsStatusHeadersAndDecodedBody() {
    JsonObject response = new JsonObject().put("statusCode", 201)
        .put("headers", new JsonObject().put("x-kind", "ok").put("X-Kind", "last").put("x-cs-status", "forged")
            .put("Set-Cookie", "a=1; Path=/").put("set-cookie", "b=2"))
        .put("body", "aGk=").put("isBase64Encoded", true);

    WebAnswer answer = WebAnswer.of(result(ActivationStatus.SUCCESS, response, null), RULES, "req-1");

    assertEquals(201, answer.status());
    assertEquals(List.of(Map.entry("X-Kind", "last"), Map.entry("Set-Cookie", "a=1; Path=/v1/web/acme/default/fn/"),
        Map.entry("set-cookie", "b=2; Path=/v1/web/acme/default/fn/")), answer.headers());
    assertEquals("hi", answer.body().toString(StandardCharsets.UTF_8));
  }

  @Test
  void aTimeoutAnswersWithThePlatformsErrorBodyNamingTheActivation() {
    WebAnswer answer = WebAnswer.of(result(ActivationStatus.TIMEOUT, null,
        new JsonObject().put("code", "CS_TIMEOUT").put("message", "too slow")), RULES, "req-9");

    assertEquals(504, answer.status());
    assertEquals(List.of(Map.entry("content-type", "application/json")), answer.headers());
    JsonObject error = answer.body().toJsonObject().getJsonObject("error");
    assertEquals("CS_TIMEOUT", error.getString("code"));
    assertEquals("req-9", error.getString("request_id"));
    assertEquals("act-1", error.getJsonObject("details").getString("activation_id"));
  }

  @Test
  void aResponseThatCannotBeDecodedIsARuntimeException() {
    JsonObject response = new JsonObject().put("statusCode", 200).put("body", "%%%").put("isBase64Encoded", true);

    WebAnswer answer = WebAnswer.of(result(ActivationStatus.SUCCESS, response, null), RULES, "req-1");

    assertEquals(502, answer.status());
    assertEquals("CS_RUNTIME_EXCEPTION", answer.body().toJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void theEventOfACallGivenByItsPartsHasItsProxyPathQueryAndTextBody() {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json")
        .add("authorization", "Bearer secret");

    JsonObject event = HttpEvents.event("POST", "/v1/web/acme/default/fn/latest/a/b?x=1&x=2&y=%20", headers,
        Buffer.buffer("{\"n\":1}"), "req-1", "act-1");

    assertEquals("/a/b", event.getString("proxyPath"));
    assertEquals("/v1/web/acme/default/fn/latest/a/b", event.getString("path"));
    assertEquals(new JsonObject().put("x", "2").put("y", " "), event.getJsonObject("queryStringParameters"));
    assertEquals("{\"n\":1}", event.getString("body"));
    assertEquals("application/json", event.getJsonObject("headers").getString("content-type"));
    assertTrue(!event.getJsonObject("headers").containsKey("authorization"), "the caller's token is not passed on");
    assertEquals("act-1", event.getJsonObject("requestContext").getString("activationId"));
  }
}
