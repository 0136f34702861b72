package io.codesous.platform;

import io.codesous.invoker.InvokerOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static io.codesous.platform.EmbeddedPlatformTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a new user meets first in a function's life: drafts whose modules cannot load are refused at upload with the
 * place of the problem, a deleted function's name can be created again, and deploying the same files twice answers
 * the version that holds them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FunctionLifecycleTest {

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    running = RunningPlatform.start(new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setInvoker(new InvokerOptions().setWorkerPoolSize(1)));
    Platform platform = running.platform();
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  private String createFunction() {
    String name = unique("fn");
    HttpResponse<String> created = http.postJson(NS + "/functions", new JsonObject().put("name", name));
    assertEquals(201, created.statusCode(), created.body());
    return name;
  }

  private HttpResponse<String> upload(String function, JsonObject files) {
    return http.postJson(NS + "/functions/" + function + "/drafts", new JsonObject().put("files", files));
  }

  private static JsonObject error(HttpResponse<String> response, int status) {
    assertEquals(status, response.statusCode(), response.body());
    return TestHttp.json(response).getJsonObject("error");
  }

  @Test
  void aDraftWithASyntaxErrorIsRefusedNamingFileLineAndColumn() {
    String fn = createFunction();
    HttpResponse<String> refused = upload(fn, new JsonObject()
        .put("index.mjs", "import { greet } from './lib/greet.mjs';\nexport const handler = () => greet();\n")
        .put("lib/greet.mjs", "export const greet = () => {\n  return 'hi' +;\n};\n"));

    JsonObject error = error(refused, 400);
    assertEquals("CS_VALIDATION_FAILED", error.getString("code"));
    assertTrue(error.getString("message").startsWith("files[\"lib/greet.mjs\"]: line 2, column "), error.encode());
    assertTrue(error.getString("message").contains("SyntaxError"), error.encode());
    assertEquals(2, error.getJsonObject("details").getInteger("line"));
    assertEquals("lib/greet.mjs", error.getJsonObject("details").getString("file"));
    assertTrue(error.getJsonObject("details").getInteger("column") > 0, error.encode());
  }

  @Test
  void aDraftImportingAFileItLacksIsRefusedAndNothingCanBePublished() {
    String fn = createFunction();
    HttpResponse<String> refused = upload(fn, new JsonObject()
        .put("index.mjs", "import { greet } from './lib/gone.mjs';\nexport const handler = () => greet();\n"));

    JsonObject error = error(refused, 400);
    assertEquals("CS_VALIDATION_FAILED", error.getString("code"));
    assertTrue(error.getString("message").startsWith("files[\"index.mjs\"]: line 1, column 23: "), error.encode());
    assertTrue(error.getString("message").contains("gone.mjs"), error.encode());
    JsonObject fnRecord = TestHttp.json(http.get(NS + "/functions/" + fn));
    assertEquals(null, fnRecord.getValue("latest_version"), "nothing was published");
  }

  @Test
  void aDraftImportingANodeModuleTheRuntimeLacksIsRefusedNamingItAndTheOnesThereAre() {
    String fn = createFunction();
    HttpResponse<String> refused = upload(fn, new JsonObject().put("index.mjs",
        "import { Buffer } from 'node:buffer';\nimport { readFileSync } from 'node:fs';\n"
            + "export const handler = () => readFileSync('/etc/passwd');\n"));

    JsonObject error = error(refused, 400);
    assertEquals("CS_VALIDATION_FAILED", error.getString("code"));
    assertTrue(error.getString("message").startsWith("files[\"index.mjs\"]: line 2"), error.encode());
    assertTrue(error.getString("message").contains("code-sous has no module node:fs; it has node:assert, "
        + "node:assert/strict, node:async_hooks, node:buffer, "), error.encode());
  }

  @Test
  void everyJsonAnswerEndsWithANewlineSoTerminalOutputDoesNotRunTogether() {
    assertTrue(http.get("/healthz").body().endsWith("}\n"));
    assertTrue(http.get(NS + "/functions").body().endsWith("}\n"));
    assertTrue(http.get(NS + "/functions/no-such-function").body().endsWith("}\n"));
  }

  private long publish(String function, JsonObject files, String alias) {
    return publishAnswer(function, files, alias).getLong("version");
  }

  private JsonObject publishAnswer(String function, JsonObject files, String alias) {
    HttpResponse<String> draft = upload(function, files);
    assertEquals(201, draft.statusCode(), draft.body());
    JsonObject publish = new JsonObject().put("draft_id", TestHttp.json(draft).getString("draft_id"));
    if (alias != null) {
      publish.put("alias", alias);
    }
    HttpResponse<String> published = http.postJson(NS + "/functions/" + function + "/versions", publish);
    assertEquals(201, published.statusCode(), published.body());
    return TestHttp.json(published);
  }

  private static JsonObject says(String body) {
    return new JsonObject().put("index.mjs",
        "export const handler = () => ({ statusCode: 200, body: '" + body + "' });\n");
  }

  private String invoke(String function, String ref) {
    HttpResponse<String> answer = http.get("/v1/web/acme/default/" + function + "/" + ref);
    return answer.statusCode() + " " + answer.body();
  }

  @Test
  void aDeletedFunctionCanBeCreatedAgainWithoutItsOldVersionsOrAliases() {
    String fn = createFunction();
    assertEquals(1L, publish(fn, says("old"), "prod"));
    assertEquals(200, http.delete(NS + "/functions/" + fn).statusCode());

    HttpResponse<String> again = http.postJson(NS + "/functions", new JsonObject().put("name", fn));
    assertEquals(201, again.statusCode(), again.body());
    assertEquals(2L, TestHttp.json(again).getLong("first_version"));

    // nothing of the deleted function answers for the new one
    assertTrue(invoke(fn, "prod").startsWith("404 "), invoke(fn, "prod"));
    assertTrue(invoke(fn, "1").startsWith("404 "), invoke(fn, "1"));
    assertTrue(invoke(fn, "latest").startsWith("404 "), invoke(fn, "latest"));
    JsonObject record = TestHttp.json(http.get(NS + "/functions/" + fn));
    assertEquals(null, record.getValue("latest_version"), record.encode());
    assertEquals(new JsonObject(), record.getJsonObject("aliases"), record.encode());
    assertEquals(404, http.putJson(NS + "/functions/" + fn + "/aliases/prod",
        new JsonObject().put("version", 1)).statusCode());

    assertEquals(2L, publish(fn, says("new"), "prod"));
    assertEquals("200 new", invoke(fn, "prod"));
    assertEquals(1, TestHttp.json(http.get(NS + "/functions/" + fn + "/versions")).getJsonArray("versions").size());
    // the deleted function's versions stay readable on request
    assertEquals(2, TestHttp.json(http.get(NS + "/functions/" + fn + "/versions?include_deleted=true"))
        .getJsonArray("versions").size());
    assertEquals(404, http.get(NS + "/functions/" + fn + "/versions/1").statusCode());
    assertEquals(200, http.get(NS + "/functions/" + fn + "/versions/1?include_deleted=true").statusCode());
    // a live name is still taken
    assertEquals(409, http.postJson(NS + "/functions", new JsonObject().put("name", fn)).statusCode());
  }

  @Test
  void deployingTheSameFilesAndManifestAgainAnswersTheExistingVersion() {
    String fn = createFunction();
    JsonObject first = publishAnswer(fn, says("same"), null);
    assertEquals(1L, first.getLong("version"));
    assertEquals(null, first.getValue("unchanged"));

    JsonObject again = publishAnswer(fn, says("same"), "prod");
    assertEquals(1L, again.getLong("version"), again.encode());
    assertEquals(true, again.getBoolean("unchanged"), again.encode());
    assertEquals(first.getString("sha256"), again.getString("sha256"));
    assertEquals("200 same", invoke(fn, "prod"), "the alias points at the existing version");

    assertEquals(2L, publish(fn, says("changed"), null));
    // the same files as an older version are a change from the latest
    assertEquals(3L, publish(fn, says("same"), null));
  }

  private long publishWithManifest(String function, JsonObject files, JsonObject manifest, String alias) {
    HttpResponse<String> draft = http.postJson(NS + "/functions/" + function + "/drafts",
        new JsonObject().put("files", files).put("manifest", manifest));
    assertEquals(201, draft.statusCode(), draft.body());
    HttpResponse<String> published = http.postJson(NS + "/functions/" + function + "/versions",
        new JsonObject().put("draft_id", TestHttp.json(draft).getString("draft_id")).put("alias", alias));
    assertEquals(201, published.statusCode(), published.body());
    return TestHttp.json(published).getLong("version");
  }

  @Test
  void aPublicVersionAnswersWithoutATokenAndEverythingElseStaysAuthenticated() {
    TestHttp anonymous = http.as(null);
    String open = createFunction();
    publishWithManifest(open, says("hook"), new JsonObject().put("public", true), "prod");
    String roles = createFunction();
    publishWithManifest(roles, says("page"), new JsonObject().put("invoke_http_roles", new io.vertx.core.json.JsonArray()
        .add("*")), "prod");
    String closed = createFunction();
    publishWithManifest(closed, says("secret"), new JsonObject(), "prod");

    assertEquals("200 hook", status(anonymous.get("/v1/web/acme/default/" + open + "/prod/any/path")));
    assertEquals("200 page", status(anonymous.get("/v1/web/acme/default/" + roles + "/prod")));

    // not public, or not there at all: the same refusal as a bad token, so nothing is learnt
    HttpResponse<String> refused = anonymous.get("/v1/web/acme/default/" + closed + "/prod");
    assertEquals(401, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("\"invalid token\""), refused.body());
    HttpResponse<String> unknown = anonymous.get("/v1/web/acme/default/no-such-" + closed + "/prod");
    assertEquals(refused.statusCode(), unknown.statusCode(), unknown.body());
    assertEquals(TestHttp.json(refused).getJsonObject("error").getString("message"),
        TestHttp.json(unknown).getJsonObject("error").getString("message"));
    // a bad token is still refused, public version or not; the control API never opens
    assertEquals(401, http.as("not-a-token").get("/v1/web/acme/default/" + open + "/prod").statusCode());
    assertEquals(401, anonymous.get(NS + "/functions/" + open).statusCode());
  }

  private static String status(HttpResponse<String> response) {
    return response.statusCode() + " " + response.body();
  }
}
