package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.gateway.Gateway;
import io.codesous.invoker.InvokerOptions;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 5 MB bundle goes through the platform like any other: it uploads, publishes, and its first invocation succeeds
 * within its init budget ({@code limits.initTimeoutMs}), which the activation reports as {@code init_ms}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LargeBundleTest {

  static final String NS = "/v1/tenants/acme/namespaces/default";
  static final int BUNDLE_BYTES = 5_000_000;
  static final int INIT_TIMEOUT_MS = 30_000;

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  Platform platform;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    // Without preparation at publish, so the first invocation evaluates the module itself and reports the time as
    // init_ms; a prepared version's first invocation finds it evaluated and reports 0 (VersionPreparationTest).
    running = RunningPlatform.start(new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setInvoker(new InvokerOptions().setPrepareVersions(false)));
    platform = running.platform();
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  /**
   * About {@code bytes} of module, the same every run: code as bundlers emit it (many small functions in a lookup
   * table) and data (string literals), with a handler that uses both. A linear congruential generator picks the
   * constants, so the content is deterministic without being repetitive.
   */
  static String largeModule(int bytes) {
    StringBuilder module = new StringBuilder(bytes + 4096);
    module.append("const table = [];\n");
    long seed = 42;
    int n = 0;
    while (module.length() < bytes / 2) {
      seed = (seed * 6364136223846793005L + 1442695040888963407L);
      long k = (seed >>> 33) % 1000;
      module.append("table.push(function f").append(n).append("(x) { const y = x * ").append(k)
          .append(" + ").append(n).append("; return y % 7 === 0 ? y : y + ").append(k % 13).append("; });\n");
      n++;
    }
    module.append("const words = [\n");
    int words = 0;
    while (module.length() < bytes - 512) {
      seed = (seed * 6364136223846793005L + 1442695040888963407L);
      module.append("  \"w").append(Long.toHexString(seed)).append("\",\n");
      words++;
    }
    module.append("];\n");
    module.append("export function handler(event) {\n")
        .append("  let sum = 0;\n")
        .append("  for (let i = 0; i < table.length; i += 97) { sum = (sum + table[i](i)) % 1000003; }\n")
        .append("  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: table.length + ' '")
        .append(" + words.length + ' ' + sum };\n")
        .append("}\n");
    while (module.length() < bytes) {
      module.append(' ');
    }
    return module.toString();
  }

  @Test
  void aFiveMegabyteBundlePublishesAndItsFirstInvokeSucceedsWithinItsInitBudget() {
    String module = largeModule(BUNDLE_BYTES);
    assertEquals(BUNDLE_BYTES, module.getBytes(StandardCharsets.UTF_8).length);
    HttpResponse<String> created = http.postJson(NS + "/functions", new JsonObject().put("name", "large"));
    assertEquals(201, created.statusCode(), created.body());
    // timeoutMs bounds the gateway's wait, so it is generous here too: the point is the init budget.
    JsonObject manifest = new JsonObject().put("limits", new JsonObject()
        .put("initTimeoutMs", INIT_TIMEOUT_MS).put("timeoutMs", 30_000));
    HttpResponse<String> draft = http.postJson(NS + "/functions/large/drafts",
        new JsonObject().put("files", new JsonObject().put("index.mjs", module)).put("manifest", manifest));
    assertEquals(201, draft.statusCode(), draft.body());
    HttpResponse<String> published = http.postJson(NS + "/functions/large/versions", new JsonObject()
        .put("draft_id", TestHttp.json(draft).getString("draft_id")).put("alias", "prod"));
    assertEquals(201, published.statusCode(), published.body());

    long began = System.nanoTime();
    HttpResponse<String> invoked = http.get("/v1/web/acme/default/large/prod");
    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began);

    assertEquals(200, invoked.statusCode(), invoked.body());
    assertTrue(invoked.body().matches("\\d+ \\d+ \\d+"), invoked.body());
    String id = invoked.headers().firstValue(Gateway.ACTIVATION_HEADER).orElseThrow();
    JsonObject activation = TestHttp.json(http.get(NS + "/activations/" + id));
    assertEquals("success", activation.getString("status"), activation.encode());
    long initMs = activation.getLong("init_ms");
    assertTrue(initMs > 0 && initMs < INIT_TIMEOUT_MS, "init_ms " + initMs);
    System.out.printf("5 MB bundle: first invoke answered in %d ms, init_ms %d%n", tookMs, initMs);
  }
}
