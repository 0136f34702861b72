package io.codesous.platform;

import io.codesous.control.ControlOptions;
import io.codesous.gateway.Gateway;
import io.codesous.gateway.GatewayOptions;
import io.codesous.invoker.InvokerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The vertical slice end to end: the embedded platform on a free port, driven over real HTTP
 * through create → upload → publish → invoke → read activation and logs, and the error paths.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddedPlatformTest {

  static final String NS = "/v1/tenants/acme/namespaces/default";
  /** Long enough for a loaded machine to publish within it, short enough to wait out. */
  static final long DRAFT_TTL_MS = 2_000;
  /** The gateway's wait; the slow function outlasts it on purpose. */
  static final long WAIT_MS = 4_000;
  /** Sandbox threads, set rather than taken from the machine, so a test can outnumber them. */
  static final int WORKERS = 2;
  /** The second platform's wait: longer than any function there runs, so only the deadline can end it first. */
  static final long LONG_WAIT_MS = 20_000;
  /** The second platform's web body limit. */
  static final int SMALL_BODY_BYTES = 1024;
  /** How long a polled change may take to show: several times anything it waits for, on a loaded machine. */
  static final long POLL_BOUND_MS = 20_000;

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  Platform platform;
  TestHttp http;

  /**
   * A second platform that keeps the gateway defaults the first overrides (the ref cache is on, the margin is the
   * default) with a wait longer than any function, and a small web body limit. Its own Vert.x instance, so the two
   * share no queue or sandbox pool.
   */
  RunningPlatform secondRunning;
  Platform second;
  TestHttp secondHttp;

  @BeforeAll
  void start() throws Exception {
    PlatformOptions options = new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.toString())
        .setControl(new ControlOptions().setDraftTtlMs(DRAFT_TTL_MS).setMaxBodyBytes(256 * 1024))
        .setGateway(new GatewayOptions().setWaitMs(WAIT_MS).setRefCacheTtlMs(0))
        .setInvoker(new InvokerOptions().setWorkerPoolSize(WORKERS));
    running = RunningPlatform.start(options);
    platform = running.platform();
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());

    PlatformOptions secondOptions = new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.resolve("second").toString())
        .setGateway(new GatewayOptions().setWaitMs(LONG_WAIT_MS).setMaxBodyBytes(SMALL_BODY_BYTES));
    secondRunning = RunningPlatform.start(secondOptions);
    second = secondRunning.platform();
    secondHttp = new TestHttp(second.host(), second.port(), second.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    try {
      running.close();
    } finally {
      secondRunning.close();
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Creates a function, uploads one draft and publishes it; returns the version. */
  long deploy(String name, JsonObject files, JsonObject manifest, String alias) {
    return deploy(http, name, files, manifest, alias);
  }

  static long deploy(TestHttp on, String name, JsonObject files, JsonObject manifest, String alias) {
    HttpResponse<String> created = on.postJson(NS + "/functions", new JsonObject().put("name", name));
    assertEquals(201, created.statusCode(), created.body());
    return publish(on, name, upload(on, name, files, manifest).getString("draft_id"), alias);
  }

  /** Publishes a draft of an existing function; returns the version. */
  static long publish(TestHttp on, String name, String draftId, String alias) {
    JsonObject publish = new JsonObject().put("draft_id", draftId);
    if (alias != null) {
      publish.put("alias", alias);
    }
    HttpResponse<String> published = on.postJson(NS + "/functions/" + name + "/versions", publish);
    assertEquals(201, published.statusCode(), published.body());
    return TestHttp.json(published).getLong("version");
  }

  JsonObject upload(String name, JsonObject files, JsonObject manifest) {
    return upload(http, name, files, manifest);
  }

  static JsonObject upload(TestHttp on, String name, JsonObject files, JsonObject manifest) {
    JsonObject body = new JsonObject().put("files", files);
    if (manifest != null) {
      body.put("manifest", manifest);
    }
    HttpResponse<String> draft = on.postJson(NS + "/functions/" + name + "/drafts", body);
    assertEquals(201, draft.statusCode(), draft.body());
    return TestHttp.json(draft);
  }

  static JsonObject source(String code) {
    return new JsonObject().put("index.mjs", code);
  }

  static JsonObject limits(JsonObject limits) {
    return new JsonObject().put("limits", limits);
  }

  /** The web route of a function's ref. */
  static String web(String function, String ref) {
    return "/v1/web/acme/default/" + function + "/" + ref;
  }

  static String activationId(HttpResponse<String> response) {
    return response.headers().firstValue(Gateway.ACTIVATION_HEADER).orElseThrow();
  }

  /** One answer and how long the caller waited for it. */
  record Timed(HttpResponse<String> response, long elapsedMs) {
  }

  /** Makes {@code n} calls at once, each on its own thread, and returns their answers in call order. */
  static List<Timed> concurrently(int n, Supplier<HttpResponse<String>> call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<Timed>> calls = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        calls.add(pool.submit(() -> {
          long start = System.nanoTime();
          HttpResponse<String> response = call.get();
          return new Timed(response, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }));
      }
      List<Timed> answers = new ArrayList<>();
      for (Future<Timed> answer : calls) {
        answers.add(answer.get(60, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Repeats {@code call} until {@code done} accepts its answer or {@link #POLL_BOUND_MS} passed; the last answer. */
  static HttpResponse<String> pollUntil(Supplier<HttpResponse<String>> call, Predicate<HttpResponse<String>> done,
                                        long boundMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(boundMs);
    HttpResponse<String> last = call.get();
    while (!done.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      last = call.get();
    }
    return last;
  }

  /** The activation's record once it has the given status (or the last one read, to fail on). */
  static JsonObject awaitActivation(TestHttp on, String id, String status) throws InterruptedException {
    HttpResponse<String> read = pollUntil(() -> on.get(NS + "/activations/" + id),
        r -> r.statusCode() == 200 && status.equals(TestHttp.json(r).getString("status")), POLL_BOUND_MS);
    assertEquals(200, read.statusCode(), read.body());
    JsonObject activation = TestHttp.json(read);
    assertEquals(status, activation.getString("status"), activation.encode());
    return activation;
  }

  static void assertError(HttpResponse<String> response, int status, String code) {
    assertEquals(status, response.statusCode(), response.body());
    JsonObject error = TestHttp.json(response).getJsonObject("error");
    assertEquals(code, error.getString("code"), response.body());
    assertEquals(response.headers().firstValue("x-request-id").orElseThrow(), error.getString("request_id"));
    assertFalse(response.body().contains("\tat "), "no Java stack in a client body");
  }

  // ---- the five steps

  @Test
  void createUploadPublishInvokeAndReadTheActivation() {
    String fn = unique("hello");
    JsonObject files = new JsonObject()
        .put("index.mjs", """
            import { greet } from './lib/greet.mjs';
            export async function handler(event, ctx) {
              console.log('starting', { path: event.proxyPath });
              console.info('info line');
              console.warn('warn line');
              console.error('error line');
              cs.log('debug', 'from cs.log');
              return {
                statusCode: 201,
                headers: { 'content-type': 'text/plain', 'x-fn': ctx.function.name },
                body: greet(event.queryStringParameters.x) + ' ' + event.httpMethod + ' ' + event.proxyPath,
              };
            }
            """)
        .put("lib/greet.mjs", "export const greet = (x) => 'hello ' + x;");

    HttpResponse<String> created = http.postJson(NS + "/functions", new JsonObject().put("name", fn));
    assertEquals(201, created.statusCode(), created.body());
    assertEquals(fn, TestHttp.json(created).getString("name"));

    long beforeUpload = System.currentTimeMillis();
    JsonObject draft = upload(fn, files, new JsonObject().put("entry", "index.mjs"));
    long afterUpload = System.currentTimeMillis();
    assertTrue(draft.getString("sha256").matches("^[0-9a-f]{64}$"), draft.encode());
    // the draft lives the configured TTL from its upload; the slack only absorbs clock steps
    long expiresAt = draft.getLong("expires_at_ms");
    assertTrue(expiresAt >= beforeUpload + DRAFT_TTL_MS - 1_000 && expiresAt <= afterUpload + DRAFT_TTL_MS + 1_000,
        "expires_at_ms " + expiresAt + " is not upload time + " + DRAFT_TTL_MS + " ms: " + draft.encode());
    // the same files give the same bundle hash
    assertEquals(draft.getString("sha256"), upload(fn, files, null).getString("sha256"));

    HttpResponse<String> published = http.postJson(NS + "/functions/" + fn + "/versions",
        new JsonObject().put("draft_id", draft.getString("draft_id")).put("alias", "prod"));
    assertEquals(201, published.statusCode(), published.body());
    assertEquals(1L, TestHttp.json(published).getLong("version"));
    assertEquals(draft.getString("sha256"), TestHttp.json(published).getString("sha256"));

    HttpResponse<String> invoked = http.get("/v1/web/acme/default/" + fn + "/prod/any/sub/path?x=1");
    assertEquals(201, invoked.statusCode(), invoked.body());
    assertEquals("hello 1 GET /any/sub/path", invoked.body());
    assertEquals("text/plain", invoked.headers().firstValue("content-type").orElseThrow());
    assertEquals(fn, invoked.headers().firstValue("x-fn").orElseThrow());
    String activationId = invoked.headers().firstValue("x-cs-activation-id").orElseThrow();

    // version number and latest resolve too
    assertEquals("hello 2 GET /", http.get("/v1/web/acme/default/" + fn + "/1?x=2").body());
    assertEquals("hello 3 GET /q", http.get("/v1/web/acme/default/" + fn + "/latest/q?x=3").body());

    JsonObject activation = TestHttp.json(http.get(NS + "/activations/" + activationId));
    assertEquals("success", activation.getString("status"), activation.encode());
    assertEquals(activationId, activation.getString("activation_id"));
    assertEquals("http", activation.getJsonObject("trigger").getString("type"));
    assertEquals(1L, activation.getLong("version"));
    assertEquals("prod", activation.getString("ref"));
    assertTrue(activation.getLong("end_ms") >= activation.getLong("start_ms"));
    assertEquals(activation.getLong("end_ms") - activation.getLong("start_ms"), activation.getLong("duration_ms"));
    assertEquals(201, activation.getJsonObject("response").getInteger("statusCode"));

    JsonObject logs = TestHttp.json(http.get(NS + "/activations/" + activationId + "/logs"));
    JsonArray entries = logs.getJsonArray("logs");
    List<String> levels = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    long lastTs = 0;
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      assertEquals(i, e.getInteger("seq"));
      assertTrue(e.getLong("ts_ms") >= lastTs);
      lastTs = e.getLong("ts_ms");
      levels.add(e.getString("level"));
      messages.add(e.getString("message"));
    }
    assertEquals(List.of("info", "info", "warn", "error", "debug"), levels);
    assertEquals("starting {\"path\":\"/any/sub/path\"}", messages.get(0));
    assertEquals("from cs.log", messages.get(4));

    JsonArray listed = TestHttp.json(http.get(NS + "/functions/" + fn + "/activations?limit=10"))
        .getJsonArray("activations");
    assertEquals(3, listed.size());
    assertTrue(listed.stream().anyMatch(a -> activationId.equals(((JsonObject) a).getString("activation_id"))));

    JsonObject fnRecord = TestHttp.json(http.get(NS + "/functions/" + fn));
    assertEquals(1L, fnRecord.getLong("latest_version"));
    assertEquals(1L, fnRecord.getJsonObject("aliases").getLong("prod"));
  }

  @Test
  void eventCarriesMethodHeadersQueryAndBody() {
    String fn = unique("echo");
    deploy(fn, source("""
        export const handler = (e) => {
          console.log('event', JSON.stringify(e));
          return { statusCode: 200, body: JSON.stringify(e) };
        };"""), null, "prod");
    HttpResponse<String> r = http.send("POST", "/v1/web/acme/default/" + fn + "/prod/a/b?k=1&k=2&z=3",
        "application/json", "{\"in\":true}", Map.of("x-custom", "v1"));
    assertEquals(200, r.statusCode(), r.body());
    JsonObject event = new JsonObject(r.body());
    assertEquals("POST", event.getString("httpMethod"));
    assertEquals("POST", event.getString("method"));
    assertEquals("/a/b", event.getString("proxyPath"));
    assertEquals("/v1/web/acme/default/" + fn + "/prod/a/b", event.getString("path"));
    assertEquals("v1", event.getJsonObject("headers").getString("x-custom"));
    assertEquals("2", event.getJsonObject("queryStringParameters").getString("k"));
    assertEquals(new JsonArray().add("1").add("2"),
        event.getJsonObject("multiValueQueryStringParameters").getJsonArray("k"));
    assertEquals("{\"in\":true}", event.getString("body"));
    assertFalse(event.getBoolean("isBase64Encoded"));

    // the caller's platform token was consumed by the gateway: the function never sees it
    String token = platform.security().adminToken().token();
    assertFalse(event.getJsonObject("headers").containsKey("authorization"), event.encode());
    assertFalse(event.getJsonObject("multiValueHeaders").containsKey("authorization"), event.encode());
    String id = r.headers().firstValue("x-cs-activation-id").orElseThrow();
    HttpResponse<String> record = http.get(NS + "/activations/" + id);
    HttpResponse<String> logs = http.get(NS + "/activations/" + id + "/logs");
    assertEquals(200, record.statusCode(), record.body());
    assertEquals(200, logs.statusCode(), logs.body());
    assertTrue(logs.body().contains("x-custom"), "the function logged its event: " + logs.body());
    for (String text : List.of(r.body(), record.body(), logs.body())) {
      assertFalse(text.contains(token), text);
      assertFalse(text.toLowerCase(Locale.ROOT).contains("bearer"), text);
    }
  }

  @Test
  void binaryResponseIsDecodedAndHopByHopHeadersAreDropped() {
    String fn = unique("bin");
    deploy(fn, source("""
        export const handler = () => ({ statusCode: 200, isBase64Encoded: true, body: 'AAEC/w==',
          headers: { 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked',
                     'x-request-id': 'spoofed' } });
        """), null, null);
    HttpResponse<String> r = http.get("/v1/web/acme/default/" + fn + "/1");
    assertEquals(200, r.statusCode());
    assertEquals("4", r.headers().firstValue("content-length").orElseThrow(), "4 decoded bytes, not 8 of base64");
    assertEquals("application/octet-stream", r.headers().firstValue("content-type").orElseThrow());
    assertFalse(r.headers().firstValue("x-request-id").orElseThrow().equals("spoofed"));
  }

  // ---- error paths

  @Test
  void timeoutEndsTheActivationAndAnswers504AndFreesTheWorker() throws Exception {
    String loop = unique("loop");
    deploy(loop, source("export function handler() { while (true) {} }"),
        limits(new JsonObject().put("timeoutMs", 200)), "prod");
    String ok = unique("after-loops");
    deploy(ok, source("export const handler = () => ({ statusCode: 200, body: 'served' });"), null, "prod");

    // twice as many endless loops as there are sandbox threads: the later ones run only on threads the earlier
    // ones' timeouts gave back, and each is answered within the gateway's wait only if they do
    for (Timed call : concurrently(2 * WORKERS, () -> http.get(web(loop, "prod")))) {
      HttpResponse<String> r = call.response();
      assertError(r, 504, "CS_TIMEOUT");
      JsonObject activation = TestHttp.json(http.get(NS + "/activations/" + activationId(r)));
      assertEquals("timeout", activation.getString("status"), activation.encode());
      assertEquals("CS_TIMEOUT", activation.getJsonObject("error").getString("code"));
      assertEquals("function exceeded its 200 ms timeout", activation.getJsonObject("error").getString("message"));
    }
    // with any thread still held by a loop, this would wait out the gateway's wait and get a 202
    HttpResponse<String> after = http.get(web(ok, "prod"));
    assertEquals(200, after.statusCode(), after.body());
    assertEquals("served", after.body());
  }

  @Test
  void uncaughtThrowIs502WithoutStackAndTheStackIsInTheActivation() {
    String fn = unique("boom");
    deploy(fn, source("export function handler() { throw new Error('kaboom-secret-detail'); }"), null, "prod");
    HttpResponse<String> r = http.get("/v1/web/acme/default/" + fn + "/prod");
    assertError(r, 502, "CS_RUNTIME_EXCEPTION");
    String id = activationId(r);

    JsonObject activation = TestHttp.json(http.get(NS + "/activations/" + id));
    assertEquals("error", activation.getString("status"), activation.encode());
    JsonObject error = activation.getJsonObject("error");
    assertEquals("CS_RUNTIME_EXCEPTION", error.getString("code"));
    assertEquals("Error: kaboom-secret-detail", error.getString("message"), error.encode());
    String stack = error.getString("stack");
    assertNotNull(stack, error.encode());
    assertTrue(stack.contains("index.mjs"), error.encode());

    // the caller learns the outcome and where to read it, nothing the function said
    for (String leak : List.of("kaboom-secret-detail", stack, "index.mjs", "handler")) {
      assertFalse(r.body().contains(leak), "the HTTP body holds " + leak + ": " + r.body());
    }
    assertRuntimeExceptionBody(r, id);
  }

  /** The web route's answer to an activation that ended {@code error}: the code, a generic message, where to look. */
  static void assertRuntimeExceptionBody(HttpResponse<String> r, String activationId) {
    JsonObject error = TestHttp.json(r).getJsonObject("error");
    assertEquals(Set.of("code", "message", "request_id", "details"), error.fieldNames(), r.body());
    assertEquals(new JsonObject().put("activation_id", activationId).put("status", "error"),
        error.getJsonObject("details"));
  }

  @Test
  void invalidResultIs502() {
    String fn = unique("bad");
    deploy(fn, source("export const handler = () => 'just a string';"), null, "prod");
    HttpResponse<String> r = http.get("/v1/web/acme/default/" + fn + "/prod");
    assertError(r, 502, "CS_RUNTIME_EXCEPTION");
    String id = activationId(r);
    assertRuntimeExceptionBody(r, id);
    JsonObject activation = TestHttp.json(http.get(NS + "/activations/" + id));
    assertEquals("error", activation.getString("status"), activation.encode());
    JsonObject error = activation.getJsonObject("error");
    assertEquals("CS_RUNTIME_EXCEPTION", error.getString("code"), activation.encode());
    assertEquals("invalid response: the handler must return an object, got a string", error.getString("message"));
  }

  @Test
  void unknownRefsAre404AndMalformedRefsAre400() {
    String fn = unique("refs");
    deploy(fn, source("export const handler = () => ({ statusCode: 204 });"), null, null);
    assertEquals(204, http.get("/v1/web/acme/default/" + fn + "/1").statusCode());
    assertError(http.get("/v1/web/acme/default/" + fn + "/nope"), 404, "CS_NOT_FOUND");
    assertError(http.get("/v1/web/acme/default/" + fn + "/99"), 404, "CS_NOT_FOUND");
    assertError(http.get("/v1/web/acme/default/" + fn + "/0"), 400, "CS_VALIDATION_FAILED");
    assertError(http.get("/v1/web/acme/default/" + fn + "/Bad_Ref"), 400, "CS_VALIDATION_FAILED");
    assertError(http.get("/v1/web/acme/default/no-such-fn/1"), 404, "CS_NOT_FOUND");
    assertError(http.get("/v1/web/acme/other/" + fn + "/1"), 404, "CS_NOT_FOUND");
  }

  @Test
  void deletedFunctionIsHiddenAndCannotBeInvoked() {
    String fn = unique("gone");
    deploy(fn, source("export const handler = () => ({ statusCode: 200, body: 'up' });"), null, "prod");
    assertEquals("up", http.get("/v1/web/acme/default/" + fn + "/prod").body());

    HttpResponse<String> deleted = http.delete(NS + "/functions/" + fn);
    assertEquals(200, deleted.statusCode(), deleted.body());
    assertNotNull(TestHttp.json(deleted).getLong("deleted_at_ms"));

    assertError(http.get(NS + "/functions/" + fn), 404, "CS_NOT_FOUND");
    JsonObject withDeleted = TestHttp.json(http.get(NS + "/functions/" + fn + "?include_deleted=true"));
    assertNotNull(withDeleted.getLong("deleted_at_ms"));
    assertFalse(names(http.get(NS + "/functions")).contains(fn));
    assertTrue(names(http.get(NS + "/functions?include_deleted=true")).contains(fn));
    assertError(http.get("/v1/web/acme/default/" + fn + "/prod"), 404, "CS_NOT_FOUND");
    assertError(http.delete(NS + "/functions/" + fn), 404, "CS_NOT_FOUND");
  }

  private static Set<String> names(HttpResponse<String> list) {
    Set<String> out = new HashSet<>();
    TestHttp.json(list).getJsonArray("functions").forEach(f -> out.add(((JsonObject) f).getString("name")));
    return out;
  }

  @Test
  void expiredDraftIs410AndUnknownDraftIs404() throws Exception {
    String fn = unique("late");
    assertEquals(201, http.postJson(NS + "/functions", new JsonObject().put("name", fn)).statusCode());
    String draftId = upload(fn, source("export const handler = () => ({statusCode: 200});"), null)
        .getString("draft_id");
    long deadline = System.currentTimeMillis() + 10_000;
    HttpResponse<String> r;
    do {
      Thread.sleep(DRAFT_TTL_MS);
      r = http.postJson(NS + "/functions/" + fn + "/versions", new JsonObject().put("draft_id", draftId));
    } while (r.statusCode() == 201 && System.currentTimeMillis() < deadline);
    assertError(r, 410, "CS_DRAFT_EXPIRED");
    assertError(http.postJson(NS + "/functions/" + fn + "/versions",
        new JsonObject().put("draft_id", UUID.randomUUID().toString())), 404, "CS_NOT_FOUND");
  }

  @Test
  void slowFunctionGets202WithTheActivationIdAndCompletesAnyway() throws Exception {
    String fn = unique("slow");
    deploy(fn, source("""
        export function handler() {
          const until = Date.now() + 6500;
          while (Date.now() < until) {}
          return { statusCode: 200, body: 'late' };
        }
        """), new JsonObject().put("limits", new JsonObject().put("timeoutMs", 10_000)), "prod");
    HttpResponse<String> r = http.get("/v1/web/acme/default/" + fn + "/prod");
    assertError(r, 202, "CS_RESULT_PENDING");
    String id = TestHttp.json(r).getJsonObject("error").getJsonObject("details").getString("activation_id");
    assertEquals(r.headers().firstValue("x-cs-activation-id").orElseThrow(), id);
    HttpResponse<String> early = http.get(NS + "/activations/" + id);
    assertEquals(200, early.statusCode(), "the handed-out id is readable at once");
    JsonObject activation = awaitActivation(http, id, "success");
    assertEquals("late", activation.getJsonObject("response").getString("body"));
  }

  @Test
  void aPendingActivationIsReadAsPendingAndALongPollAnswersItsEnd() throws Exception {
    String fn = unique("longpoll");
    deploy(fn, source("""
        export function handler() {
          const until = Date.now() + 5500;
          while (Date.now() < until) {}
          return { statusCode: 200, body: 'done' };
        }
        """), new JsonObject().put("limits", new JsonObject().put("timeoutMs", 10_000)), "prod");
    HttpResponse<String> r = http.get(web(fn, "prod"));
    assertError(r, 202, "CS_RESULT_PENDING");
    JsonObject details = TestHttp.json(r).getJsonObject("error").getJsonObject("details");
    String id = details.getString("activation_id");
    String url = NS + "/activations/" + id;
    assertEquals(url + "?wait=30s", details.getString("wait_url"), "the 202 names the long-poll URL");
    assertEquals(url, r.headers().firstValue("location").orElseThrow());

    JsonObject pending = TestHttp.json(http.get(url + "?wait=0"));
    assertTrue(Set.of("queued", "running").contains(pending.getString("status")), pending.encode());

    HttpResponse<String> ended = http.get(details.getString("wait_url"));
    assertEquals(200, ended.statusCode(), ended.body());
    JsonObject activation = TestHttp.json(ended);
    assertEquals("success", activation.getString("status"), "one long-poll outlasts the rest of the run");
    assertEquals("done", activation.getJsonObject("response").getString("body"));
  }

  @Test
  void anAsyncInvokeIsAnsweredAtOnceAndItsActivationRunsToTheEnd() throws Exception {
    String fn = unique("async");
    deploy(fn, source("""
        export function handler(event) {
          const until = Date.now() + 1500;
          while (Date.now() < until) {}
          return { statusCode: 200, body: 'ran ' + event.body };
        }
        """), null, "prod");
    for (Map<String, String> asks : List.of(Map.of("x-cs-async", "true"), Map.of("Prefer", "wait=5, respond-async"))) {
      long start = System.nanoTime();
      HttpResponse<String> r = http.send("POST", web(fn, "prod"), "text/plain", "x", asks);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertError(r, 202, "CS_RESULT_PENDING");
      String id = activationId(r);
      assertEquals("respond-async", r.headers().firstValue("preference-applied").orElseThrow(), asks.toString());
      JsonObject record = TestHttp.json(http.get(NS + "/activations/" + id));
      if (elapsedMs < 1500) {
        // answered before the handler could have ended, so the record read right after cannot be terminal yet
        assertTrue(Set.of("queued", "running").contains(record.getString("status")), record.encode());
      }
      JsonObject ended = TestHttp.json(http.get(NS + "/activations/" + id + "?wait=30s"));
      assertEquals("success", ended.getString("status"), ended.encode());
      assertEquals("ran x", ended.getJsonObject("response").getString("body"));
    }
    HttpResponse<String> waited = http.send("POST", web(fn, "prod"), "text/plain", "y", Map.of("x-cs-async", "false"));
    assertEquals(200, waited.statusCode(), "x-cs-async: false waits for the function: " + waited.body());
    assertEquals("ran y", waited.body());
    HttpResponse<String> bad = http.send("POST", web(fn, "prod"), "text/plain", "z", Map.of("x-cs-async", "yes"));
    assertError(bad, 400, "CS_VALIDATION_FAILED");
    assertTrue(bad.body().contains("x-cs-async"), bad.body());
    assertFalse(bad.headers().firstValue(Gateway.ACTIVATION_HEADER).isPresent(), "a refused call starts nothing");
  }

  @Test
  void aRepeatedIdempotencyKeyAnswersTheSameActivationAndNeverRunsTheCodeTwice() throws Exception {
    String fn = unique("idem");
    deploy(fn, source("""
        export async function handler(event) {
          const before = Number((await cs.kv.get('KEY')) ?? 0);
          await cs.kv.set('KEY', String(before + 1));
          const until = Date.now() + 300;
          while (Date.now() < until) {}
          return { statusCode: 201, body: 'run ' + (before + 1) };
        }
        """.replace("KEY", fn + "/runs")), new JsonObject().put("capabilities", new JsonObject().put("kv",
            new JsonObject().put("read", new JsonArray().add(fn + "/")).put("write", new JsonArray().add(fn + "/")))),
        "prod");
    String key = "order-" + UUID.randomUUID();
    Map<String, String> headers = Map.of("Idempotency-Key", key);
    // concurrent first calls: exactly one starts the activation, the others answer it
    List<Timed> calls = concurrently(4, () -> http.send("POST", web(fn, "prod"), "text/plain", "a", headers));
    Set<String> ids = new HashSet<>();
    for (Timed call : calls) {
      ids.add(activationId(call.response()));
      assertTrue(Set.of(201, 202).contains(call.response().statusCode()), call.response().body());
    }
    assertEquals(1, ids.size(), "one key, one activation: " + ids);
    String id = ids.iterator().next();
    JsonObject ended = TestHttp.json(http.get(NS + "/activations/" + id + "?wait=30s"));
    assertEquals("success", ended.getString("status"), ended.encode());

    HttpResponse<String> replay = http.send("POST", web(fn, "prod"), "text/plain", "a", headers);
    assertEquals(201, replay.statusCode(), replay.body());
    assertEquals("run 1", replay.body(), "the code ran once");
    assertEquals(id, activationId(replay));

    HttpResponse<String> async = http.send("POST", web(fn, "prod"), "text/plain", "a",
        Map.of("Idempotency-Key", key, "x-cs-async", "true"));
    assertEquals(201, async.statusCode(), "an async retry of an ended activation gets its result: " + async.body());

    HttpResponse<String> conflict = http.send("POST", web(fn, "prod"), "text/plain", "b", headers);
    assertError(conflict, 409, "CS_IDEMPOTENCY_CONFLICT");
    assertEquals(id, TestHttp.json(conflict).getJsonObject("error").getJsonObject("details").getString("activation_id"));

    HttpResponse<String> fresh = http.send("POST", web(fn, "prod"), "text/plain", "a",
        Map.of("Idempotency-Key", key + "-2"));
    assertEquals("run 2", fresh.body(), "another key is another activation");
    assertError(http.send("POST", web(fn, "prod"), "text/plain", "a", Map.of("Idempotency-Key", "k".repeat(256))),
        400, "CS_VALIDATION_FAILED");
  }

  @Test
  void aMalformedOrTooLongWaitIs400NamingWait() {
    String id = UUID.randomUUID().toString();
    for (String wait : List.of("soon", "-1s", "61s", "90000ms")) {
      HttpResponse<String> r = http.get(NS + "/activations/" + id + "?wait=" + wait);
      assertError(r, 400, "CS_VALIDATION_FAILED");
      assertTrue(r.body().contains("wait"), r.body());
    }
  }

  @Test
  void theWaitEndsAtTheFunctionsInitAndHandlerBudgetsPlusTheMarginNotAtTheConfiguredWait() throws Exception {
    long timeoutMs = 1_000;
    // ample for this one-line module, and short enough that the fourth in line still ends after the cap
    long initTimeoutMs = 500;
    long capMs = initTimeoutMs + timeoutMs + GatewayOptions.DEFAULT_WAIT_MARGIN_MS;
    String fn = unique("queued");
    // one slot, so the calls run one after another, each to its full timeout: the n-th in line ends no sooner than
    // n seconds after the calls, past the 3.5 s the gateway waits from publishing, yet long before its 20 s wait
    deploy(secondHttp, fn, source("export function handler() { while (true) {} }"),
        limits(new JsonObject().put("timeoutMs", timeoutMs).put("initTimeoutMs", initTimeoutMs)
            .put("maxConcurrency", 1)), "prod");
    int calls = 5;

    List<String> pending = new ArrayList<>();
    for (Timed call : concurrently(calls, () -> secondHttp.get(web(fn, "prod")))) {
      HttpResponse<String> r = call.response();
      if (r.statusCode() == 504) {
        assertError(r, 504, "CS_TIMEOUT");
        continue;
      }
      assertError(r, 202, "CS_RESULT_PENDING");
      // a timer never fires early; the upper bound only says "not the configured wait"
      assertTrue(call.elapsedMs() >= capMs, "answered after " + call.elapsedMs() + " ms, before the cap");
      assertTrue(call.elapsedMs() < LONG_WAIT_MS, "answered after " + call.elapsedMs() + " ms: the configured wait");
      pending.add(activationId(r));
    }
    // the fourth and fifth in line cannot end before 4 s; only the cap answers them before they do
    assertTrue(pending.size() >= 2, "the calls queued longest were answered 202: " + pending);
    // the activations answered 202 still run to their own timeout, and are recorded
    for (String id : pending) {
      assertEquals("CS_TIMEOUT", awaitActivation(secondHttp, id, "timeout").getJsonObject("error").getString("code"));
    }
  }

  @Test
  void webBodyOverTheLimitIs413AndInvokesNothing() {
    String fn = unique("body");
    deploy(secondHttp, fn, source("export const handler = (e) => ({ statusCode: 200, body: String(e.body.length) });"),
        null, "prod");

    HttpResponse<String> over = secondHttp.send("POST", web(fn, "prod"), "text/plain",
        "x".repeat(SMALL_BODY_BYTES + 1), Map.of());
    assertError(over, 413, "CS_PAYLOAD_TOO_LARGE");
    assertTrue(over.headers().firstValue(Gateway.ACTIVATION_HEADER).isEmpty(), "no activation id handed out");

    HttpResponse<String> atLimit = secondHttp.send("POST", web(fn, "prod"), "text/plain",
        "x".repeat(SMALL_BODY_BYTES), Map.of());
    assertEquals(200, atLimit.statusCode(), atLimit.body());
    assertEquals(String.valueOf(SMALL_BODY_BYTES), atLimit.body(), "a body of exactly the limit passes whole");

    // the refused request was never published: the function's only activation is the one that passed
    JsonArray activations = TestHttp.json(secondHttp.get(NS + "/functions/" + fn + "/activations"))
        .getJsonArray("activations");
    assertEquals(1, activations.size(), activations.encode());
    assertEquals(activationId(atLimit), activations.getJsonObject(0).getString("activation_id"));
  }

  @Test
  void base64FilesAreBundleFilesLikeText() {
    String fn = unique("b64");
    // a module uploaded as base64 is imported like any other; its bytes are UTF-8, and non-ASCII text survives
    String data = "export const greeting = 'grüße ✓';\n";
    String entry = """
        import { greeting } from './lib/data.js';
        export const handler = () => ({ statusCode: 200, headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: greeting });
        """;
    JsonObject asBase64 = new JsonObject()
        .put("index.mjs", entry)
        .put("lib/data.js", new JsonObject().put("base64", base64(data)))
        // a binary file the code never imports does not stand in the way of loading the bundle
        .put("assets/blob.bin", new JsonObject().put("base64", "AAEC/w=="));
    JsonObject asText = asBase64.copy()
        .put("lib/data.js", new JsonObject().put("text", data));

    assertEquals(201, http.postJson(NS + "/functions", new JsonObject().put("name", fn)).statusCode());
    JsonObject draft = upload(fn, asBase64, null);
    assertEquals(3, draft.getInteger("files"), draft.encode());
    // the bundle's identity is its bytes, whichever way they were uploaded
    assertEquals(draft.getString("sha256"), upload(fn, asText, null).getString("sha256"));
    publish(http, fn, draft.getString("draft_id"), "prod");

    HttpResponse<String> r = http.get(web(fn, "prod"));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("grüße ✓", r.body());
  }

  static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void cachedRefsFollowAnAliasMoveAndADeleteWithinTheCacheTtl() throws Exception {
    // the second platform keeps the default ref cache: changes reach its gateway within the TTL, not at once
    long boundMs = GatewayOptions.DEFAULT_REF_CACHE_TTL_MS + 3_000;
    String fn = unique("cached");
    deploy(secondHttp, fn, source("export const handler = () => ({ statusCode: 200, body: 'v1' });"), null, "prod");
    assertEquals("v1", secondHttp.get(web(fn, "prod")).body(), "prod resolved, and now cached");
    String draft2 = upload(secondHttp, fn, source("export const handler = () => ({ statusCode: 200, body: 'v2' });"),
        null).getString("draft_id");
    assertEquals(2L, publish(secondHttp, fn, draft2, null));

    HttpResponse<String> moved = secondHttp.putJson(NS + "/functions/" + fn + "/aliases/prod",
        new JsonObject().put("version", 2).put("if_version", 1));
    assertEquals(200, moved.statusCode(), moved.body());
    HttpResponse<String> served = pollUntil(() -> secondHttp.get(web(fn, "prod")), r -> "v2".equals(r.body()),
        boundMs);
    assertEquals("v2", served.body(), "the moved alias is served within the cache TTL");

    assertEquals(200, secondHttp.delete(NS + "/functions/" + fn).statusCode());
    HttpResponse<String> gone = pollUntil(() -> secondHttp.get(web(fn, "prod")), r -> r.statusCode() == 404,
        boundMs);
    assertError(gone, 404, "CS_NOT_FOUND");
    // a failed resolution is not cached: it stays gone
    assertError(secondHttp.get(web(fn, "prod")), 404, "CS_NOT_FOUND");
  }

  // ---- validation

  @Test
  void badInputGetsPreciseErrorsAndWritesNothing() {
    assertError(http.postJson(NS + "/functions", new JsonObject().put("name", "Bad Name")), 400,
        "CS_VALIDATION_FAILED");
    assertError(http.postJson(NS + "/functions", new JsonObject().put("name", "ok").put("extra", 1)), 400,
        "CS_VALIDATION_FAILED");
    assertError(http.send("POST", NS + "/functions", "text/plain", "{\"name\":\"x\"}", Map.of()), 415,
        "CS_UNSUPPORTED_MEDIA_TYPE");
    assertError(http.send("POST", NS + "/functions", "application/json", "[1]", Map.of()), 400,
        "CS_VALIDATION_FAILED");
    assertError(http.get("/v1/tenants/ACME/namespaces/default/functions"), 400, "CS_VALIDATION_FAILED");

    String fn = unique("val");
    assertEquals(201, http.postJson(NS + "/functions", new JsonObject().put("name", fn)).statusCode());
    assertError(http.postJson(NS + "/functions", new JsonObject().put("name", fn)), 409, "CS_CONFLICT");

    HttpResponse<String> unknownField = http.postJson(NS + "/functions/" + fn + "/drafts", new JsonObject()
        .put("files", source("x")).put("manifest", new JsonObject().put("limits", new JsonObject().put("cpu", 1))));
    assertError(unknownField, 400, "CS_VALIDATION_FAILED");
    // the path is the unknown member itself, not the object holding it
    assertEquals("manifest.limits.cpu",
        TestHttp.json(unknownField).getJsonObject("error").getJsonObject("details").getString("path"),
        unknownField.body());

    HttpResponse<String> outOfRange = http.postJson(NS + "/functions/" + fn + "/drafts", new JsonObject()
        .put("files", source("x"))
        .put("manifest", new JsonObject().put("limits", new JsonObject().put("timeoutMs", 99_999_999))));
    assertError(outOfRange, 400, "CS_VALIDATION_FAILED");
    assertEquals("manifest.limits.timeoutMs",
        TestHttp.json(outOfRange).getJsonObject("error").getJsonObject("details").getString("path"));

    assertError(http.postJson(NS + "/functions/" + fn + "/drafts", new JsonObject()
        .put("files", new JsonObject().put("../etc/passwd", "x"))), 400, "CS_VALIDATION_FAILED");
    assertError(http.postJson(NS + "/functions/" + fn + "/drafts", new JsonObject()
        .put("files", new JsonObject().put("main.mjs", "x"))), 400, "CS_VALIDATION_FAILED");

    String big = "x".repeat(300 * 1024);
    assertError(http.postJson(NS + "/functions/" + fn + "/drafts", new JsonObject()
        .put("files", new JsonObject().put("index.mjs", big))), 413, "CS_PAYLOAD_TOO_LARGE");

    assertError(http.putJson(NS + "/functions/" + fn + "/aliases/prod", new JsonObject().put("version", 1)), 404,
        "CS_NOT_FOUND");
    assertError(http.putJson(NS + "/functions/" + fn + "/aliases/latest", new JsonObject().put("version", 1)), 400,
        "CS_VALIDATION_FAILED");
    // nothing was published by any of the rejected calls
    assertNull(TestHttp.json(http.get(NS + "/functions/" + fn)).getValue("latest_version"));
    assertError(http.get("/no/such/route"), 404, "CS_NOT_FOUND");
    assertError(http.send("PATCH", NS + "/functions", "application/json", "{}", Map.of()), 405,
        "CS_METHOD_NOT_ALLOWED");
  }

  @Test
  void callersReusingOneRequestIdEachGetTheirOwnResult() throws Exception {
    String fn = unique("mine");
    deploy(fn, source("""
        export function handler(e) {
          const until = Date.now() + 50;
          while (Date.now() < until) {}
          return { statusCode: 200, body: e.queryStringParameters.who };
        }
        """), null, "prod");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String who = "caller" + i;
        calls.add(pool.submit(() -> http.send("GET", "/v1/web/acme/default/" + fn + "/prod?who=" + who, null, null,
            Map.of("x-request-id", "same-id"))));
      }
      for (int i = 0; i < 8; i++) {
        HttpResponse<String> r = calls.get(i).get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("caller" + i, r.body());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void queryParametersHoldOnlyTheQueryString() {
    String fn = unique("query");
    deploy(fn, source("export const handler = (e) => ({ statusCode: 200, body: JSON.stringify(e.queryStringParameters) });"),
        null, "prod");
    HttpResponse<String> r = http.get("/v1/web/acme/default/" + fn + "/prod/p?a=1");
    assertEquals(new JsonObject().put("a", "1"), new JsonObject(r.body()));
  }

  @Test
  void concurrentPublishesGetDistinctVersions() throws Exception {
    String fn = unique("race");
    assertEquals(201, http.postJson(NS + "/functions", new JsonObject().put("name", fn)).statusCode());
    int n = 16;
    // distinct drafts: a draft equal to the latest version publishes nothing new
    List<String> draftIds = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      draftIds.add(upload(fn, source("export const handler = () => ({statusCode: 200, body: '" + i + "'});"), null)
          .getString("draft_id"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> calls = new ArrayList<>();
      for (String draftId : draftIds) {
        calls.add(pool.submit(() -> http.postJson(NS + "/functions/" + fn + "/versions",
            new JsonObject().put("draft_id", draftId))));
      }
      Set<Long> versions = new HashSet<>();
      for (Future<HttpResponse<String>> call : calls) {
        HttpResponse<String> r = call.get(30, TimeUnit.SECONDS);
        assertEquals(201, r.statusCode(), r.body());
        versions.add(TestHttp.json(r).getLong("version"));
      }
      Set<Long> expected = new HashSet<>();
      for (long v = 1; v <= n; v++) {
        expected.add(v);
      }
      assertEquals(expected, versions);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aliasMovesWithCompareAndSet() {
    String fn = unique("alias");
    deploy(fn, source("export const handler = () => ({ statusCode: 200, body: 'v1' });"), null, "prod");
    String draft2 = upload(fn, source("export const handler = () => ({ statusCode: 200, body: 'v2' });"), null)
        .getString("draft_id");
    assertEquals(201, http.postJson(NS + "/functions/" + fn + "/versions",
        new JsonObject().put("draft_id", draft2)).statusCode());
    assertEquals("v1", http.get("/v1/web/acme/default/" + fn + "/prod").body());
    assertError(http.putJson(NS + "/functions/" + fn + "/aliases/prod",
        new JsonObject().put("version", 2).put("if_version", 7)), 409, "CS_CONFLICT");
    HttpResponse<String> moved = http.putJson(NS + "/functions/" + fn + "/aliases/prod",
        new JsonObject().put("version", 2).put("if_version", 1));
    assertEquals(200, moved.statusCode(), moved.body());
    assertEquals("v2", http.get("/v1/web/acme/default/" + fn + "/prod").body());
    assertEquals("v1", http.get("/v1/web/acme/default/" + fn + "/1").body());
  }

  @Test
  void everyResponseCarriesARequestIdAndHonoursAWellFormedOne() {
    HttpResponse<String> mine = http.send("GET", "/healthz", null, null, Map.of("x-request-id", "trace-123"));
    assertEquals("trace-123", mine.headers().firstValue("x-request-id").orElseThrow());
    HttpResponse<String> bad = http.send("GET", "/healthz", null, null, Map.of("x-request-id", "bad id!"));
    assertFalse(bad.headers().firstValue("x-request-id").orElseThrow().contains(" "));
    assertEquals(200, http.get("/readyz").statusCode());
  }

  @Test
  void functionsUseTheirTenantsDataOnlyWithinTheirGrants() {
    String fn = unique("counter");
    deploy(fn, source("""
        export async function handler(e) {
          const before = Number((await cs.kv.get('counters/hits')) ?? 0);
          await cs.kv.set('counters/hits', String(before + 1));
          let denied;
          try { await cs.kv.get('billing/secret'); } catch (err) { denied = err.code; }
          const listed = await cs.kv.list('counters/');
          return { statusCode: 200, body: JSON.stringify({ hits: before + 1, denied, listed }) };
        }
        """), new JsonObject().put("capabilities", new JsonObject().put("kv", new JsonObject()
            .put("read", new JsonArray().add("counters/"))
            .put("write", new JsonArray().add("counters/")))), "prod");
    JsonObject first = new JsonObject(http.get("/v1/web/acme/default/" + fn + "/prod").body());
    JsonObject second = new JsonObject(http.get("/v1/web/acme/default/" + fn + "/prod").body());
    assertEquals(1, first.getInteger("hits"), first.encode());
    assertEquals(2, second.getInteger("hits"), second.encode());
    assertEquals("CS_CAPABILITY_DENIED", second.getString("denied"));
    assertEquals(new JsonArray().add("counters/hits"), second.getJsonArray("listed"));

    String other = unique("nogrant");
    deploy(other, source("""
        export async function handler() {
          try { await cs.kv.get('counters/hits'); return { statusCode: 200, body: 'read it' }; }
          catch (err) { return { statusCode: 403, body: err.code }; }
        }
        """), null, "prod");
    HttpResponse<String> refused = http.get("/v1/web/acme/default/" + other + "/prod");
    assertEquals(403, refused.statusCode());
    assertEquals("CS_CAPABILITY_DENIED", refused.body(), "no capability listed, none granted");
  }
}
