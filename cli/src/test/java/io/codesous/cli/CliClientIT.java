package io.codesous.cli;

import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.platform.ConfigLoader;
import io.codesous.platform.Platform;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.RunningPlatform;
import io.codesous.platform.VertxFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client commands against the real embedded platform in this JVM: the platform writes its
 * signing key and an operator token into its data directory, and the CLI finds that token, or one
 * from the environment, or one minted by {@code cs token create}, and is refused with the right exit
 * code when the token does not fit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliClientIT {

  static final String TENANT = "acme";

  @TempDir
  static Path dataDir;

  @TempDir
  static Path work;

  Vertx vertx;
  RunningPlatform running;
  Platform platform;
  String base;
  LocalSigningKey key;

  @BeforeAll
  void start() throws Exception {
    PlatformOptions options = ConfigLoader.load(null, Map.of()).setPort(0).setDataDir(dataDir.toString());
    vertx = VertxFactory.create(options).await(60, TimeUnit.SECONDS);
    running = RunningPlatform.startOn(vertx, options);
    platform = running.platform();
    base = "http://" + platform.host() + ":" + platform.port();
    assertTrue(Files.isRegularFile(dataDir.resolve(LocalSigningKey.KEY_FILE)),
        "the embedded platform creates <data-dir>/signing-key.jwk on start");
    assertTrue(Files.isRegularFile(dataDir.resolve(LocalSigningKey.ADMIN_TOKEN_FILE)),
        "the embedded platform writes <data-dir>/admin.token on start");
    key = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(dataDir.toString()));
  }

  @AfterAll
  void stop() throws Exception {
    if (running != null) {
      running.close();
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The environment of a shell that set only the server URL. */
  Map<String, String> env() {
    return Map.of(ClientOptions.ENV_URL, base);
  }

  Map<String, String> envWithToken(String token) {
    Map<String, String> env = new HashMap<>(env());
    env.put(TokenSource.ENV_TOKEN, token);
    return env;
  }

  /** cs with the server's data directory, so its admin.token is the token used. */
  CliRun asAdmin(String... args) {
    return CliRun.run(env(), with(args, "--data-dir", dataDir.toString()));
  }

  /** cs with a data directory that holds no token, so only the given environment supplies one. */
  CliRun withEnv(Map<String, String> env, String... args) throws Exception {
    Path empty = Files.createTempDirectory(work, "empty-data");
    return CliRun.run(env, with(args, "--data-dir", empty.toString()));
  }

  static String[] with(String[] args, String... more) {
    String[] all = new String[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }

  static void assertExit(int code, CliRun run) {
    assertEquals(code, run.exitCode(), run.toString());
  }

  Path helloDir() throws Exception {
    Path dir = Files.createTempDirectory(work, "hello");
    Files.createDirectories(dir.resolve("lib"));
    Files.writeString(dir.resolve("index.mjs"), """
        import { greet } from './lib/greet.mjs';
        export async function handler(event) {
          console.log('greeting', event.proxyPath);
          return { statusCode: 200, headers: { 'content-type': 'text/plain' },
                   body: greet(event.queryStringParameters.x) + ' ' + event.httpMethod };
        }
        """);
    Files.writeString(dir.resolve("lib/greet.mjs"), "export const greet = (x) => 'hello ' + x;\n");
    Files.write(dir.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff});
    return dir;
  }

  /** The activation id from {@code cs invoke}'s second line. */
  static String activationId(CliRun invoke) {
    String line = invoke.out().lines().skip(1).findFirst().orElseThrow();
    assertTrue(line.startsWith(InvokeCommand.ACTIVATION_HEADER + ": "), invoke.toString());
    return line.substring(line.indexOf(": ") + 2);
  }

  @Test
  void theAdminTokenInTheDataDirectoryDrivesTheWholeFlow() throws Exception {
    String fn = unique("hello");

    CliRun created = asAdmin("functions", "create", "--tenant", TENANT, fn);
    assertExit(0, created);
    assertEquals(fn, new JsonObject(created.out()).getString("name"));

    Path manifest = Files.writeString(work.resolve(fn + ".json"), "{\"entry\":\"index.mjs\"}");
    CliRun deployed = asAdmin("deploy", "--tenant", TENANT, fn, helloDir().toString(), "--alias", "prod",
        "--manifest", manifest.toString());
    assertExit(0, deployed);
    JsonObject version = new JsonObject(deployed.out());
    assertEquals(1L, version.getLong("version"));
    assertTrue(version.getString("sha256").matches("^[0-9a-f]{64}$"), deployed.toString());

    CliRun invoked = asAdmin("invoke", TENANT, "default", fn, "prod", "/any/path?x=1");
    assertExit(0, invoked);
    assertTrue(invoked.out().startsWith("HTTP 200\n"), invoked.toString());
    assertTrue(invoked.out().contains("\nhello 1 GET\n"), invoked.toString());
    String id = activationId(invoked);

    CliRun activation = asAdmin("activations", "get", id, "--tenant", TENANT);
    assertExit(0, activation);
    JsonObject record = new JsonObject(activation.out());
    assertEquals("success", record.getString("status"));
    assertEquals(fn, record.getString("function"));
    assertEquals(1L, record.getLong("version"));

    CliRun logs = asAdmin("activations", "logs", id, "--tenant", TENANT, "--namespace", "default");
    assertExit(0, logs);
    assertEquals("greeting /any/path",
        new JsonObject(logs.out()).getJsonArray("logs").getJsonObject(0).getString("message"));

    CliRun listed = asAdmin("functions", "list", "--tenant", TENANT);
    assertExit(0, listed);
    assertTrue(listed.out().contains("\"" + fn + "\""), listed.toString());

    // the function exists now: deploy only adds a version, and the same files again add none
    Path changed = helloDir();
    Files.writeString(changed.resolve("lib/greet.mjs"), "// v2\n", java.nio.file.StandardOpenOption.APPEND);
    CliRun again = asAdmin("deploy", "--tenant", TENANT, fn, changed.toString());
    assertExit(0, again);
    assertEquals(2L, new JsonObject(again.out()).getLong("version"));
    assertFalse(version.getString("sha256").equals(new JsonObject(again.out()).getString("sha256")));
    CliRun same = asAdmin("deploy", "--tenant", TENANT, fn, changed.toString());
    assertExit(0, same);
    assertEquals(2L, new JsonObject(same.out()).getLong("version"));
    assertEquals(true, new JsonObject(same.out()).getBoolean("unchanged"));

    CliRun detail = asAdmin("functions", "get", "--tenant", TENANT, fn);
    assertExit(0, detail);
    assertEquals(2L, new JsonObject(detail.out()).getLong("latest_version"));
    assertEquals(1L, new JsonObject(detail.out()).getJsonObject("aliases").getLong("prod"));

    CliRun generic = asAdmin("api", "GET", ApiClient.namespacePath(TENANT, "default") + "/functions/" + fn
        + "/versions");
    assertExit(0, generic);
    assertEquals(2, new JsonObject(generic.out()).getJsonArray("versions").size());

    CliRun posted = asAdmin("invoke", TENANT, "default", fn, "latest", "?x=2", "--data", "{\"a\":1}");
    assertExit(0, posted);
    assertTrue(posted.out().contains("\nhello 2 POST\n"), posted.toString());

    // the platform refused (no activation): status on stdout, code and message on stderr
    CliRun unknownVersion = asAdmin("invoke", TENANT, "default", fn, "9");
    assertExit(1, unknownVersion);
    assertTrue(unknownVersion.out().startsWith("HTTP 404\n" + InvokeCommand.ACTIVATION_HEADER + ": -\n"),
        unknownVersion.toString());
    assertTrue(unknownVersion.err().startsWith("CS_NOT_FOUND: "), unknownVersion.toString());

    assertExit(0, asAdmin("functions", "delete", "--tenant", TENANT, fn));
    CliRun gone = asAdmin("functions", "get", "--tenant", TENANT, fn);
    assertExit(1, gone);
    assertTrue(gone.err().startsWith("CS_NOT_FOUND: "), gone.toString());
  }

  @Test
  void aTokenFromTheEnvironmentIsUsed() throws Exception {
    String fn = unique("env");
    String developer = key.mint("dev", TENANT, Set.of("developer"), Duration.ofMinutes(5));
    Map<String, String> env = envWithToken(developer);

    CliRun deployed = withEnv(env, "deploy", "--tenant", TENANT, "--namespace", "team", fn,
        helloDir().toString(), "--alias", "prod");
    assertExit(0, deployed);
    assertEquals(1L, new JsonObject(deployed.out()).getLong("version"));

    CliRun invoked = withEnv(env, "invoke", TENANT, "team", fn, "prod", "?x=3");
    assertExit(0, invoked);
    assertTrue(invoked.out().contains("\nhello 3 GET\n"), invoked.toString());
    assertExit(0, withEnv(env, "activations", "get", activationId(invoked), "--tenant", TENANT, "--namespace", "team"));

    // the environment wins over the data directory's admin token
    String otherTenant = key.mint("dev", "globex", Set.of("admin"), Duration.ofMinutes(5));
    CliRun hidden = CliRun.run(envWithToken(otherTenant), "functions", "get", "--tenant", TENANT,
        "--namespace", "team", fn, "--data-dir", dataDir.toString());
    assertExit(1, hidden);
    assertTrue(hidden.err().startsWith("CS_NOT_FOUND: "), hidden.toString());
  }

  @Test
  void aTokenOfAnotherTenantGetsNothing() throws Exception {
    String fn = unique("mine");
    assertExit(0, asAdmin("deploy", "--tenant", TENANT, fn, helloDir().toString(), "--alias", "prod"));
    Map<String, String> globex = envWithToken(key.mint("eve", "globex", Set.of("admin"), Duration.ofMinutes(5)));

    CliRun read = withEnv(globex, "functions", "get", "--tenant", TENANT, fn);
    assertExit(1, read);
    assertTrue(read.err().startsWith("CS_NOT_FOUND: "), read.toString());

    CliRun invoked = withEnv(globex, "invoke", TENANT, "default", fn, "prod");
    assertExit(1, invoked);
    assertTrue(invoked.out().startsWith("HTTP 404\n"), invoked.toString());

    CliRun deployed = withEnv(globex, "deploy", "--tenant", TENANT, fn, helloDir().toString());
    assertExit(1, deployed);
    assertEquals("", deployed.out(), deployed.toString());
  }

  @Test
  void aTokenMintedByTheCliIsAcceptedWithinItsRoles() throws Exception {
    CliRun minted = CliRun.run(Map.of(), "token", "create", "--data-dir", dataDir.toString(), "--tenant", TENANT,
        "--roles", "reader", "--ttl", "5m", "--subject", "auditor");
    assertExit(0, minted);
    String reader = minted.out().strip();

    assertExit(0, withEnv(env(), "functions", "list", "--tenant", TENANT, "--token", reader));

    CliRun refused = withEnv(env(), "functions", "create", "--tenant", TENANT, unique("nope"), "--token", reader);
    assertExit(3, refused);
    assertTrue(refused.err().startsWith("CS_FORBIDDEN: "), refused.toString());

    Path tokenFile = Files.writeString(work.resolve("reader.token"), reader + "\n");
    assertExit(0, withEnv(env(), "functions", "list", "--tenant", TENANT, "--token-file", tokenFile.toString()));
  }

  @Test
  void aBadOrMissingTokenIsExitCodeThree() throws Exception {
    CliRun bad = withEnv(envWithToken("not.a.token"), "functions", "list", "--tenant", TENANT);
    assertExit(3, bad);
    assertTrue(bad.err().startsWith("CS_UNAUTHENTICATED: "), bad.toString());

    CliRun none = withEnv(env(), "functions", "list", "--tenant", TENANT);
    assertExit(3, none);
    assertTrue(none.err().contains("no token was sent"), none.toString());

    CliRun generic = withEnv(envWithToken("not.a.token"), "api", "GET", "/v1/tenants/acme/namespaces/default/functions");
    assertExit(3, generic);
  }

  @Test
  void secretsAreWrittenFromAFileOrStdinAndNeverShown() throws Exception {
    ApiClient admin = new ApiClient(java.net.URI.create(base),
        TokenSource.resolve(null, Map.of(), null, dataDir));
    ApiClient.Response probe = admin.get(ApiClient.namespacePath(TENANT, "sec") + "/secrets");
    // the routes must answer: a missing route fails here with its status rather than further down
    assertEquals(200, probe.status(), "GET secrets: " + probe.text());

    String value = "s3cret-" + UUID.randomUUID();
    Path valueFile = Files.writeString(work.resolve("value"), value + "\n");
    CliRun created = asAdmin("secrets", "create", "--tenant", TENANT, "--namespace", "sec", "db-password",
        "--value-file", valueFile.toString());
    assertExit(0, created);
    assertFalse(created.out().contains(value), created.toString());

    CliRun listed = asAdmin("secrets", "list", "--tenant", TENANT, "--namespace", "sec");
    assertExit(0, listed);
    assertTrue(listed.out().contains("db-password"), listed.toString());
    assertFalse(listed.out().contains(value), listed.toString());

    CliRun rotated = CliRun.withStdin(env(), "rotated-" + value + "\n", "secrets", "rotate", "--tenant", TENANT,
        "--namespace", "sec", "db-password", "--data-dir", dataDir.toString());
    assertExit(0, rotated);
    assertFalse(rotated.out().contains(value), rotated.toString());

    String developer = key.mint("dev", TENANT, Set.of("developer"), Duration.ofMinutes(5));
    CliRun refused = CliRun.withStdin(envWithToken(developer), "x", "secrets", "rotate", "--tenant", TENANT,
        "--namespace", "sec", "db-password");
    assertExit(3, refused);

    CliRun empty = CliRun.withStdin(env(), "\n", "secrets", "create", "--tenant", TENANT, "--namespace", "sec",
        "other", "--data-dir", dataDir.toString());
    assertExit(2, empty);

    assertExit(0, asAdmin("secrets", "delete", "--tenant", TENANT, "--namespace", "sec", "db-password"));
    CliRun after = asAdmin("secrets", "list", "--tenant", TENANT, "--namespace", "sec");
    assertExit(0, after);
    assertFalse(after.out().contains("db-password"), after.toString());
  }

  @Test
  void invokingAFunctionThatThrowsPrintsTheErrorAndTheFunctionsStack() throws Exception {
    String fn = unique("thrower");
    Path dir = Files.createTempDirectory(work, "thrower");
    Files.writeString(dir.resolve("index.mjs"), """
        export function handler() {
          const order = { id: 7 };
          throw new Error('order ' + order.id + ' has no lines');
        }
        """);
    assertExit(0, asAdmin("deploy", "--tenant", TENANT, fn, dir.toString(), "--alias", "prod"));

    CliRun invoked = asAdmin("invoke", TENANT, "default", fn, "prod");

    assertExit(1, invoked);
    assertTrue(invoked.out().startsWith("HTTP 502\n"), invoked.toString());
    assertTrue(invoked.err().contains("ended error: CS_RUNTIME_EXCEPTION: "), invoked.toString());
    assertTrue(invoked.err().contains("order 7 has no lines"), invoked.toString());
    assertTrue(invoked.err().contains("index.mjs:3"), invoked.toString());
  }

  @Test
  void deployingWithABadManifestCreatesNoFunction() throws Exception {
    String fn = unique("badmanifest");
    Path manifest = Files.writeString(work.resolve(fn + ".json"), "{\"entry\":\"index.mjs\",\"limits\":{\"timeoutMs\":5}}");
    CliRun deployed = asAdmin("deploy", "--tenant", TENANT, fn, helloDir().toString(), "--manifest",
        manifest.toString());
    assertExit(2, deployed);
    assertTrue(deployed.err().contains("manifest.limits.timeoutMs"), deployed.toString());

    Path missingEntry = Files.writeString(work.resolve(fn + "-entry.json"), "{\"entry\":\"main.mjs\"}");
    assertExit(2, asAdmin("deploy", "--tenant", TENANT, fn, helloDir().toString(), "--manifest",
        missingEntry.toString()));

    assertExit(1, asAdmin("functions", "get", "--tenant", TENANT, fn));
  }

  @Test
  void aScheduleIsPutReadPausedResumedTriggeredAndDeletedFromTheCli() throws Exception {
    String fn = unique("tick");
    assertExit(0, asAdmin("functions", "create", "--tenant", TENANT, "--namespace", "sched", fn));
    Path manifest = Files.writeString(work.resolve(fn + ".json"), "{\"entry\":\"index.mjs\"}");
    assertExit(0, asAdmin("deploy", "--tenant", TENANT, "--namespace", "sched", fn, helloDir().toString(),
        "--alias", "prod", "--manifest", manifest.toString()));
    Path payload = Files.writeString(work.resolve(fn + "-payload.json"), "{\"report\":\"daily\"}");

    CliRun put = asAdmin("schedules", "put", "--tenant", TENANT, "--namespace", "sched", "every-second",
        "--function", fn, "--ref", "prod", "--every", "1s", "--overlap", "buffer_one", "--catchup", "1m",
        "--payload", "@" + payload);
    assertExit(0, put);
    JsonObject created = new JsonObject(put.out());
    assertEquals("1000ms", created.getString("every"), put.toString());
    assertEquals("buffer_one", created.getString("overlap"));
    assertEquals("daily", created.getJsonObject("payload").getString("report"));
    assertTrue(created.getLong("next_fire_at_ms") > 0, put.toString());

    // the embedded server runs the scheduler: the schedule's ticks show up in its history
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    JsonObject newest;
    do {
      CliRun ticks = asAdmin("schedules", "ticks", "--tenant", TENANT, "--namespace", "sched", "every-second",
          "--limit", "1");
      assertExit(0, ticks);
      newest = new JsonObject(ticks.out());
      assertTrue(System.nanoTime() < deadline, "no tick within 30 s: " + ticks);
      Thread.sleep(200);
    } while (newest.getJsonArray("ticks").isEmpty());
    assertEquals(1, newest.getJsonArray("ticks").size());

    CliRun paused = asAdmin("schedules", "pause", "--tenant", TENANT, "--namespace", "sched", "every-second");
    assertExit(0, paused);
    assertEquals(false, new JsonObject(paused.out()).getBoolean("enabled"));
    assertEquals(null, new JsonObject(paused.out()).getValue("next_fire_at_ms"));
    CliRun resumed = asAdmin("schedules", "resume", "--tenant", TENANT, "--namespace", "sched", "every-second");
    assertExit(0, resumed);
    assertEquals(true, new JsonObject(resumed.out()).getBoolean("enabled"));
    CliRun triggered = asAdmin("schedules", "trigger", "--tenant", TENANT, "--namespace", "sched", "every-second");
    assertExit(0, triggered);
    assertTrue(new JsonObject(triggered.out()).getLong("triggered_at_ms") > 0, triggered.toString());

    CliRun got = asAdmin("schedules", "get", "--tenant", TENANT, "--namespace", "sched", "every-second");
    assertExit(0, got);
    assertTrue(new JsonObject(got.out()).getJsonObject("counters").getLong("fired") >= 1, got.toString());
    CliRun listed = asAdmin("schedules", "list", "--tenant", TENANT, "--namespace", "sched");
    assertExit(0, listed);
    assertEquals("every-second",
        new JsonObject(listed.out()).getJsonArray("schedules").getJsonObject(0).getString("name"));

    CliRun tooOften = asAdmin("schedules", "put", "--tenant", TENANT, "--namespace", "sched", "fast",
        "--function", fn, "--ref", "prod", "--every", "500ms");
    assertExit(1, tooOften);
    assertTrue(tooOften.err().startsWith("CS_VALIDATION_FAILED: "), tooOften.toString());
    CliRun both = asAdmin("schedules", "put", "--tenant", TENANT, "--namespace", "sched", "both",
        "--function", fn, "--every", "1m", "--cron", "* * * * *");
    assertExit(2, both);
    CliRun notJson = asAdmin("schedules", "put", "--tenant", TENANT, "--namespace", "sched", "bad-payload",
        "--function", fn, "--every", "1m", "--payload", "[1]");
    assertExit(2, notJson);
    assertTrue(notJson.err().contains("--payload"), notJson.toString());

    assertExit(0, asAdmin("schedules", "delete", "--tenant", TENANT, "--namespace", "sched", "every-second"));
    CliRun gone = asAdmin("schedules", "get", "--tenant", TENANT, "--namespace", "sched", "every-second");
    assertExit(1, gone);
    assertTrue(gone.err().startsWith("CS_NOT_FOUND: "), gone.toString());
  }
}
