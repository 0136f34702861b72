package io.codesous.platform;

import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.gateway.GatewayOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication, tenant isolation, roles, per-version invoke roles and audit, over real HTTP against the embedded
 * platform: every API route needs a token, and no tenant sees another's anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformSecurityTest {

  static final String ACME = "/v1/tenants/acme/namespaces/default";
  static final String MARKER = "acme-private-marker";
  static final String SECRET = "s3cr3t-Value-\"quoted\"-42";
  static final String ROTATED = "r0tated-Value-77";

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  Platform platform;
  LocalSigningKey key;
  TestHttp admin;
  String fn;
  String activationId;
  String draftId;

  @BeforeAll
  void start() throws Exception {
    running = RunningPlatform.start(new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setGateway(new GatewayOptions().setRefCacheTtlMs(0)));
    platform = running.platform();
    key = platform.security().localKey();
    admin = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
    fn = "private-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin.postJson(ACME + "/functions", new JsonObject().put("name", fn)).statusCode());
    publish(fn, new JsonObject(), "prod");
    HttpResponse<String> invoked = admin.get("/v1/web/acme/default/" + fn + "/prod/x");
    assertEquals(200, invoked.statusCode(), invoked.body());
    activationId = invoked.headers().firstValue("x-cs-activation-id").orElseThrow();
    draftId = TestHttp.json(admin.postJson(ACME + "/functions/" + fn + "/drafts", draftBody(new JsonObject())))
        .getString("draft_id");
    HttpResponse<String> secret = admin.postJson(ACME + "/secrets",
        new JsonObject().put("name", "api-key").put("value", SECRET));
    assertEquals(201, secret.statusCode(), secret.body());
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  static JsonObject draftBody(JsonObject manifest) {
    return new JsonObject()
        .put("files", new JsonObject().put("index.mjs", "export const handler = () => ({statusCode: 200, body: '"
            + MARKER + "'});"))
        .put("manifest", manifest);
  }

  long publish(String name, JsonObject manifest, String alias) {
    HttpResponse<String> draft = admin.postJson(ACME + "/functions/" + name + "/drafts", draftBody(manifest));
    assertEquals(201, draft.statusCode(), draft.body());
    JsonObject body = new JsonObject().put("draft_id", TestHttp.json(draft).getString("draft_id"));
    if (alias != null) {
      body.put("alias", alias);
    }
    HttpResponse<String> published = admin.postJson(ACME + "/functions/" + name + "/versions", body);
    assertEquals(201, published.statusCode(), published.body());
    return TestHttp.json(published).getLong("version");
  }

  TestHttp as(String tenant, String... roles) {
    return admin.as(key.mint("user-" + tenant, tenant, Set.of(roles), Duration.ofMinutes(10)));
  }

  /** One request of the API: method, path, JSON body or {@code null}. */
  record Call(String method, String path, JsonObject body) {
    HttpResponse<String> send(TestHttp http) {
      return send(http, Map.of());
    }

    HttpResponse<String> send(TestHttp http, Map<String, String> headers) {
      return http.send(method, path, body == null ? null : "application/json", body == null ? null : body.encode(),
          headers);
    }
  }

  /** Every route of the API, about function {@code function} and activation {@code activation} of a tenant. */
  List<Call> everyRoute(String tenant, String function, String activation) {
    String ns = "/v1/tenants/" + tenant + "/namespaces/default";
    String f = ns + "/functions/" + function;
    return List.of(
        new Call("POST", ns + "/functions", new JsonObject().put("name", "intruder")),
        new Call("GET", ns + "/functions", null),
        new Call("GET", f, null),
        new Call("DELETE", f, null),
        new Call("POST", f + "/drafts", draftBody(new JsonObject())),
        new Call("POST", f + "/versions", new JsonObject().put("draft_id", draftId)),
        new Call("GET", f + "/versions", null),
        new Call("GET", f + "/versions/1", null),
        new Call("PUT", f + "/aliases/prod", new JsonObject().put("version", 1)),
        new Call("GET", f + "/aliases", null),
        new Call("GET", f + "/activations", null),
        new Call("GET", ns + "/activations/" + activation, null),
        new Call("GET", ns + "/activations/" + activation + "/logs", null),
        new Call("POST", ns + "/secrets", new JsonObject().put("name", "stolen").put("value", "xxxxxxxx")),
        new Call("GET", ns + "/secrets", null),
        new Call("PUT", ns + "/secrets/api-key", new JsonObject().put("value", "overwritten")),
        new Call("DELETE", ns + "/secrets/api-key", null),
        new Call("GET", "/v1/web/" + tenant + "/default/" + function + "/prod/x", null),
        new Call("POST", "/v1/web/" + tenant + "/default/" + function + "/1", new JsonObject()));
  }

  static String encode(JsonObject json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.encode().getBytes(StandardCharsets.UTF_8));
  }

  JsonObject validClaims() {
    long now = System.currentTimeMillis() / 1000;
    return new JsonObject().put("iss", "code-sous-local").put("aud", "code-sous").put("sub", "mallory")
        .put("tenant", "*").put("roles", new JsonArray().add("admin")).put("iat", now).put("exp", now + 600);
  }

  @Test
  void everyApiRouteRefusesMissingAndBadTokensWithTheSameAnswer() throws Exception {
    Mac hmac = Mac.getInstance("HmacSHA256");
    hmac.init(new SecretKeySpec("a-shared-secret-of-32-bytes-long".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    String hsInput = encode(new JsonObject().put("alg", "HS256").put("typ", "JWT")) + "." + encode(validClaims());
    String hs256 = hsInput + "." + Base64.getUrlEncoder().withoutPadding()
        .encodeToString(hmac.doFinal(hsInput.getBytes(StandardCharsets.US_ASCII)));
    String none = encode(new JsonObject().put("alg", "none")) + "." + encode(validClaims()) + ".";
    Path otherDir = Files.createTempDirectory(dataDir, "other-key");
    String otherKey = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(otherDir.toString()))
        .mintAdminToken(Duration.ofMinutes(5));
    String valid = key.mint("x", "acme", Set.of("admin"), Duration.ofMinutes(5));
    List<String> authorizations = new ArrayList<>();
    authorizations.add(null);
    authorizations.add("Bearer");
    authorizations.add("Basic YWRtaW46YWRtaW4=");
    authorizations.add("Bearer not-a-token");
    authorizations.add("Bearer " + none);
    authorizations.add("Bearer " + hs256);
    authorizations.add("Bearer " + otherKey);
    // A valid token with one character of its signature changed.
    authorizations.add("Bearer " + valid.substring(0, valid.length() - 2)
        + (valid.charAt(valid.length() - 2) == 'A' ? 'B' : 'A') + valid.charAt(valid.length() - 1));
    TestHttp anonymous = admin.as(null);
    for (Call call : everyRoute("acme", fn, activationId)) {
      for (String authorization : authorizations) {
        HttpResponse<String> response = call.send(anonymous,
            authorization == null ? Map.of() : Map.of("authorization", authorization));
        String what = call.method() + " " + call.path() + " with " + authorization;
        assertEquals(401, response.statusCode(), what + ": " + response.body());
        JsonObject error = TestHttp.json(response).getJsonObject("error");
        assertEquals("CS_UNAUTHENTICATED", error.getString("code"), what);
        assertEquals("invalid token", error.getString("message"), what);
        assertEquals(Set.of("code", "message", "request_id"), error.fieldNames(), what);
        assertEquals("Bearer", response.headers().firstValue("www-authenticate").orElse(null), what);
      }
    }
    // probes stay open
    assertEquals(200, anonymous.get("/healthz").statusCode());
  }

  @Test
  void anotherTenantGetsTheSameNotFoundOnEveryRouteWhetherOrNotTheResourceExists() {
    TestHttp globex = as("globex", "admin");
    HttpResponse<String> secretsBefore = admin.get(ACME + "/secrets");
    assertEquals(200, secretsBefore.statusCode(), secretsBefore.body());
    List<Call> existing = everyRoute("acme", fn, activationId);
    List<Call> missingInTenant = everyRoute("acme", "no-such-fn", UUID.randomUUID().toString());
    List<Call> missingTenant = everyRoute("initech", fn, activationId);
    for (int i = 0; i < existing.size(); i++) {
      HttpResponse<String> denied = existing.get(i).send(globex);
      String what = existing.get(i).method() + " " + existing.get(i).path();
      assertEquals(404, denied.statusCode(), what + ": " + denied.body());
      JsonObject error = TestHttp.json(denied).getJsonObject("error");
      assertEquals("CS_NOT_FOUND", error.getString("code"), what);
      assertFalse(denied.body().contains(MARKER), what);
      assertFalse(denied.headers().firstValue("x-cs-activation-id").isPresent(), what);
      HttpResponse<String> noTenant = missingTenant.get(i).send(globex);
      assertEquals(denied.statusCode(), noTenant.statusCode(), what);
      assertEquals(error.getString("message"), TestHttp.json(noTenant).getJsonObject("error").getString("message"),
          what + ": a tenant that does not exist answers alike");
      HttpResponse<String> noResource = missingInTenant.get(i).send(globex);
      assertEquals(404, noResource.statusCode(), what);
    }
    // and nothing changed in acme
    JsonObject function = TestHttp.json(admin.get(ACME + "/functions/" + fn));
    assertEquals(null, function.getValue("deleted_at_ms"));
    assertEquals(1L, function.getJsonObject("aliases").getLong("prod"));
    JsonArray names = TestHttp.json(admin.get(ACME + "/functions")).getJsonArray("functions");
    assertFalse(names.encode().contains("intruder"));
    // the attacker's create, rotate and delete of secrets left acme's secrets exactly as they were
    HttpResponse<String> secretsAfter = admin.get(ACME + "/secrets");
    assertEquals(200, secretsAfter.statusCode(), secretsAfter.body());
    JsonArray before = TestHttp.json(secretsBefore).getJsonArray("secrets");
    JsonArray after = TestHttp.json(secretsAfter).getJsonArray("secrets");
    List<String> afterNames = after.stream().map(e -> ((JsonObject) e).getString("name")).toList();
    assertFalse(afterNames.contains("stolen"), after.encode());
    assertTrue(afterNames.contains("api-key"), after.encode());
    assertEquals(before, after, "names, versions and update times are unchanged");
  }

  @Test
  void aTenantsDenialMatchesItsOwnNotFound() {
    // what the owner sees for a function that does not exist is what another tenant sees for one that does
    HttpResponse<String> ownMissing = admin.get(ACME + "/functions/" + fn + "-gone");
    HttpResponse<String> foreignExisting = as("globex", "admin").get(ACME + "/functions/" + fn + "-gone");
    assertEquals(TestHttp.json(ownMissing).getJsonObject("error").getString("message"),
        TestHttp.json(foreignExisting).getJsonObject("error").getString("message"));
    HttpResponse<String> ownActivation = admin.get(ACME + "/activations/" + "00000000-0000-4000-8000-000000000000");
    HttpResponse<String> foreignActivation = as("globex", "admin").get(ACME + "/activations/"
        + "00000000-0000-4000-8000-000000000000");
    assertEquals(ownActivation.statusCode(), foreignActivation.statusCode());
    assertEquals(TestHttp.json(ownActivation).getJsonObject("error").getString("message"),
        TestHttp.json(foreignActivation).getJsonObject("error").getString("message"));
  }

  @Test
  void rolesDecideWhatAPrincipalOfTheTenantMayDo() {
    TestHttp reader = as("acme", "reader");
    assertEquals(200, reader.get(ACME + "/functions/" + fn).statusCode());
    assertEquals(200, reader.get(ACME + "/activations/" + activationId).statusCode());
    HttpResponse<String> create = reader.postJson(ACME + "/functions", new JsonObject().put("name", "by-reader"));
    assertEquals(403, create.statusCode(), create.body());
    assertEquals("CS_FORBIDDEN", TestHttp.json(create).getJsonObject("error").getString("code"));
    assertEquals(403, reader.get("/v1/web/acme/default/" + fn + "/prod").statusCode());

    TestHttp invoker = as("acme", "invoker");
    assertEquals(200, invoker.get("/v1/web/acme/default/" + fn + "/prod").statusCode());
    assertEquals(403, invoker.get(ACME + "/functions/" + fn).statusCode());

    TestHttp nobody = as("acme");
    assertEquals(403, nobody.get(ACME + "/functions").statusCode());
  }

  @Test
  void aVersionsHttpRolesNarrowWhoMayInvokeIt() {
    String narrow = "narrow-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin.postJson(ACME + "/functions", new JsonObject().put("name", narrow)).statusCode());
    publish(narrow, new JsonObject().put("invoke_http_roles", new JsonArray().add("invoker")), "prod");
    String path = "/v1/web/acme/default/" + narrow + "/prod";

    assertEquals(200, as("acme", "invoker").get(path).statusCode());
    HttpResponse<String> developer = as("acme", "developer").get(path);
    assertEquals(403, developer.statusCode(), developer.body());
    assertEquals("CS_FORBIDDEN", TestHttp.json(developer).getJsonObject("error").getString("code"));
    assertFalse(developer.body().contains(MARKER));
    // no exception for admins: the version's list decides
    assertEquals(403, admin.get(path).statusCode());
    // a later version without the list is open to function:invoke again
    long v2 = publish(narrow, new JsonObject(), null);
    assertEquals(200, as("acme", "developer").get("/v1/web/acme/default/" + narrow + "/" + v2).statusCode());
  }

  /** What one mutation's audit event must say. */
  record Audited(String action, String resource, String outcome, String errorCode, String subject,
                 String principalTenant) {
    static Audited ok(String action, String resource) {
      return new Audited(action, resource, "success", null, "admin", "*");
    }

    static Audited failed(String action, String resource, String errorCode) {
      return new Audited(action, resource, "failure", errorCode, "admin", "*");
    }

    Audited by(String subject, String principalTenant) {
      return new Audited(action, resource, outcome, errorCode, subject, principalTenant);
    }
  }

  @Test
  void everyMutationLeavesExactlyOneAuditEventAndReadsLeaveNone() throws Exception {
    String name = "audited-" + UUID.randomUUID().toString().substring(0, 8);
    String secret = "key-" + UUID.randomUUID().toString().substring(0, 8);
    String fnPath = "function:default/" + name;
    String secretPath = "secret:default/" + secret;
    Map<String, Audited> expected = new java.util.LinkedHashMap<>();
    HttpResponse<String> r;
    r = admin.postJson(ACME + "/functions", new JsonObject().put("name", name));
    expected.put(requestId(r), Audited.ok("function:create", fnPath));
    r = admin.postJson(ACME + "/functions", new JsonObject().put("name", name));
    expected.put(requestId(r), Audited.failed("function:create", fnPath, "CS_CONFLICT"));
    r = admin.postJson(ACME + "/functions", new JsonObject().put("name", 7));
    expected.put(requestId(r), Audited.failed("function:create", "function:default", "CS_VALIDATION_FAILED"));
    r = admin.postJson(ACME + "/functions/" + name + "/drafts", draftBody(new JsonObject()));
    String draft = TestHttp.json(r).getString("draft_id");
    expected.put(requestId(r), Audited.ok("draft:create", fnPath));
    r = admin.postJson(ACME + "/functions/" + name + "/versions", new JsonObject().put("draft_id", draft));
    expected.put(requestId(r), Audited.ok("function:publish", fnPath));
    r = admin.postJson(ACME + "/functions/" + name + "/versions",
        new JsonObject().put("draft_id", UUID.randomUUID().toString()));
    expected.put(requestId(r), Audited.failed("function:publish", fnPath, "CS_NOT_FOUND"));
    r = admin.putJson(ACME + "/functions/" + name + "/aliases/live", new JsonObject().put("version", 1));
    expected.put(requestId(r), Audited.ok("alias:update", "alias:default/" + name + "/live"));
    r = admin.putJson(ACME + "/functions/" + name + "/aliases/live", new JsonObject().put("version", "one"));
    expected.put(requestId(r), Audited.failed("alias:update", "alias:default/" + name + "/live",
        "CS_VALIDATION_FAILED"));

    r = admin.postJson(ACME + "/secrets", new JsonObject().put("name", secret).put("value", SECRET));
    assertEquals(201, r.statusCode(), r.body());
    expected.put(requestId(r), Audited.ok("secret:create", secretPath));
    r = admin.putJson(ACME + "/secrets/" + secret, new JsonObject().put("value", ROTATED));
    assertEquals(200, r.statusCode(), r.body());
    expected.put(requestId(r), Audited.ok("secret:rotate", secretPath));
    r = as("acme", "developer").putJson(ACME + "/secrets/" + secret, new JsonObject().put("value", "by-developer"));
    assertEquals(403, r.statusCode(), r.body());
    expected.put(requestId(r), Audited.failed("secret:rotate", secretPath, "CS_FORBIDDEN").by("user-acme", "acme"));

    // another tenant's admin: refused as if nothing existed, recorded once, under its own subject and tenant
    TestHttp globex = as("globex", "admin");
    r = globex.delete(ACME + "/functions/" + name);
    assertEquals(404, r.statusCode(), r.body());
    expected.put(requestId(r), Audited.failed("function:delete", fnPath, "CS_NOT_FOUND").by("user-globex", "globex"));
    r = globex.putJson(ACME + "/secrets/" + secret, new JsonObject().put("value", "stolen-value"));
    assertEquals(404, r.statusCode(), r.body());
    expected.put(requestId(r), Audited.failed("secret:rotate", secretPath, "CS_NOT_FOUND").by("user-globex", "globex"));

    r = admin.delete(ACME + "/secrets/" + secret);
    assertEquals(200, r.statusCode(), r.body());
    expected.put(requestId(r), Audited.ok("secret:delete", secretPath));
    r = as("acme", "reader").send("DELETE", ACME + "/functions/" + name, null, null, Map.of());
    expected.put(requestId(r), Audited.failed("function:delete", fnPath, "CS_FORBIDDEN").by("user-acme", "acme"));
    r = admin.delete(ACME + "/functions/" + name);
    expected.put(requestId(r), Audited.ok("function:delete", fnPath));
    List<String> reads = List.of(
        requestId(admin.get(ACME + "/functions/" + name + "?include_deleted=true")),
        requestId(admin.get(ACME + "/functions")),
        requestId(admin.get(ACME + "/secrets")),
        requestId(globex.get(ACME + "/secrets")),
        requestId(admin.get("/v1/web/acme/default/" + fn + "/prod")));

    Path auditFile = dataDir.resolve("audit.jsonl");
    List<JsonObject> events = Files.readAllLines(auditFile).stream().map(JsonObject::new).toList();
    for (Map.Entry<String, Audited> mutation : expected.entrySet()) {
      List<JsonObject> mine = events.stream().filter(e -> mutation.getKey().equals(e.getString("request_id"))).toList();
      Audited want = mutation.getValue();
      assertEquals(1, mine.size(), "events for " + want + ": " + mine);
      JsonObject event = mine.get(0);
      String what = want + " vs " + event.encode();
      assertEquals("cs.audit.v1", event.getString("schema"), what);
      assertEquals(want.action(), event.getString("action"), what);
      assertEquals(want.resource(), event.getString("resource"), what);
      assertEquals(want.outcome(), event.getString("outcome"), what);
      assertEquals(want.errorCode(), event.getString("error_code"), what);
      assertEquals(want.subject(), event.getString("subject"), what);
      assertEquals(want.principalTenant(), event.getString("principal_tenant"), what);
      assertEquals("acme", event.getString("tenant"), what);
      assertTrue(event.getLong("time_ms") > 0, what);
    }
    for (String read : reads) {
      assertTrue(events.stream().noneMatch(e -> read.equals(e.getString("request_id"))), "a read is not audited");
    }
    String trail = Files.readString(auditFile);
    assertFalse(trail.contains("s3cr3t") || trail.contains(ROTATED) || trail.contains("stolen-value"),
        "no secret value in the audit trail");
  }

  static String requestId(HttpResponse<String> response) {
    return response.headers().firstValue("x-request-id").orElseThrow();
  }

  @Test
  void theDataDirectoryHoldsTheKeyAndAReadyAdminTokenForItsOwnerOnly() throws Exception {
    Path tokenFile = dataDir.resolve("admin.token");
    assertEquals(platform.security().adminToken().token(), Files.readString(tokenFile).trim());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile)));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("signing-key.jwk"))));
    assertEquals("rw-------", PosixFilePermissions.toString(
        Files.getPosixFilePermissions(dataDir.resolve("secrets.key"))));

    // A second process on the same directory trusts the same key and keeps the same admin token.
    try (RunningPlatform second = RunningPlatform.start(new PlatformOptions().setPort(0)
        .setDataDir(dataDir.toString()).setComponents(Set.of(Components.CONTROL)))) {
      Platform again = second.platform();
      assertEquals(platform.security().adminToken().token(), again.security().adminToken().token());
      TestHttp http = new TestHttp(again.host(), again.port(), Files.readString(tokenFile).trim());
      assertEquals(200, http.get(ACME + "/functions").statusCode());
    }
  }

  @Test
  void secretsAreWriteOnlyAndOnlyTheFunctionsThatNameThemReadThem() throws Exception {
    // values never come back: not from create, list or rotate
    HttpResponse<String> list = admin.get(ACME + "/secrets");
    assertEquals(200, list.statusCode(), list.body());
    assertTrue(list.body().contains("api-key"));
    assertFalse(list.body().contains("s3cr3t"));
    assertEquals(200, as("acme", "reader").get(ACME + "/secrets").statusCode(), "names are readable");
    HttpResponse<String> byDeveloper = as("acme", "developer").putJson(ACME + "/secrets/api-key",
        new JsonObject().put("value", "developer-value"));
    assertEquals(403, byDeveloper.statusCode(), "writing a secret needs admin");
    String name = "uses-secret-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin.postJson(ACME + "/functions", new JsonObject().put("name", name)).statusCode());
    HttpResponse<String> draft = admin.postJson(ACME + "/functions/" + name + "/drafts", new JsonObject()
        .put("files", new JsonObject().put("index.mjs", """
            export function handler(event, ctx) {
              const key = ctx.secrets['api-key'];
              console.log('the key is ' + key);
              if (event.queryStringParameters.fail) throw new Error('failed with ' + key);
              return {statusCode: 200, headers: {'x-key': key},
                body: JSON.stringify({length: key.length, echoed: key, keys: Object.keys(ctx.secrets)})};
            }"""))
        .put("manifest", new JsonObject().put("secrets", new JsonArray().add("api-key"))));
    assertEquals(201, draft.statusCode(), draft.body());
    assertEquals(201, admin.postJson(ACME + "/functions/" + name + "/versions", new JsonObject()
        .put("draft_id", TestHttp.json(draft).getString("draft_id")).put("alias", "prod")).statusCode());

    // an invoker may run the function, which reads the secret, without being able to list or read secrets
    TestHttp invoker = as("acme", "invoker");
    assertEquals(403, invoker.get(ACME + "/secrets").statusCode());
    HttpResponse<String> ran = invoker.get("/v1/web/acme/default/" + name + "/prod");
    assertEquals(200, ran.statusCode(), ran.body());
    JsonObject body = new JsonObject(ran.body());
    assertEquals(SECRET.length(), body.getInteger("length"), "the function saw the value");
    assertEquals(new JsonArray().add("api-key"), body.getJsonArray("keys"));
    assertEquals("[redacted]", body.getString("echoed"), "a returned value is redacted");
    assertEquals("[redacted]", ran.headers().firstValue("x-key").orElse(null));
    String id = ran.headers().firstValue("x-cs-activation-id").orElseThrow();
    String record = admin.get(ACME + "/activations/" + id).body();
    String logs = admin.get(ACME + "/activations/" + id + "/logs").body();
    assertTrue(logs.contains("the key is [redacted]"), logs);
    for (String text : List.of(record, logs, ran.body())) {
      assertFalse(text.contains("s3cr3t"), text);
    }

    HttpResponse<String> failed = admin.get("/v1/web/acme/default/" + name + "/prod?fail=1");
    assertEquals(502, failed.statusCode());
    String failedId = failed.headers().firstValue("x-cs-activation-id").orElseThrow();
    JsonObject failedRecord = TestHttp.json(admin.get(ACME + "/activations/" + failedId));
    assertEquals("Error: failed with [redacted]", failedRecord.getJsonObject("error").getString("message"));
    assertFalse(failedRecord.encode().contains("s3cr3t"));

    // rotation: the next activation sees the new value
    HttpResponse<String> rotated = admin.putJson(ACME + "/secrets/api-key", new JsonObject().put("value", ROTATED));
    assertEquals(200, rotated.statusCode(), rotated.body());
    assertEquals(2, TestHttp.json(rotated).getInteger("version"));
    assertFalse(rotated.body().contains(ROTATED));
    JsonObject after = new JsonObject(invoker.get("/v1/web/acme/default/" + name + "/prod").body());
    assertEquals(ROTATED.length(), after.getInteger("length"));

    // the audit trail has the secret mutations, never a value
    String audit = Files.readString(dataDir.resolve("audit.jsonl"));
    assertTrue(audit.contains("secret:rotate"));
    assertFalse(audit.contains("s3cr3t") || audit.contains(ROTATED));
  }

  @Test
  void aVersionNamingAMissingSecretFailsWithoutRunning() {
    String name = "missing-secret-" + UUID.randomUUID().toString().substring(0, 8);
    assertEquals(201, admin.postJson(ACME + "/functions", new JsonObject().put("name", name)).statusCode());
    publish(name, new JsonObject().put("secrets", new JsonArray().add("never-created")), "prod");
    HttpResponse<String> ran = admin.get("/v1/web/acme/default/" + name + "/prod");
    assertEquals(502, ran.statusCode(), ran.body());
    String id = ran.headers().firstValue("x-cs-activation-id").orElseThrow();
    JsonObject record = TestHttp.json(admin.get(ACME + "/activations/" + id));
    assertTrue(record.getJsonObject("error").getString("message").contains("never-created"), record.encode());
    assertEquals(0, record.getJsonObject("logs").getInteger("count"));
  }
}
