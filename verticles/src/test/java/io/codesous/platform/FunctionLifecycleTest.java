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
 * place of the problem, and nothing of them is stored.
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
  void everyJsonAnswerEndsWithANewlineSoTerminalOutputDoesNotRunTogether() {
    assertTrue(http.get("/healthz").body().endsWith("}\n"));
    assertTrue(http.get(NS + "/functions").body().endsWith("}\n"));
    assertTrue(http.get(NS + "/functions/no-such-function").body().endsWith("}\n"));
  }
}
