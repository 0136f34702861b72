package io.codesous.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading an activation's logs through the embedded platform: pages of a long log, a followed stream, filters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ActivationLogsTest {

  @TempDir
  static Path dataDir;

  RunningPlatform running;
  Platform platform;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dataDir.toString());
    // the live-log test's release runs while the activation it releases still holds a sandbox thread: a tenant
    // gets all threads but one, so two of them need a pool of three
    options.getInvoker().setWorkerPoolSize(3);
    running = RunningPlatform.start(options);
    platform = running.platform();
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    running.close();
  }

  private String deploy(String code) {
    String name = EmbeddedPlatformTest.unique("logs");
    EmbeddedPlatformTest.deploy(http, name, EmbeddedPlatformTest.source(code), null, "prod");
    return name;
  }

  @Test
  void aLongLogIsReadInPagesThatFollowEachOtherByCursor() {
    String name = deploy("export const handler = () => { for (let i = 0; i < 450; i++) console.log('line ' + i); "
        + "return { statusCode: 200, body: 'ok' }; };");
    String id = EmbeddedPlatformTest.activationId(http.get(EmbeddedPlatformTest.web(name, "prod")));

    List<String> messages = new ArrayList<>();
    List<String> cursors = new ArrayList<>();
    String cursor = null;
    do {
      HttpResponse<String> r = http.get(NS + "/activations/" + id + "/logs?limit=200"
          + (cursor == null ? "" : "&cursor=" + cursor));
      assertEquals(200, r.statusCode(), r.body());
      JsonObject page = TestHttp.json(r);
      page.getJsonArray("logs").forEach(e -> messages.add(((JsonObject) e).getString("message")));
      cursor = page.getString("next_cursor");
      cursors.add(cursor);
    } while (cursor != null);

    assertEquals(Listed.lines(450), messages);
    assertEquals(3, cursors.size(), "pages of 200, 200 and 50: " + cursors);
    assertEquals(450, TestHttp.json(http.get(NS + "/activations/" + id + "/logs?limit=1000"))
        .getJsonArray("logs").size(), "one page of the limit holds them all");
  }

  @Test
  void aCursorTheApiDidNotGiveOutIsRefusedNamingIt() {
    String name = deploy("export const handler = () => ({ statusCode: 200, body: 'ok' });");
    String id = EmbeddedPlatformTest.activationId(http.get(EmbeddedPlatformTest.web(name, "prod")));
    HttpResponse<String> r = http.get(NS + "/activations/" + id + "/logs?cursor=abc");
    assertEquals(400, r.statusCode(), r.body());
    assertEquals("cursor", TestHttp.json(r).getJsonObject("error").getJsonObject("details").getString("path"));
  }

  @Test
  void aFollowedLogStreamsItsLinesAndEndsWhenTheActivationEnds() throws Exception {
    String name = deploy("""
        export async function handler() {
          console.log('before');
          await new Promise((resolve) => setTimeout(resolve, 1500));
          console.warn('after');
          return { statusCode: 200, body: 'slept' };
        }""");
    HttpResponse<String> accepted = http.send("POST", EmbeddedPlatformTest.web(name, "prod"), null, null,
        Map.of("x-cs-async", "true"));
    assertEquals(202, accepted.statusCode(), accepted.body());
    String id = EmbeddedPlatformTest.activationId(accepted);

    HttpResponse<java.util.stream.Stream<String>> stream = follow(id);
    assertEquals("application/x-ndjson", stream.headers().firstValue("content-type").orElse(""));
    List<JsonObject> lines = stream.body().map(JsonObject::new).toList();

    assertEquals(3, lines.size(), lines.toString());
    assertEquals("before", lines.get(0).getString("message"));
    assertEquals("warn", lines.get(1).getString("level"));
    assertEquals("after", lines.get(1).getString("message"));
    assertEquals(new JsonObject().put("activation_id", id).put("status", "success").put("truncated", false)
        .put("done", true), lines.get(2));
  }

  @Test
  void aFollowerSeesALineWhileTheActivationThatLoggedItStillRuns() throws Exception {
    // the function cannot end before the test releases it, and the test releases it only once the follower
    // has read the first line: that line can only have come while the activation ran
    String name = EmbeddedPlatformTest.unique("live");
    String gate = name + "/go";
    assertEquals(201, http.postJson(NS + "/secrets", new JsonObject().put("name", "live-token")
        .put("value", "s3cr3t-live-value")).statusCode());
    EmbeddedPlatformTest.deploy(http, name, EmbeddedPlatformTest.source("""
        export async function handler(event, ctx) {
          if (event.proxyPath === '/release') {
            await cs.kv.set('GATE', 'open');
            return { statusCode: 200, body: 'released' };
          }
          console.log('first token=' + ctx.secrets['live-token']);
          while ((await cs.kv.get('GATE')) !== 'open') {
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          console.log('second');
          return { statusCode: 200, body: 'done' };
        }""".replace("GATE", gate)), new JsonObject()
        .put("secrets", new JsonArray().add("live-token"))
        .put("capabilities", new JsonObject().put("kv", new JsonObject()
            .put("read", new JsonArray().add(name + "/")).put("write", new JsonArray().add(name + "/")))), "prod");
    String id = EmbeddedPlatformTest.activationId(http.send("POST", EmbeddedPlatformTest.web(name, "prod"), null,
        null, Map.of("x-cs-async", "true")));

    java.util.Iterator<String> lines = follow(id).body().iterator();
    JsonObject first = new JsonObject(lines.next());
    assertEquals("first token=[redacted]", first.getString("message"), "redacted like the stored logs");
    assertEquals(0, first.getInteger("seq"));
    assertEquals("running", TestHttp.json(http.get(NS + "/activations/" + id)).getString("status"));

    assertEquals(200, http.get(EmbeddedPlatformTest.web(name, "prod") + "/release").statusCode());
    assertEquals(new JsonObject().put("seq", 1).put("message", "second"),
        pick(new JsonObject(lines.next()), "seq", "message"));
    assertEquals("success", new JsonObject(lines.next()).getString("status"));
    assertFalse(lines.hasNext());
  }

  @Test
  void followingAnUnknownActivationIsTheUsualNotFound() {
    HttpResponse<String> r = http.get(NS + "/activations/aaaaaaaa-0000-0000-0000-000000000000/logs?follow=true");
    assertEquals(404, r.statusCode(), r.body());
    assertEquals("CS_NOT_FOUND", TestHttp.json(r).getJsonObject("error").getString("code"));
  }

  @Test
  void theActivationListKeepsOnlyTheStatusAskedFor() {
    String name = deploy("export const handler = (e) => { if (e.proxyPath === '/fail') throw new Error('no'); "
        + "return { statusCode: 200, body: 'ok' }; };");
    String web = EmbeddedPlatformTest.web(name, "prod");
    String ok = EmbeddedPlatformTest.activationId(http.get(web));
    String failed = EmbeddedPlatformTest.activationId(http.get(web + "/fail"));

    JsonArray errors = TestHttp.json(http.get(NS + "/functions/" + name + "/activations?status=error"))
        .getJsonArray("activations");
    assertEquals(1, errors.size(), errors.encode());
    assertEquals(failed, errors.getJsonObject(0).getString("activation_id"));
    JsonArray all = TestHttp.json(http.get(NS + "/functions/" + name + "/activations")).getJsonArray("activations");
    assertEquals(2, all.size());
    assertTrue(all.stream().anyMatch(a -> ((JsonObject) a).getString("activation_id").equals(ok)));
    HttpResponse<String> bad = http.get(NS + "/functions/" + name + "/activations?status=done");
    assertEquals(400, bad.statusCode());
    assertFalse(bad.body().contains("Exception"));
  }

  /** {@code GET .../logs?follow=true}: the answer, whose lines are read as they come. */
  private HttpResponse<java.util.stream.Stream<String>> follow(String id) throws Exception {
    HttpResponse<java.util.stream.Stream<String>> stream = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + platform.host() + ":" + platform.port() + NS + "/activations/"
                + id + "/logs?follow=true"))
            .header("authorization", "Bearer " + platform.security().adminToken().token())
            .timeout(Duration.ofMinutes(1)).build(),
        HttpResponse.BodyHandlers.ofLines());
    assertEquals(200, stream.statusCode());
    return stream;
  }

  private static JsonObject pick(JsonObject json, String... names) {
    JsonObject picked = new JsonObject();
    for (String name : names) {
      picked.put(name, json.getValue(name));
    }
    return picked;
  }

  /** The messages a function logging {@code line 0 .. line n-1} leaves. */
  private static final class Listed {
    static List<String> lines(int n) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add("line " + i);
      }
      return out;
    }
  }
}
