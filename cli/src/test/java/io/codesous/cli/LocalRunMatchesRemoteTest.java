package io.codesous.cli;

import io.codesous.platform.ConfigLoader;
import io.codesous.platform.Platform;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.RunningPlatform;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.codesous.cli.CliClientIT.assertExit;
import static io.codesous.cli.CliClientIT.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code cs run} prints for a function equals, field by field, what {@code cs invoke --normalized} prints for
 * the same function deployed on a running platform: success, a throw, a timeout, an invalid result, logs at every
 * level, and KV calls. Only the duration may differ (both are present).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalRunMatchesRemoteTest {

  @TempDir
  static Path dataDir;

  @TempDir
  static Path work;

  RunningPlatform remote;
  String base;
  LocalPlatform local;

  @BeforeAll
  void start() throws Exception {
    remote = RunningPlatform.start(ConfigLoader.load(null, Map.of()).setPort(0).setDataDir(dataDir.toString()));
    Platform platform = remote.platform();
    base = "http://" + platform.host() + ":" + platform.port();
    local = LocalPlatform.start();
  }

  @AfterAll
  void stop() throws Exception {
    try {
      local.close();
    } finally {
      remote.close();
    }
  }

  static final Map<String, String> CODE = Map.of(
      "success", """
          export const handler = (e) => ({ statusCode: 201, headers: { 'content-type': 'application/json', 'x-kind': 'ok' },
            body: JSON.stringify({ path: e.proxyPath, q: e.queryStringParameters, m: e.httpMethod, b: e.body }) });""",
      "throw", "export const handler = () => { console.error('about to throw'); throw new Error('boom'); };",
      "timeout", "export const handler = () => { console.log('spinning'); for (;;) {} };",
      "badresult", "export const handler = () => ({ statusCode: 'nope', body: 7 });",
      "logs", """
          export const handler = () => { console.log('one', 1); console.info('two'); console.warn('three');
            console.error('four'); console.debug({ five: 5 }); cs.log('warn', 'six'); return { statusCode: 204 }; };""",
      "kv", """
          export async function handler() {
            await cs.kv.set('runs/x', 'v1');
            const got = await cs.kv.get('runs/x');
            const removed = await cs.kv.del('runs/x');
            const denied = await cs.kv.get('other/y').catch((e) => e.code);
            return { statusCode: 200, body: JSON.stringify({ got, removed, after: await cs.kv.get('runs/x'), denied }) };
          }""");

  static final Map<String, String> MANIFESTS = Map.of(
      "timeout", "{\"limits\":{\"timeoutMs\":300}}",
      "kv", "{\"capabilities\":{\"kv\":{\"read\":[\"runs/\"],\"write\":[\"runs/\"]}}}");

  private Path dir(String kind) throws Exception {
    Path dir = Files.createTempDirectory(work, kind);
    Files.writeString(dir.resolve("index.mjs"), CODE.get(kind));
    return dir;
  }

  private Path manifest(String kind) throws Exception {
    String json = MANIFESTS.get(kind);
    return json == null ? null : Files.writeString(Files.createTempFile(work, kind, ".json"), json);
  }

  private JsonObject remote(String kind, String method, String path, String data) throws Exception {
    String fn = unique(kind);
    Map<String, String> env = Map.of(ClientOptions.ENV_URL, base);
    Path manifest = manifest(kind);
    String[] deploy = manifest == null
        ? new String[] {"deploy", "--tenant", "acme", fn, dir(kind).toString(), "--alias", "prod"}
        : new String[] {"deploy", "--tenant", "acme", fn, dir(kind).toString(), "--alias", "prod",
            "--manifest", manifest.toString()};
    assertExit(0, CliRun.run(env, CliClientIT.with(deploy, "--data-dir", dataDir.toString())));
    String[] invoke = data == null
        ? new String[] {"invoke", "acme", "default", fn, "prod", path, "--method", method, "--normalized"}
        : new String[] {"invoke", "acme", "default", fn, "prod", path, "--method", method, "--data", data,
            "--normalized"};
    CliRun run = CliRun.run(env, CliClientIT.with(invoke, "--data-dir", dataDir.toString()));
    return new JsonObject(run.out());
  }

  private JsonObject local(String kind, String method, String path, String data) throws Exception {
    Path manifest = manifest(kind);
    byte[] body = data == null ? null : data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return LocalRun.run(local, unique(kind), BundleFiles.read(dir(kind)),
        manifest == null ? null : ManifestFile.read(manifest), new RunCommand.LocalRequest(method, path, body, Map.of()),
        true);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "success, POST, /a/b?x=1&x=2, '{\"n\":1}', 201, success",
      "throw, GET, /, , 502, error",
      "timeout, GET, /, , 504, timeout",
      "badresult, GET, /, , 502, error",
      "logs, GET, /, , 204, success",
      "kv, GET, /, , 200, success"})
  void aLocalRunPrintsWhatTheDeployedFunctionAnswers(String kind, String method, String path, String data,
                                                      int status, String activationStatus) throws Exception {
    JsonObject remote = remote(kind, method, path, data);
    JsonObject local = local(kind, method, path, data);

    assertEquals(status, remote.getInteger("status"), remote.encodePrettily());
    assertEquals(activationStatus, remote.getJsonObject("activation").getString("status"));
    for (String field : new String[] {"status", "headers", "body", "activation", "logs"}) {
      assertEquals(remote.getValue(field), local.getValue(field), field + " differs:\nremote " + remote.encodePrettily()
          + "\nlocal " + local.encodePrettily());
    }
    assertTrue(remote.getLong("duration_ms") >= 0 && local.getLong("duration_ms") >= 0);
  }

  @Test
  void csRunPrintsTheNormalizedResultOfADirectory() throws Exception {
    CliRun run = CliRun.run(Map.of(), "run", dir("success").toString(), "--method", "PUT", "--path", "/z?x=3",
        "--header", "x-extra: 1", "--data", "plain");
    assertExit(0, run);
    JsonObject result = new JsonObject(run.out());
    assertEquals(201, result.getInteger("status"));
    assertEquals(new JsonObject().put("path", "/z").put("q", new JsonObject().put("x", "3")).put("m", "PUT")
        .put("b", "plain"), new JsonObject(result.getString("body")));
    assertEquals("success", result.getJsonObject("activation").getString("status"));
  }
}
