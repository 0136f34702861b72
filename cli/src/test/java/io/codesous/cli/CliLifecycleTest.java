package io.codesous.cli;

import io.codesous.platform.ConfigLoader;
import io.codesous.platform.Platform;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.RunningPlatform;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.codesous.cli.CliClientIT.assertExit;
import static io.codesous.cli.CliClientIT.unique;
import static io.codesous.cli.CliClientIT.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole lifecycle from the command line against the embedded platform: draft, publish, versions, aliases (a
 * compare-and-set and a canary), activations by status, logs paged, followed and tailed, tables and completion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliLifecycleTest {

  static final String TENANT = "acme";

  @TempDir
  static Path dataDir;

  @TempDir
  static Path work;

  RunningPlatform running;
  String base;
  String adminToken;

  @BeforeAll
  void start() throws Exception {
    PlatformOptions options = ConfigLoader.load(null, Map.of()).setPort(0).setDataDir(dataDir.toString());
    // the live-log tests' releases run while the activations they release still hold sandbox threads: a tenant
    // gets all threads but one, so two held activations and a release need a pool of four
    options.getInvoker().setWorkerPoolSize(4);
    running = RunningPlatform.start(options);
    Platform platform = running.platform();
    base = "http://" + platform.host() + ":" + platform.port();
    adminToken = platform.security().adminToken().token();
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  CliRun cs(String... args) {
    return CliRun.run(Map.of(ClientOptions.ENV_URL, base, "NO_COLOR", "1"),
        with(args, "--data-dir", dataDir.toString()));
  }

  JsonObject json(CliRun run) {
    assertExit(0, run);
    return new JsonObject(run.out());
  }

  Path dir(String code) throws Exception {
    Path dir = Files.createTempDirectory(work, "fn");
    Files.writeString(dir.resolve("index.mjs"), code);
    return dir;
  }

  static final String CODE = """
      export async function handler(event, ctx) {
        console.log('v' + ctx.function.version + ' ' + event.proxyPath);
        if (event.proxyPath === '/fail') throw new Error('asked to fail');
        return { statusCode: 200, body: String(ctx.function.version) };
      }
      """;

  @Test
  void aFunctionGoesFromDraftToCanaryAndBackWithTheCliAlone() throws Exception {
    String fn = unique("life");
    assertExit(0, cs("functions", "create", "--tenant", TENANT, fn));
    JsonObject draft = json(cs("drafts", "upload", "--tenant", TENANT, fn, dir(CODE).toString()));
    JsonObject v1 = json(cs("versions", "publish", "--tenant", TENANT, fn, draft.getString("draft_id"),
        "--alias", "prod"));
    assertEquals(1L, v1.getLong("version"));
    assertEquals("prod", v1.getString("alias"));
    String draft2 = json(cs("drafts", "upload", "--tenant", TENANT, fn, dir(CODE + "// 2\n").toString()))
        .getString("draft_id");
    assertEquals(2L, json(cs("versions", "publish", "--tenant", TENANT, fn, draft2)).getLong("version"));

    JsonArray versions = json(cs("versions", "list", "--tenant", TENANT, fn)).getJsonArray("versions");
    assertEquals(2, versions.size());
    assertEquals(draft2, json(cs("versions", "get", "--tenant", TENANT, fn, "2")).getString("draft_id"));

    CliRun stale = cs("aliases", "set", "--tenant", TENANT, fn, "prod", "--version", "2", "--if-version", "2");
    assertExit(1, stale);
    assertTrue(stale.err().startsWith("CS_CONFLICT: alias prod points at 1, not 2"), stale.toString());
    JsonObject canary = json(cs("aliases", "set", "--tenant", TENANT, fn, "prod", "--version", "1",
        "--if-version", "1", "--weight", "2=100"));
    assertEquals(new JsonObject().put("2", 100), canary.getJsonObject("weights"));
    assertEquals(canary.copy().put("alias", "prod"), json(cs("aliases", "get", "--tenant", TENANT, fn, "prod")));
    assertTrue(cs("invoke", TENANT, "default", fn, "prod").out().endsWith("\n2\n"), "all of it to version 2");

    json(cs("aliases", "set", "--tenant", TENANT, fn, "prod", "--version", "1"));
    JsonArray aliases = json(cs("aliases", "list", "--tenant", TENANT, fn)).getJsonArray("aliases");
    assertEquals(new JsonArray().add(new JsonObject().put("version", 1).put("alias", "prod")), aliases,
        "the rollback leaves no weights");

    CliRun table = cs("aliases", "list", "--tenant", TENANT, fn, "-o", "table");
    assertExit(0, table);
    assertEquals(List.of("ALIAS  VERSION  WEIGHTS", "prod   1        -"), table.out().lines().toList());
  }

  @Test
  void activationsAreListedByStatusAndTheirLogsReadFollowedAndTailed() throws Exception {
    String fn = unique("logs");
    assertExit(0, cs("deploy", "--tenant", TENANT, fn, dir(CODE).toString(), "--alias", "prod"));
    String ok = CliClientIT.activationId(cs("invoke", TENANT, "default", fn, "prod", "/ok"));
    CliRun failing = cs("invoke", TENANT, "default", fn, "prod", "/fail");
    assertExit(1, failing);
    String failed = CliClientIT.activationId(failing);

    JsonArray errors = json(cs("activations", "list", "--tenant", TENANT, "--function", fn, "--status", "error"))
        .getJsonArray("activations");
    assertEquals(1, errors.size());
    assertEquals(failed, errors.getJsonObject(0).getString("activation_id"));
    assertEquals(2, json(cs("activations", "list", "--tenant", TENANT, "--function", fn, "--limit", "5"))
        .getJsonArray("activations").size());

    CliRun logs = cs("logs", "--tenant", TENANT, ok);
    assertExit(0, logs);
    assertEquals("v1 /ok", new JsonObject(logs.out().strip()).getString("message"), "one JSON line when piped");
    CliRun followed = cs("logs", "--tenant", TENANT, failed, "--follow");
    assertExit(0, followed);
    assertEquals("v1 /fail", new JsonObject(followed.out().strip()).getString("message"));
    CliRun text = cs("logs", "--tenant", TENANT, ok, "-o", "table");
    assertTrue(text.out().strip().endsWith(" info  v1 /ok"), text.toString());

    CompletableFuture<CliRun> tail = CompletableFuture.supplyAsync(() ->
        cs("logs", "--tenant", TENANT, "--function", fn, "--follow", "--max-activations", "2"));
    // the tail lists the activations that ended before it began first, and leaves them out
    Thread.sleep(2 * LogsCommand.TAIL_POLL_MS);
    cs("invoke", TENANT, "default", fn, "prod", "/third");
    cs("invoke", TENANT, "default", fn, "prod", "/fourth");
    CliRun tailed = tail.get(60, TimeUnit.SECONDS);
    assertExit(0, tailed);
    assertEquals(List.of("v1 /third", "v1 /fourth"), tailed.out().lines()
        .map(l -> new JsonObject(l).getString("message")).toList(), tailed.toString());
  }

  @Test
  void theFollowedLogAndTheTailOfItsFunctionPrintALineWhileTheActivationStillRuns() throws Exception {
    // the function cannot end before the test releases it, and the test releases it only once both followers
    // printed the first line: that line can only have come while the activation ran
    String fn = unique("live");
    Path manifest = work.resolve(fn + ".json");
    Files.writeString(manifest, new JsonObject().put("capabilities", new JsonObject().put("kv", new JsonObject()
        .put("read", new JsonArray().add(fn + "/")).put("write", new JsonArray().add(fn + "/")))).encode());
    assertExit(0, cs("deploy", "--tenant", TENANT, fn, dir("""
        export async function handler(event) {
          if (event.proxyPath === '/release') {
            await cs.kv.set('GATE', 'open');
            return { statusCode: 200, body: 'released' };
          }
          console.log('first');
          while ((await cs.kv.get('GATE')) !== 'open') {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          console.log('second');
          return { statusCode: 200, body: 'done' };
        }""".replace("GATE", fn + "/go")).toString(), "--alias", "prod", "--manifest", manifest.toString()));
    LiveOutput tail = LiveOutput.start(Map.of(ClientOptions.ENV_URL, base, "NO_COLOR", "1"),
        with(new String[] {"logs", "--tenant", TENANT, "--function", fn, "--follow", "--max-activations", "1"},
            "--data-dir", dataDir.toString()));
    String web = base + "/v1/web/" + TENANT + "/default/" + fn + "/prod";
    HttpResponse<String> accepted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web))
            .header("x-cs-async", "true").header("authorization", "Bearer " + adminToken)
            .POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(202, accepted.statusCode(), accepted.body());
    String id = accepted.headers().firstValue("x-cs-activation-id").orElseThrow();
    LiveOutput followed = LiveOutput.start(Map.of(ClientOptions.ENV_URL, base, "NO_COLOR", "1"),
        with(new String[] {"logs", "--tenant", TENANT, id, "--follow"}, "--data-dir", dataDir.toString()));

    assertEquals("first", new JsonObject(followed.nextLine()).getString("message"));
    JsonObject tailed = new JsonObject(tail.nextLine());
    assertEquals(List.of(id, "first"), List.of(tailed.getString("activation_id"), tailed.getString("message")));
    assertEquals("running", json(cs("activations", "get", "--tenant", TENANT, id)).getString("status"));

    assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(web + "/release"))
            .header("authorization", "Bearer " + adminToken).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode());
    assertEquals("second", new JsonObject(followed.nextLine()).getString("message"));
    assertEquals("second", new JsonObject(tail.nextLine()).getString("message"));
    assertExit(0, followed.end());
    assertExit(0, tail.end());
  }

  @Test
  void theTailOfAFunctionPrintsTheLinesOfConcurrentActivationsInTheOrderTheyAreWritten() throws Exception {
    // each activation logs a line, then waits for the test to open its next gate: the test opens a gate only once
    // the tail printed the line before it, so the lines are written a1, b1, a2, b2 with both activations running
    String fn = unique("interleave");
    Path manifest = work.resolve(fn + ".json");
    Files.writeString(manifest, new JsonObject().put("capabilities", new JsonObject().put("kv", new JsonObject()
        .put("read", new JsonArray().add(fn + "/")).put("write", new JsonArray().add(fn + "/")))).encode());
    assertExit(0, cs("deploy", "--tenant", TENANT, fn, dir("""
        export async function handler(event) {
          const [, verb, name] = event.proxyPath.split('/');
          const gate = async (n) => {
            while ((await cs.kv.get('PREFIX' + name + n)) !== 'open') {
              await new Promise((resolve) => setTimeout(resolve, 50));
            }
          };
          if (verb === 'open') {
            await cs.kv.set('PREFIX' + name, 'open');
            return { statusCode: 200 };
          }
          console.log(name + '1');
          await gate(2);
          console.log(name + '2');
          await gate(3);
          return { statusCode: 200 };
        }""".replace("PREFIX", fn + "/")).toString(), "--alias", "prod", "--manifest", manifest.toString()));
    Map<String, String> env = Map.of(ClientOptions.ENV_URL, base, "NO_COLOR", "1");
    String[] tailArgs = {"logs", "--tenant", TENANT, "--function", fn, "--follow", "--max-activations", "2"};
    LiveOutput json = LiveOutput.start(env, with(tailArgs, "--data-dir", dataDir.toString()));
    LiveOutput table = LiveOutput.start(env, with(with(tailArgs, "-o", "table"), "--data-dir", dataDir.toString()));
    String web = base + "/v1/web/" + TENANT + "/default/" + fn + "/prod";
    java.util.function.Function<String, String> send = path -> {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(web + path))
          .header("authorization", "Bearer " + adminToken).POST(HttpRequest.BodyPublishers.noBody());
      boolean run = path.startsWith("/run/");
      if (run) {
        request.header("x-cs-async", "true");
      }
      try {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(request.build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(run ? 202 : 200, answer.statusCode(), answer.body());
        return answer.headers().firstValue("x-cs-activation-id").orElseThrow();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    };

    // each line is waited for on both tails before the next is written
    String a = send.apply("/run/a");
    assertPrinted(json, table, a, "a1");
    String b = send.apply("/run/b");
    assertPrinted(json, table, b, "b1");
    send.apply("/open/a2");
    assertPrinted(json, table, a, "a2");
    send.apply("/open/b2");
    assertPrinted(json, table, b, "b2");
    send.apply("/open/a3");
    send.apply("/open/b3");
    assertExit(0, json.end());
    assertExit(0, table.end());
  }

  /** The next line of the JSON tail names the activation; the table tail's starts with its short id. */
  private static void assertPrinted(LiveOutput json, LiveOutput table, String id, String message) throws Exception {
    assertEquals(List.of(id, message), idAndMessage(json.nextLine()));
    String line = table.nextLine();
    assertTrue(line.startsWith(LogsCommand.shortId(id) + " ") && line.endsWith(" " + message), line);
  }

  private static List<String> idAndMessage(String line) {
    JsonObject entry = new JsonObject(line);
    return List.of(entry.getString("activation_id"), entry.getString("message"));
  }

  @Test
  void anAsyncInvokeWithAnIdempotencyKeyAnswersOneActivationWhoseEndIsLongPolled() throws Exception {
    String fn = unique("async");
    Path manifest = work.resolve(fn + ".json");
    Files.writeString(manifest, new JsonObject().put("capabilities", new JsonObject().put("kv", new JsonObject()
        .put("read", new JsonArray().add(fn + "/")).put("write", new JsonArray().add(fn + "/")))).encode());
    assertExit(0, cs("deploy", "--tenant", TENANT, fn, dir("""
        export async function handler(event) {
          const runs = Number((await cs.kv.get('RUNS')) ?? 0) + 1;
          await cs.kv.set('RUNS', String(runs));
          return { statusCode: 200, body: 'run ' + runs + ' of ' + event.body };
        }""".replace("RUNS", fn + "/runs")).toString(), "--alias", "prod", "--manifest", manifest.toString()));
    String key = "order-" + fn;

    CliRun accepted = cs("invoke", TENANT, "default", fn, "prod", "--data", "a", "--async", "--idempotency-key", key);
    assertExit(0, accepted);
    assertTrue(accepted.out().startsWith("HTTP 202"), accepted.toString());
    String id = CliClientIT.activationId(accepted);
    JsonObject ended = json(cs("activations", "get", "--tenant", TENANT, id, "--wait", "30s"));
    assertEquals("success", ended.getString("status"), ended.encode());

    CliRun repeated = cs("invoke", TENANT, "default", fn, "prod", "--data", "a", "--idempotency-key", key);
    assertExit(0, repeated);
    assertEquals(id, CliClientIT.activationId(repeated));
    assertTrue(repeated.out().strip().endsWith("run 1 of a"), "the code ran once: " + repeated);
    CliRun conflict = cs("invoke", TENANT, "default", fn, "prod", "--data", "b", "--idempotency-key", key);
    assertExit(1, conflict);
    assertTrue(conflict.out().contains("CS_IDEMPOTENCY_CONFLICT"), conflict.toString());
  }

  @Test
  void everyNewCommandHasExamplesInItsHelpAndCompletionIsGenerated() {
    for (String[] command : List.of(new String[] {"drafts", "upload"}, new String[] {"versions", "publish"},
        new String[] {"versions", "list"}, new String[] {"versions", "get"}, new String[] {"aliases", "set"},
        new String[] {"aliases", "get"}, new String[] {"aliases", "list"}, new String[] {"activations", "list"},
        new String[] {"logs"})) {
      CliRun help = CliRun.run(Map.of(), with(command, "--help"));
      assertExit(0, help);
      assertTrue(help.out().contains("Examples:") || help.out().contains("Example:"), help.toString());
    }
    CliRun completion = CliRun.run(Map.of(), "generate-completion");
    assertExit(0, completion);
    assertTrue(completion.out().contains("complete -F") && completion.out().contains("aliases"),
        completion.out().lines().limit(5).toList().toString());
  }
}
