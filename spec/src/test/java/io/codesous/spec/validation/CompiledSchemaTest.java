package io.codesous.spec.validation;

import io.codesous.spec.error.CsException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The compiled envelope schemas must judge every document as the general validator does: the same
 * documents valid, and for an invalid one the same path. The documents are valid envelopes and every
 * single-member change to them: removed, null, each JSON type, and values at and past each bound.
 */
class CompiledSchemaTest {

  private static final List<Object> REPLACEMENTS = List.of(
      "", "x", "abcdefgh", "-abcdefgh", "A", "a".repeat(63), "a".repeat(64), "b".repeat(129), "c".repeat(257),
      "CS_OK", "cs_bad", "\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9\u00e9", "http", "success", "cs.invoke.v1",
      "cs.results.v1", 0, 1, -1, 99, 100, 599, 600, 1_000_000, 1_000_001, 1.0, 1.5, -0.5, Long.MAX_VALUE,
      true, false, new JsonObject(), new JsonArray(), new JsonArray().add(1),
      new JsonObject().put("a", "b"), new JsonObject().put("a", 1));

  static JsonObject request() {
    return new JsonObject()
        .put("schema", "cs.invoke.v1").put("activation_id", "0123abcd-0000-4000-8000-000000000000")
        .put("request_id", "req-1").put("tenant", "acme").put("namespace", "default").put("function", "hello")
        .put("ref", "prod").put("version", 3)
        .put("trigger", new JsonObject().put("type", "http").put("source", new JsonObject()))
        .put("principal", new JsonObject().put("subject", "s"))
        .put("event", new JsonObject().put("path", "/"))
        .put("deadline_ms", 1_732_370_230_000L).put("timeout_ms", 30_000).put("reply_to", "gw-1")
        .put("trace", new JsonObject().put("traceparent", "00-abc-def-01"))
        .put("published_at_ms", 1_732_370_200_000L).put("attempt", 1).put("parent_activation_id", null);
  }

  static JsonObject result() {
    return new JsonObject()
        .put("schema", "cs.results.v1").put("activation_id", "0123abcd-0000-4000-8000-000000000000")
        .put("request_id", "req-1").put("reply_to", "gw-1").put("tenant", "acme").put("namespace", "default")
        .put("function", "hello").put("version", 3).put("status", "success")
        .put("response", new JsonObject().put("statusCode", 200)
            .put("headers", new JsonObject().put("content-type", "text/plain"))
            .put("body", "hi").put("isBase64Encoded", false))
        .put("error", new JsonObject().put("code", "CS_TIMEOUT").put("message", "late"))
        .put("start_ms", 1_732_370_200_003L).put("end_ms", 1_732_370_200_010L).put("duration_ms", 7);
  }

  @Test
  void theEnvelopeSchemasAreCompiledAndTheOthersAreNot() {
    assertTrue(JsonSchemas.INVOKE_V1.isCompiled());
    assertTrue(JsonSchemas.RESULTS_V1.isCompiled());
    // if/then and items are not among the compiled keywords: the manifest keeps the general validator
    assertTrue(!JsonSchemas.MANIFEST.isCompiled());
  }

  @Test
  void requestsAreJudgedAsTheGeneralValidatorJudgesThem() {
    int invalid = agreeOnEveryVariant(JsonSchemas.INVOKE_V1, request());
    assertTrue(invalid > 100, "the variants include invalid documents: " + invalid);
  }

  @Test
  void resultsAreJudgedAsTheGeneralValidatorJudgesThem() {
    int invalid = agreeOnEveryVariant(JsonSchemas.RESULTS_V1, result());
    assertTrue(invalid > 100, "the variants include invalid documents: " + invalid);
  }

  @Test
  void aFailureNamesTheMemberAndWhy() {
    JsonObject bad = request();
    bad.getJsonObject("trigger").put("type", "carrier-pigeon");
    CsException e = assertThrows(CsException.class, () -> JsonSchemas.INVOKE_V1.validate("message", bad));
    assertEquals("message.trigger.type", e.details().getString("path"));
    assertTrue(e.getMessage().contains("must be one of"), e.getMessage());

    JsonObject missing = request();
    missing.remove("tenant");
    CsException m = assertThrows(CsException.class, () -> JsonSchemas.INVOKE_V1.validate("message", missing));
    assertEquals("message", m.details().getString("path"));
    assertTrue(m.getMessage().contains("tenant"), m.getMessage());
  }

  @Test
  void aSchemaWithAnUncompiledKeywordIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> CompiledSchema.compile(
        new JsonObject().put("type", "array").put("items", new JsonObject().put("type", "string"))));
    assertThrows(IllegalArgumentException.class, () -> CompiledSchema.compile(
        new JsonObject().put("$ref", "https://elsewhere.example/schema.json")));
  }

  /** @return how many variants were invalid */
  private static int agreeOnEveryVariant(JsonSchemas schema, JsonObject valid) {
    List<JsonObject> variants = new ArrayList<>();
    variants.add(valid);
    mutate(valid, variants::add);
    int invalid = 0;
    for (JsonObject variant : variants) {
      String compiled = pathOfFailure(() -> schema.validate("message", variant));
      String interpreted = pathOfFailure(() -> schema.validateInterpreted("message", variant));
      if (!java.util.Objects.equals(compiled, interpreted)) {
        fail("compiled says " + compiled + ", general validator says " + interpreted + " for " + variant.encode());
      }
      if (compiled != null) {
        invalid++;
      }
    }
    return invalid;
  }

  /** Every document that differs from {@code doc} in one member, at any depth. */
  private static void mutate(JsonObject doc, Consumer<JsonObject> out) {
    for (String name : doc.fieldNames()) {
      JsonObject removed = doc.copy();
      removed.remove(name);
      out.accept(removed);
      for (Object replacement : withNull()) {
        JsonObject changed = doc.copy();
        changed.put(name, replacement instanceof JsonObject o ? o.copy() : replacement);
        out.accept(changed);
      }
      if (doc.getValue(name) instanceof JsonObject nested) {
        mutate(nested, variant -> out.accept(doc.copy().put(name, variant)));
      }
    }
    JsonObject extra = doc.copy().put("unexpected_member", 1);
    out.accept(extra);
  }

  private static List<Object> withNull() {
    List<Object> all = new ArrayList<>(REPLACEMENTS);
    all.add(null);
    return all;
  }

  private static String pathOfFailure(Runnable validation) {
    try {
      validation.run();
      return null;
    } catch (CsException e) {
      return e.details().getString("path");
    }
  }
}
