package io.codesous.cluster;

import io.codesous.auth.secret.SecretBox;
import io.codesous.auth.token.LocalSigningKey;
import io.codesous.auth.token.LocalSigningKeyOptions;
import io.codesous.cli.Cs;
import io.codesous.kv.redis.RedisKeyCleanup;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CLI against the Redis + Kafka shape in two processes (control and gateway in one, the invoker in the other),
 * started by the test: the lifecycle from drafts to a canary and its rollback, activations and logs, and local runs
 * that print what the deployment answers for the same directories.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterCliIT {

  static final String REDIS = "redis://127.0.0.1:6379";
  static final String TENANT = "cli-" + UUID.randomUUID().toString().substring(0, 8);

  /** Kept when a test fails: the processes' logs and configurations are in it. */
  @TempDir(cleanup = CleanupMode.ON_SUCCESS)
  static Path dir;

  KafkaForTests kafka;
  CsProcess control;
  CsProcess invoker;
  LocalSigningKey operatorKey;
  Map<String, String> env;

  @BeforeAll
  void startDeployment() throws Exception {
    operatorKey = LocalSigningKey.loadOrCreate(new LocalSigningKeyOptions().setDataDir(dir.resolve("operator").toString()));
    String token = operatorKey.mint("cli-test", TENANT, Set.of("admin"), Duration.ofHours(1));
    kafka = KafkaForTests.start();
    int[] hz = {CsProcess.freePort(), CsProcess.freePort()};
    String members = "[" + java.util.Arrays.stream(hz).mapToObj(p -> "\"127.0.0.1:" + p + "\"")
        .collect(Collectors.joining(", ")) + "]";
    String secretsKey = SecretBox.generateBase64Key();
    control = start("control", hz[0], members, "control,gateway", secretsKey);
    invoker = start("invoker", hz[1], members, "invoker", secretsKey);
    HttpClient http = HttpClient.newHttpClient();
    control.awaitReady(http, Duration.ofSeconds(120));
    invoker.awaitReady(http, Duration.ofSeconds(120));
    env = Map.of("CS_URL", control.base(), "CS_TOKEN", token, "NO_COLOR", "1");
  }

  private CsProcess start(String name, int hazelcastPort, String members, String components, String secretsKey)
      throws Exception {
    String yaml = """
        kv:
          backend: redis
          redis:
            connectionString: %s
            commandTimeoutMs: 10000
        codeq:
          backend: kafka
          kafka:
        %s
        cluster:
          enabled: true
          port: %d
          members: %s
        gateway:
          waitMs: 25000
        invoker:
          workerPoolSize: 2
        auth:
          localKey: false
          token:
            jwks: %s
        secrets:
          key: %s
        """.formatted(REDIS, kafka.clientSettingsYaml("    "), hazelcastPort, members,
        operatorKey.publicJwkSet().encode(), secretsKey);
    return CsProcess.start(name, dir, yaml, CsProcess.freePort(), components);
  }

  @AfterAll
  void stopDeployment() throws Exception {
    for (CsProcess p : new CsProcess[] {control, invoker}) {
      if (p != null) {
        p.close();
      }
    }
    if (kafka != null) {
      kafka.close();
    }
    RedisKeyCleanup.deleteTenant(REDIS, TENANT);
  }

  record Run(int exit, String out, String err) {
    JsonObject json() {
      assertEquals(0, exit, toString());
      return new JsonObject(out);
    }
  }

  Run cs(Map<String, String> environment, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Cs(environment, new ByteArrayInputStream(new byte[0])));
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  Run cs(String... args) {
    return cs(env, args);
  }

  Path dir(String code) throws Exception {
    Path d = Files.createTempDirectory(dir, "fn");
    Files.writeString(d.resolve("index.mjs"), code);
    return d;
  }

  static final String CODE = """
      export async function handler(event, ctx) {
        console.log('v' + ctx.function.version + ' ' + event.proxyPath);
        if (event.proxyPath === '/fail') throw new Error('asked to fail');
        return { statusCode: 200, body: String(ctx.function.version) };
      }
      """;

  @Test
  void theLifecycleRunsFromTheCliOnRedisAndKafka() throws Exception {
    String fn = "life";
    assertEquals(0, cs("functions", "create", "--tenant", TENANT, fn).exit());
    String d1 = cs("drafts", "upload", "--tenant", TENANT, fn, dir(CODE).toString()).json().getString("draft_id");
    assertEquals(1L, cs("versions", "publish", "--tenant", TENANT, fn, d1, "--alias", "prod").json()
        .getLong("version"));
    String d2 = cs("drafts", "upload", "--tenant", TENANT, fn, dir(CODE + "// 2\n").toString()).json()
        .getString("draft_id");
    assertEquals(2L, cs("versions", "publish", "--tenant", TENANT, fn, d2).json().getLong("version"));
    assertEquals(2, cs("versions", "list", "--tenant", TENANT, fn).json().getJsonArray("versions").size());

    JsonObject v1 = cs("invoke", TENANT, "default", fn, "prod", "/one", "--normalized").json();
    assertEquals("1", v1.getString("body"));
    assertEquals(new JsonArray().add(new JsonObject().put("level", "info").put("message", "v1 /one")),
        v1.getJsonArray("logs"));

    cs("aliases", "set", "--tenant", TENANT, fn, "prod", "--version", "1", "--if-version", "1", "--weight", "2=100")
        .json();
    // gateways cache a resolved ref for a second: the canary shows once it has passed
    String body = "";
    for (int i = 0; i < 50 && !body.equals("2"); i++) {
      body = cs("invoke", TENANT, "default", fn, "prod", "/canary", "--normalized").json().getString("body");
      Thread.sleep(100);
    }
    assertEquals("2", body, "the weight sends the alias's invocations to version 2");
    cs("aliases", "set", "--tenant", TENANT, fn, "prod", "--version", "1").json();
    assertEquals(new JsonArray().add(new JsonObject().put("version", 1).put("alias", "prod")),
        cs("aliases", "list", "--tenant", TENANT, fn).json().getJsonArray("aliases"));

    Run failed = cs("invoke", TENANT, "default", fn, "1", "/fail");
    assertEquals(1, failed.exit(), failed.toString());
    String failedId = failed.out().lines().skip(1).findFirst().orElseThrow().replace("x-cs-activation-id: ", "");
    JsonArray errors = cs("activations", "list", "--tenant", TENANT, "--function", fn, "--status", "error").json()
        .getJsonArray("activations");
    assertEquals(List.of(failedId), errors.stream().map(a -> ((JsonObject) a).getString("activation_id")).toList());
    Run followed = cs("logs", "--tenant", TENANT, failedId, "--follow");
    assertEquals(0, followed.exit(), followed.toString());
    assertEquals("v1 /fail", new JsonObject(followed.out().strip()).getString("message"));
  }

  @Test
  void aLocalRunPrintsWhatTheDeploymentAnswersForTheSameDirectory() throws Exception {
    Map<String, String> kinds = Map.of(
        "ok", CODE,
        "throws", "export const handler = () => { console.error('about to throw'); throw new Error('boom'); };",
        "bad", "export const handler = () => ({ statusCode: 'nope' });");
    for (Map.Entry<String, String> kind : kinds.entrySet()) {
      Path code = dir(kind.getValue());
      String fn = "same-" + kind.getKey();
      assertEquals(0, cs("deploy", "--tenant", TENANT, fn, code.toString(), "--alias", "prod").exit());
      Run remote = cs("invoke", TENANT, "default", fn, "prod", "/x?y=1", "--normalized");
      Run local = cs(Map.of(), "run", code.toString(), "--path", "/x?y=1");
      assertEquals(remote.exit(), local.exit(), local.toString());
      JsonObject r = new JsonObject(remote.out());
      JsonObject l = new JsonObject(local.out());
      for (String field : new String[] {"status", "headers", "body", "activation", "logs"}) {
        assertEquals(r.getValue(field), l.getValue(field), kind.getKey() + ": " + field + " differs:\nremote "
            + r.encodePrettily() + "\nlocal " + l.encodePrettily());
      }
      assertTrue(r.getLong("duration_ms") >= 0 && l.getLong("duration_ms") >= 0);
    }
  }
}
