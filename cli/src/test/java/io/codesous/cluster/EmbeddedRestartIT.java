package io.codesous.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded server as users run it, {@code cs server --data-dir DIR} in a process of its own, stopped cleanly
 * (SIGTERM) and with {@code kill -9}, then started again on the same directory: what was published, aliased,
 * stored as a secret or run before is still there and invokable.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedRestartIT {

  static final String TENANT = "restart";
  static final String NS = "/v1/tenants/" + TENANT + "/namespaces/default";
  static final String HANDLER = """
      export async function handler(event, ctx) {
        const until = Date.now() + Number(event.queryStringParameters.ms || 0);
        while (Date.now() < until) {}
        // the secret's length: its value itself is redacted from every response
        return { statusCode: 200, body: ctx.secrets.greeting.length + " v" + ctx.function.version };
      }
      """;
  /** The process keeps its name, so every start uses the same data directory ({@code <dir>/embedded-data}). */
  static final String NAME = "embedded";
  /** A short lease margin: an attempt the kill cut off is taken over after its timeout and this. */
  static final String YAML = "invoker:\n  drainTimeoutMs: 60000\n  leaseMarginMs: 2000\n";

  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  CsProcess server;
  String token;
  String firstActivation;
  int publishes;

  @BeforeAll
  void startServer() throws Exception {
    server = start();
    token = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(dir.resolve(NAME + "-data").toString()))
        .mint("restart-test", TENANT, Set.of("admin"), Duration.ofHours(1));
  }

  @AfterAll
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
  }

  /** One clean restart checks both what was stored and what the stop drained, to start the server once less. */
  @Test
  @Order(1)
  void storedStateAndActivationsAcceptedBeforeACleanStopOutliveIt() throws Exception {
    assertEquals(201, send("POST", NS + "/secrets",
        new JsonObject().put("name", "greeting").put("value", "hello")).statusCode());
    assertEquals(201, send("POST", NS + "/functions", new JsonObject().put("name", "greet")).statusCode());
    assertEquals(1, publish());
    assertEquals(2, publish());
    assertEquals(200, send("PUT", NS + "/functions/greet/aliases/prod", new JsonObject().put("version", 1))
        .statusCode());
    HttpResponse<String> invoked = send("GET", "/v1/web/" + TENANT + "/default/greet/prod", null);
    assertEquals("5 v1", invoked.body());
    firstActivation = invoked.headers().firstValue("x-cs-activation-id").orElseThrow();
    // accepted, not yet run: the in-JVM queue holds them when the stop begins
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> r = send("GET", "/v1/web/" + TENANT + "/default/greet/prod?ms=250", null, "x-cs-async",
          "true");
      assertEquals(202, r.statusCode(), r.body());
      accepted.add(r.headers().firstValue("x-cs-activation-id").orElseThrow());
    }

    restartCleanly();

    assertEquals(List.of(2L, 1L), versions());
    assertEquals("5 v1", send("GET", "/v1/web/" + TENANT + "/default/greet/prod", null).body());
    assertEquals("5 v2", send("GET", "/v1/web/" + TENANT + "/default/greet/2", null).body());
    assertEquals(List.of("greeting"), secretNames());
    for (String id : accepted) {
      JsonObject record = new JsonObject(send("GET", NS + "/activations/" + id, null).body());
      assertEquals("success", record.getString("status"), record.encode());
    }
    JsonObject past = new JsonObject(send("GET", NS + "/activations/" + firstActivation, null).body());
    assertEquals("success", past.getString("status"), past.encode());
  }

  @Test
  @Order(2)
  void killDashNineLosesNoPublishedVersionAliasOrSecret() throws Exception {
    assertEquals(3, publish());
    assertEquals(200, send("PUT", NS + "/functions/greet/aliases/prod", new JsonObject().put("version", 3))
        .statusCode());
    assertEquals(200, send("PUT", NS + "/secrets/greeting", new JsonObject().put("value", "welcome"))
        .statusCode());

    server.killHard();
    server = start();

    assertEquals(List.of(3L, 2L, 1L), versions());
    assertEquals("7 v3", send("GET", "/v1/web/" + TENANT + "/default/greet/prod", null).body());
    JsonObject past = new JsonObject(send("GET", NS + "/activations/" + firstActivation, null).body());
    assertEquals("success", past.getString("status"), past.encode());
  }

  /**
   * The in-JVM queue dies with the process; the requests it had accepted were also written to the on-disk KV, and
   * the next start queues them again under their activation ids, so none stays {@code queued} or {@code running}.
   */
  @Test
  @Order(3)
  void activationsAcceptedBeforeAKillDashNineFinishAfterTheRestart() throws Exception {
    List<String> accepted = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      HttpResponse<String> r = send("GET", "/v1/web/" + TENANT + "/default/greet/prod?ms=250", null, "x-cs-async",
          "true");
      assertEquals(202, r.statusCode(), r.body());
      accepted.add(r.headers().firstValue("x-cs-activation-id").orElseThrow());
    }

    server.killHard();
    server = start();

    for (String id : accepted) {
      JsonObject record = awaitEnded(id, Duration.ofSeconds(90));
      assertEquals("success", record.getString("status"), record.encode());
      assertEquals(id, record.getString("activation_id"));
    }
  }

  /** The activation's record once it has a terminal status, or the last one read when {@code patience} ran out. */
  private JsonObject awaitEnded(String id, Duration patience) throws Exception {
    long until = System.nanoTime() + patience.toNanos();
    JsonObject last = new JsonObject();
    while (System.nanoTime() < until) {
      HttpResponse<String> r = send("GET", NS + "/activations/" + id, null);
      if (r.statusCode() == 200) {
        last = new JsonObject(r.body());
        String status = last.getString("status");
        if (!"queued".equals(status) && !"running".equals(status)) {
          return last;
        }
      }
      Thread.sleep(200);
    }
    return last.put("waited_ms", patience.toMillis());
  }

  private CsProcess start() throws Exception {
    CsProcess started = CsProcess.start(NAME, dir, YAML, CsProcess.freePort(), "control,gateway,invoker,scheduler");
    started.awaitReady(http, Duration.ofSeconds(120));
    return started;
  }

  private void restartCleanly() throws Exception {
    assertEquals(143, server.stopCleanly(Duration.ofSeconds(90)), server.logText());
    server = start();
  }

  private long publish() throws Exception {
    // a deploy of the latest version's very bundle answers that version: each publish differs by a comment
    JsonObject upload = new JsonObject()
        .put("files", new JsonObject().put("index.mjs", HANDLER + "// publish " + ++publishes + "\n"))
        .put("manifest", new JsonObject().put("secrets", new JsonArray().add("greeting"))
            .put("limits", new JsonObject().put("timeoutMs", 5000)));
    HttpResponse<String> draft = send("POST", NS + "/functions/greet/drafts", upload);
    assertEquals(201, draft.statusCode(), draft.body());
    HttpResponse<String> published = send("POST", NS + "/functions/greet/versions",
        new JsonObject().put("draft_id", new JsonObject(draft.body()).getString("draft_id")));
    assertEquals(201, published.statusCode(), published.body());
    return new JsonObject(published.body()).getLong("version");
  }

  private List<Long> versions() throws Exception {
    HttpResponse<String> r = send("GET", NS + "/functions/greet/versions", null);
    assertEquals(200, r.statusCode(), r.body());
    List<Long> numbers = new ArrayList<>();
    for (Object v : new JsonObject(r.body()).getJsonArray("versions")) {
      numbers.add(((JsonObject) v).getLong("version"));
    }
    return numbers;
  }

  private List<String> secretNames() throws Exception {
    List<String> names = new ArrayList<>();
    for (Object s : new JsonObject(send("GET", NS + "/secrets", null).body()).getJsonArray("secrets")) {
      names.add(((JsonObject) s).getString("name"));
    }
    return names;
  }

  private HttpResponse<String> send(String method, String path, JsonObject body, String... headers)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(Duration.ofSeconds(60))
        .header("authorization", "Bearer " + token);
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    if (body != null) {
      b.header("content-type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body.encode()));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
