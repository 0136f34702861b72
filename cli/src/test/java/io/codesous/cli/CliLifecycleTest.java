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

  @BeforeAll
  void start() throws Exception {
    PlatformOptions options = ConfigLoader.load(null, Map.of()).setPort(0).setDataDir(dataDir.toString());
    running = RunningPlatform.start(options);
    Platform platform = running.platform();
    base = "http://" + platform.host() + ":" + platform.port();
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
