package io.codesous.spec.model;

import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.validation.JsonSchemas;
import io.codesous.spec.validation.Names;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestTest {

  private static final JsonObject DEFAULT_LIMITS_JSON = new JsonObject()
      .put("timeoutMs", 30_000)
      .put("memoryMb", 128)
      .put("maxConcurrency", 16)
      .put("maxLogBytes", 262_144)
      .put("maxResponseBytes", 6_291_456)
      .put("maxResponseHeaders", 100)
      .put("maxResponseHeaderBytes", 32_768)
      .put("initTimeoutMs", 30_000);

  // ---------------------------------------------------------------- defaults

  @Test
  void limitDefaultsArePinned() {
    assertEquals(new Limits(30_000, 128, 16, 262_144, 6_291_456, 100, 32_768, 30_000), Limits.DEFAULTS);
    assertEquals(DEFAULT_LIMITS_JSON, Limits.DEFAULTS.toJson());
  }

  @Test
  void nullManifestIsAllDefaults() {
    Manifest m = Manifest.parse(null);
    assertEquals("index.mjs", m.entry());
    assertEquals(Limits.DEFAULTS, m.limits());
    assertEquals(new JsonObject().put("entry", "index.mjs").put("limits", DEFAULT_LIMITS_JSON), m.document());
  }

  @Test
  void emptyManifestIsAllDefaults() {
    Manifest m = Manifest.parse(new JsonObject());
    assertEquals(Manifest.DEFAULT_ENTRY, m.entry());
    assertEquals("index.mjs", Manifest.DEFAULT_ENTRY);
    assertEquals(Limits.DEFAULTS, m.limits());
    assertEquals(Set.of("entry", "limits"), m.document().fieldNames());
    assertEquals(DEFAULT_LIMITS_JSON, m.document().getJsonObject("limits"));
    assertEquals(Manifest.parse(null), m);
  }

  @Test
  void partialLimitsAreCompletedWithDefaults() {
    Manifest m = Manifest.parse(new JsonObject().put("limits", new JsonObject().put("memoryMb", 256)));
    assertEquals(new Limits(30_000, 256, 16, 262_144, 6_291_456), m.limits());
    assertEquals(DEFAULT_LIMITS_JSON.copy().put("memoryMb", 256), m.document().getJsonObject("limits"));
    assertEquals("index.mjs", m.document().getString("entry"));
  }

  @Test
  void emptyLimitsObjectIsDefaults() {
    Manifest m = Manifest.parse(new JsonObject().put("limits", new JsonObject()));
    assertEquals(Limits.DEFAULTS, m.limits());
  }

  @Test
  void explicitEntryIsKept() {
    Manifest m = Manifest.parse(new JsonObject().put("entry", "src/main.mjs"));
    assertEquals("src/main.mjs", m.entry());
    assertEquals("src/main.mjs", m.document().getString("entry"));
  }

  @Test
  void allLimitsSet() {
    JsonObject limits = new JsonObject().put("timeoutMs", 1000).put("memoryMb", 64).put("maxConcurrency", 2)
        .put("maxLogBytes", 2048).put("maxResponseBytes", 100).put("maxResponseHeaders", 7)
        .put("maxResponseHeaderBytes", 2048).put("initTimeoutMs", 2500);
    Manifest m = Manifest.parse(new JsonObject().put("limits", limits));
    assertEquals(new Limits(1000, 64, 2, 2048, 100, 7, 2048, 2500), m.limits());
    assertEquals(limits, m.document().getJsonObject("limits"));
  }

  @Test
  void parseDoesNotModifyItsInput() {
    JsonObject input = new JsonObject().put("limits", new JsonObject().put("memoryMb", 256));
    JsonObject before = input.copy();
    Manifest m = Manifest.parse(input);
    assertEquals(before, input);
    // and later changes to the input do not reach the manifest
    input.getJsonObject("limits").put("memoryMb", 512);
    input.put("entry", "other.mjs");
    assertEquals(256, m.document().getJsonObject("limits").getInteger("memoryMb"));
    assertEquals("index.mjs", m.document().getString("entry"));
  }

  // ---------------------------------------------------------------- verbatim sections

  private static JsonObject fullManifest() {
    return new JsonObject()
        .put("entry", "lib/handler.mjs")
        .put("limits", new JsonObject().put("timeoutMs", 5000))
        .put("capabilities", new JsonObject()
            .put("kv", new JsonObject()
                .put("read", new JsonArray().add("cache:").add("config:"))
                .put("write", new JsonArray().add("cache:")))
            .put("codeq", new JsonObject().put("publish", new JsonArray().add("orders.created").add("audit")))
            .put("http", new JsonObject().put("allow", new JsonArray().add("api.example.com").add("10.0.0.1"))))
        .put("invoke_http_roles", new JsonArray().add("admin").add("svc:billing"))
        .put("invoke_cadence_roles", new JsonArray())
        .put("invoke_schedule_roles", new JsonArray().add("scheduler_1"))
        .put("env", new JsonObject().put("API_URL", "https://api.example.com").put("_DEBUG", "").put("mode", "x"));
  }

  @Test
  void envValuesReachTheSandboxInManifestOrder() {
    assertEquals(List.of("API_URL=https://api.example.com", "_DEBUG=", "mode=x"),
        Manifest.parse(fullManifest()).env().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
    assertTrue(Manifest.parse(new JsonObject()).env().isEmpty());
  }

  @Test
  void capabilitiesRolesAndEnvAreKeptVerbatim() {
    JsonObject input = fullManifest();
    Manifest m = Manifest.parse(input);

    JsonObject doc = m.document();
    assertEquals(input.getJsonObject("capabilities"), doc.getJsonObject("capabilities"));
    assertEquals(input.getJsonArray("invoke_http_roles"), doc.getJsonArray("invoke_http_roles"));
    assertEquals(input.getJsonArray("invoke_cadence_roles"), doc.getJsonArray("invoke_cadence_roles"));
    assertEquals(input.getJsonArray("invoke_schedule_roles"), doc.getJsonArray("invoke_schedule_roles"));
    assertEquals(input.getJsonObject("env"), doc.getJsonObject("env"));
    assertEquals("lib/handler.mjs", m.entry());
    assertEquals(5000, m.limits().timeoutMs());
    assertEquals(128, m.limits().memoryMb());

    // exactly the input plus the defaults filled in
    JsonObject expected = input.copy().put("limits", DEFAULT_LIMITS_JSON.copy().put("timeoutMs", 5000));
    assertEquals(expected, doc);
  }

  @Test
  void toJsonIsACopy() {
    Manifest m = Manifest.parse(fullManifest());
    JsonObject json = m.toJson();
    json.put("entry", "evil.mjs");
    json.getJsonObject("env").put("INJECTED", "1");
    assertEquals("lib/handler.mjs", m.toJson().getString("entry"));
    assertTrue(!m.toJson().getJsonObject("env").containsKey("INJECTED"));
  }

  @Test
  void fromStoredRoundTrip() {
    Manifest original = Manifest.parse(fullManifest());
    Manifest restored = Manifest.fromStored(original.toJson());
    assertEquals(original, restored);
    assertEquals(original.entry(), restored.entry());
    assertEquals(original.limits(), restored.limits());
    assertEquals(original.toJson(), restored.toJson());
    // and again, through the wire encoding
    Manifest reparsed = Manifest.fromStored(new JsonObject(original.toJson().encode()));
    assertEquals(original, reparsed);
  }

  @Test
  void fromStoredOfDefaultsRoundTrips() {
    Manifest original = Manifest.parse(null);
    assertEquals(original, Manifest.fromStored(original.toJson()));
  }

  @Test
  void fromStoredCopiesItsInput() {
    JsonObject stored = Manifest.parse(null).toJson();
    Manifest m = Manifest.fromStored(stored);
    stored.put("entry", "changed.mjs");
    assertEquals("index.mjs", m.toJson().getString("entry"));
  }

  @Test
  void fromStoredFillsMissingMembersWithDefaults() {
    Manifest m = Manifest.fromStored(new JsonObject());
    assertEquals("index.mjs", m.entry());
    assertEquals(Limits.DEFAULTS, m.limits());
  }

  @Test
  void limitsFromJsonNullIsDefaults() {
    assertEquals(Limits.DEFAULTS, Limits.fromJson(null));
    assertEquals(Limits.DEFAULTS, Limits.fromJson(new JsonObject()));
  }

  @Test
  void limitsJsonRoundTrip() {
    Limits l = new Limits(11, 17, 3, 4096, 5, 9, 4096, 60_000);
    assertEquals(l, Limits.fromJson(l.toJson()));
  }

  // ---------------------------------------------------------------- rejections

  static Stream<Arguments> invalidManifests() {
    return Stream.of(
        Arguments.of("unknown top-level field", new JsonObject().put("bogus", 1), "manifest.bogus"),
        Arguments.of("unknown top-level field (typo of limits)",
            new JsonObject().put("limit", new JsonObject()), "manifest.limit"),
        Arguments.of("unknown field under limits",
            new JsonObject().put("limits", new JsonObject().put("bogus", 1)), "manifest.limits.bogus"),
        Arguments.of("unknown field under limits (wrong case)",
            new JsonObject().put("limits", new JsonObject().put("timeoutms", 1000)), "manifest.limits.timeoutms"),
        Arguments.of("timeoutMs too small", limits("timeoutMs", 5), "manifest.limits.timeoutMs"),
        Arguments.of("timeoutMs too large", limits("timeoutMs", 10_000_000), "manifest.limits.timeoutMs"),
        Arguments.of("timeoutMs negative", limits("timeoutMs", -1), "manifest.limits.timeoutMs"),
        Arguments.of("timeoutMs string", limits("timeoutMs", "5000"), "manifest.limits.timeoutMs"),
        Arguments.of("timeoutMs fractional", limits("timeoutMs", 5000.5), "manifest.limits.timeoutMs"),
        Arguments.of("timeoutMs boolean", limits("timeoutMs", true), "manifest.limits.timeoutMs"),
        Arguments.of("timeoutMs null", limits("timeoutMs", null), "manifest.limits.timeoutMs"),
        Arguments.of("memoryMb too large", limits("memoryMb", 4097), "manifest.limits.memoryMb"),
        Arguments.of("maxResponseHeaders over the ceiling", limits("maxResponseHeaders", 501),
            "manifest.limits.maxResponseHeaders"),
        Arguments.of("maxResponseHeaderBytes over the ceiling", limits("maxResponseHeaderBytes", 262_145),
            "manifest.limits.maxResponseHeaderBytes"),
        Arguments.of("initTimeoutMs too small", limits("initTimeoutMs", 5), "manifest.limits.initTimeoutMs"),
        Arguments.of("initTimeoutMs above its 60 s maximum", limits("initTimeoutMs", 60_001),
            "manifest.limits.initTimeoutMs"),
        Arguments.of("limits not an object", new JsonObject().put("limits", "fast"), "manifest.limits"),
        Arguments.of("limits null", new JsonObject().put("limits", null), "manifest.limits"),
        Arguments.of("entry number", new JsonObject().put("entry", 5), "manifest.entry"),
        Arguments.of("entry empty", new JsonObject().put("entry", ""), "manifest.entry"),
        Arguments.of("entry with space", new JsonObject().put("entry", "my file.mjs"), "manifest.entry"),
        Arguments.of("entry null", new JsonObject().put("entry", null), "manifest.entry"),
        Arguments.of("env key starts with digit",
            new JsonObject().put("env", new JsonObject().put("1A", "x")), "manifest.env.1A"),
        Arguments.of("env value not a string",
            new JsonObject().put("env", new JsonObject().put("A", 5)), "manifest.env.A"),
        Arguments.of("env not an object", new JsonObject().put("env", new JsonArray()), "manifest.env"),
        Arguments.of("role with uppercase",
            new JsonObject().put("invoke_http_roles", new JsonArray().add("ok").add("Admin")),
            "manifest.invoke_http_roles[1]"),
        Arguments.of("duplicate roles",
            new JsonObject().put("invoke_schedule_roles", new JsonArray().add("a").add("a")),
            "manifest.invoke_schedule_roles"),
        Arguments.of("roles not an array",
            new JsonObject().put("invoke_cadence_roles", "admin"), "manifest.invoke_cadence_roles"),
        Arguments.of("secret name with uppercase",
            new JsonObject().put("secrets", new JsonArray().add("db-password").add("Token")), "manifest.secrets[1]"),
        Arguments.of("secret name starting with a digit",
            new JsonObject().put("secrets", new JsonArray().add("1token")), "manifest.secrets[0]"),
        Arguments.of("secret name with a colon",
            new JsonObject().put("secrets", new JsonArray().add("a:b")), "manifest.secrets[0]"),
        Arguments.of("secret name too long",
            new JsonObject().put("secrets", new JsonArray().add("a".repeat(64))), "manifest.secrets[0]"),
        Arguments.of("secret name empty",
            new JsonObject().put("secrets", new JsonArray().add("")), "manifest.secrets[0]"),
        Arguments.of("secret name not a string",
            new JsonObject().put("secrets", new JsonArray().add(7)), "manifest.secrets[0]"),
        Arguments.of("duplicate secret names",
            new JsonObject().put("secrets", new JsonArray().add("token").add("token")), "manifest.secrets"),
        Arguments.of("secrets not an array",
            new JsonObject().put("secrets", "token"), "manifest.secrets"),
        Arguments.of("secrets null",
            new JsonObject().put("secrets", null), "manifest.secrets"),
        Arguments.of("unknown capability",
            new JsonObject().put("capabilities", new JsonObject().put("fs", new JsonObject())),
            "manifest.capabilities.fs"),
        Arguments.of("unknown kv operation",
            new JsonObject().put("capabilities", new JsonObject().put("kv",
                new JsonObject().put("delete", new JsonArray()))), "manifest.capabilities.kv.delete"),
        Arguments.of("bad http host",
            new JsonObject().put("capabilities", new JsonObject().put("http",
                new JsonObject().put("allow", new JsonArray().add("ok.example").add("bad host")))),
            "manifest.capabilities.http.allow[1]"),
        Arguments.of("bad codeq topic",
            new JsonObject().put("capabilities", new JsonObject().put("codeq",
                new JsonObject().put("publish", new JsonArray().add("Orders")))),
            "manifest.capabilities.codeq.publish[0]"),
        Arguments.of("empty kv prefix",
            new JsonObject().put("capabilities", new JsonObject().put("kv",
                new JsonObject().put("read", new JsonArray().add("")))),
            "manifest.capabilities.kv.read[0]"));
  }

  private static JsonObject limits(String field, Object value) {
    return new JsonObject().put("limits", new JsonObject().put(field, value));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("invalidManifests")
  void invalidManifestIsRejectedNamingThePath(String label, JsonObject manifest, String expectedPath) {
    CsException e = assertThrows(CsException.class, () -> Manifest.parse(manifest));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals(expectedPath, e.details().getString("path"), e.getMessage());
    assertTrue(e.getMessage().startsWith(expectedPath + ": "), e.getMessage());
    assertTrue(e.getMessage().length() > (expectedPath + ": ").length(), "a reason follows the path");
  }

  @Test
  void unknownPropertyIsNamedInPathAndInReason() {
    CsException e = assertThrows(CsException.class, () -> Manifest.parse(new JsonObject().put("bogus", 1)));
    // the path is the unknown member itself, not its parent object
    assertEquals("manifest.bogus", e.details().getString("path"));
    String reason = e.getMessage().substring("manifest.bogus: ".length());
    assertTrue(reason.contains("bogus"), reason);

    CsException nested = assertThrows(CsException.class,
        () -> Manifest.parse(new JsonObject().put("limits", new JsonObject().put("cpu", 2))));
    assertEquals("manifest.limits.cpu", nested.details().getString("path"));
    assertTrue(nested.getMessage().contains("cpu"), nested.getMessage());
  }

  static Stream<Arguments> limitBounds() {
    return Stream.of(
        Arguments.of("timeoutMs", 10, 300_000),
        Arguments.of("memoryMb", 16, 4096),
        Arguments.of("maxConcurrency", 1, 1000),
        Arguments.of("maxLogBytes", 1024, 4_194_304),
        Arguments.of("maxResponseBytes", 1, 6_291_456));
  }

  @ParameterizedTest(name = "{0} in [{1}, {2}]")
  @MethodSource("limitBounds")
  void limitBoundsAreInclusive(String field, int min, int max) {
    assertEquals(min, Manifest.parse(limits(field, min)).limits().toJson().getInteger(field));
    assertEquals(max, Manifest.parse(limits(field, max)).limits().toJson().getInteger(field));

    for (int outside : new int[] {min - 1, max + 1}) {
      CsException e = assertThrows(CsException.class, () -> Manifest.parse(limits(field, outside)),
          field + "=" + outside);
      assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
      assertEquals("manifest.limits." + field, e.details().getString("path"));
    }
  }

  @Test
  void anOperatorsHigherTimeoutCapLetsAManifestAskForHours() {
    assertEquals(7_200_000, Manifest.parse(limits("timeoutMs", 7_200_000), 7_200_000).limits().timeoutMs());
    CsException above = assertThrows(CsException.class,
        () -> Manifest.parse(limits("timeoutMs", 7_200_001), 7_200_000));
    assertEquals("manifest.limits.timeoutMs", above.details().getString("path"));
    assertEquals("manifest.limits.timeoutMs: 7200001 is greater than 7200000 (the operator's limits.maxTimeoutMs)",
        above.getMessage());
    assertThrows(CsException.class, () -> Manifest.parse(limits("timeoutMs", 7_200_000)),
        "without the operator's setting the cap stays 5 minutes");
  }

  @ParameterizedTest
  @CsvSource({"0", "-2147483648", "2147483647"})
  void extremeTimeoutsAreRejected(int timeoutMs) {
    CsException e = assertThrows(CsException.class, () -> Manifest.parse(limits("timeoutMs", timeoutMs)));
    assertEquals("manifest.limits.timeoutMs", e.details().getString("path"));
  }

  @Test
  void envLimitsAreEnforced() {
    JsonObject env = new JsonObject();
    for (int i = 0; i < 128; i++) {
      env.put("K" + i, "v");
    }
    assertEquals(128, Manifest.parse(new JsonObject().put("env", env)).document().getJsonObject("env").size());
    env.put("K128", "v");
    CsException e = assertThrows(CsException.class, () -> Manifest.parse(new JsonObject().put("env", env)));
    assertEquals("manifest.env", e.details().getString("path"));

    JsonObject longValue = new JsonObject().put("A", "x".repeat(4097));
    CsException tooLong = assertThrows(CsException.class,
        () -> Manifest.parse(new JsonObject().put("env", longValue)));
    assertEquals("manifest.env.A", tooLong.details().getString("path"));
    assertEquals("x".repeat(4096), Manifest.parse(new JsonObject().put("env", new JsonObject()
        .put("A", "x".repeat(4096)))).document().getJsonObject("env").getString("A"));
  }

  // ---------------------------------------------------------------- secrets

  @Test
  void secretNamesAreEmptyWhenAbsent() {
    assertEquals(List.of(), Manifest.parse(null).secretNames());
    assertEquals(List.of(), Manifest.parse(new JsonObject().put("secrets", new JsonArray())).secretNames());
    assertEquals(List.of(), Manifest.fromStored(new JsonObject()).secretNames());
  }

  @Test
  void secretNamesKeepManifestOrderAndSurviveStorage() {
    Manifest m = Manifest.parse(new JsonObject().put("secrets", new JsonArray().add("stripe-key").add("db-password")));
    assertEquals(List.of("stripe-key", "db-password"), m.secretNames());
    assertEquals(new JsonArray().add("stripe-key").add("db-password"), m.document().getJsonArray("secrets"));
    assertEquals(m.secretNames(), Manifest.fromStored(m.toJson()).secretNames());
    assertThrows(UnsupportedOperationException.class, () -> m.secretNames().add("other"));
  }

  @Test
  void secretNamesFollowTheNameRule() {
    JsonObject items = JsonSchemas.MANIFEST.schema().getJsonObject("properties").getJsonObject("secrets")
        .getJsonObject("items");
    assertEquals(Names.NAME.pattern(), items.getString("pattern"));
    String longest = "a" + "b".repeat(62);
    assertEquals(List.of(longest),
        Manifest.parse(new JsonObject().put("secrets", new JsonArray().add(longest))).secretNames());
  }

  @Test
  void atMost64SecretNames() {
    JsonArray names = new JsonArray();
    for (int i = 0; i < 64; i++) {
      names.add("s" + i);
    }
    assertEquals(64, Manifest.parse(new JsonObject().put("secrets", names)).secretNames().size());
    names.add("s64");
    CsException e = assertThrows(CsException.class, () -> Manifest.parse(new JsonObject().put("secrets", names)));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    assertEquals("manifest.secrets", e.details().getString("path"));
  }

  // ---------------------------------------------------------------- invoke roles

  @Test
  void invokeRolesArePerTrigger() {
    Manifest m = Manifest.parse(new JsonObject()
        .put("invoke_http_roles", new JsonArray().add("web").add("admin"))
        .put("invoke_cadence_roles", new JsonArray().add("service:cadence-poller"))
        .put("invoke_schedule_roles", new JsonArray().add("service:scheduler")));
    assertEquals(List.of("web", "admin"), m.invokeRoles("http"));
    assertEquals(List.of("service:cadence-poller"), m.invokeRoles("cadence"));
    assertEquals(List.of("service:scheduler"), m.invokeRoles("schedule"));
    assertEquals(m.invokeRoles("http"), Manifest.fromStored(m.toJson()).invokeRoles("http"));
  }

  @Test
  void invokeRolesAreEmptyWhenAbsentOrForOtherTriggers() {
    Manifest m = Manifest.parse(new JsonObject().put("invoke_http_roles", new JsonArray().add("web")));
    assertEquals(List.of(), m.invokeRoles("cadence"));
    assertEquals(List.of(), m.invokeRoles("schedule"));
    assertEquals(List.of(), m.invokeRoles("cli"));
    assertEquals(List.of(), m.invokeRoles("event"));
    assertEquals(List.of(), m.invokeRoles("HTTP"));
    assertEquals(List.of(), m.invokeRoles("invoke_http_roles"));
    assertEquals(List.of(), m.invokeRoles(null));
    assertEquals(List.of(), Manifest.parse(null).invokeRoles("http"));
  }

  @Test
  void differentManifestsAreNotEqual() {
    assertNotEquals(Manifest.parse(null), Manifest.parse(limits("timeoutMs", 1000)));
    assertNotEquals(Manifest.parse(null), Manifest.parse(new JsonObject().put("env", new JsonObject().put("A", "1"))));
  }

  // ---------------------------------------------------------------- size bounds first

  static JsonArray strings(String prefix, int n) {
    JsonArray out = new JsonArray();
    for (int i = 0; i < n; i++) {
      out.add(prefix + i);
    }
    return out;
  }

  static String refusal(JsonObject manifest) {
    CsException e = assertThrows(CsException.class, () -> Manifest.parse(manifest));
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, e.code());
    return e.getMessage();
  }

  @Test
  void anOversizedListIsRefusedWithItsCountAndTheLimit() {
    JsonObject manifest = new JsonObject().put("capabilities", new JsonObject()
        .put("kv", new JsonObject().put("read", strings("orders/", 5000))));

    assertEquals("manifest.capabilities.kv.read: has 5000 entries; at most 64 are allowed", refusal(manifest));
  }

  @Test
  void anOversizedObjectIsRefusedWithItsCountAndTheLimit() {
    JsonObject env = new JsonObject();
    for (int i = 0; i < 500_000; i++) {
      env.put("K" + i, "v");
    }

    assertEquals("manifest.env: has 500000 entries; at most 128 are allowed",
        refusal(new JsonObject().put("env", env)));
  }

  @Test
  void anOversizedStringIsRefusedWithItsLengthAndTheLimit() {
    assertEquals("manifest.env.TOKEN: is 5000 characters long; at most 4096 are allowed",
        refusal(new JsonObject().put("env", new JsonObject().put("TOKEN", "x".repeat(5000)))));
    assertEquals("manifest.secrets: has 65 entries; at most 64 are allowed",
        refusal(new JsonObject().put("secrets", strings("s", 65))));
  }

  @Test
  void listsWithinTheirBoundsAreStillCheckedItemByItem() {
    JsonArray grants = strings("orders/", 63).add("x".repeat(257));

    assertEquals("manifest.capabilities.kv.read[63]: is 257 characters long; at most 256 are allowed",
        refusal(new JsonObject().put("capabilities", new JsonObject()
            .put("kv", new JsonObject().put("read", grants)))));
    assertTrue(refusal(new JsonObject().put("secrets", new JsonArray().add("a").add("a")))
        .startsWith("manifest.secrets: "));
  }
}
