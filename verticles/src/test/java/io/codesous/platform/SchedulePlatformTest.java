package io.codesous.platform;

import io.codesous.scheduler.SchedulerOptions;
import io.codesous.store.ScheduleState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static io.codesous.platform.EmbeddedPlatformTest.NS;
import static io.codesous.platform.EmbeddedPlatformTest.POLL_BOUND_MS;
import static io.codesous.platform.EmbeddedPlatformTest.awaitActivation;
import static io.codesous.platform.EmbeddedPlatformTest.deploy;
import static io.codesous.platform.EmbeddedPlatformTest.pollUntil;
import static io.codesous.platform.EmbeddedPlatformTest.source;
import static io.codesous.platform.EmbeddedPlatformTest.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules on the embedded platform over real HTTP, running real functions in the sandbox, on a clock the test
 * moves: a tick fires when its time comes, once, and under {@code skip} a tick while the previous run is inflight
 * runs nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulePlatformTest {

  /** A whole minute, so every-second ticks fall on it. */
  static final long T0 = 1_800_000_000_000L;
  /** How long the test waits to see that nothing more happens: many scheduler polls. */
  static final long QUIET_MS = 500;

  @TempDir
  static Path dataDir;

  final AtomicLong clock = new AtomicLong(T0);
  Vertx vertx;
  Platform platform;
  TestHttp http;

  @BeforeAll
  void start() throws Exception {
    vertx = Vertx.vertx();
    PlatformOptions options = new PlatformOptions().setPort(0).setDataDir(dataDir.toString());
    platform = Platform.start(vertx, options, clock::get, new SchedulerOptions(20, 5_000, 30_000, 10_000))
        .await(60, TimeUnit.SECONDS);
    http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
  }

  @AfterAll
  void stop() throws Exception {
    platform.stop().await(30, TimeUnit.SECONDS);
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  JsonObject schedule(String name) {
    return TestHttp.json(http.get(NS + "/schedules/" + name));
  }

  JsonObject awaitSchedule(String name, Predicate<JsonObject> done) throws InterruptedException {
    HttpResponse<String> read = pollUntil(() -> http.get(NS + "/schedules/" + name),
        r -> r.statusCode() == 200 && done.test(TestHttp.json(r)), POLL_BOUND_MS);
    assertEquals(200, read.statusCode(), read.body());
    JsonObject body = TestHttp.json(read);
    assertTrue(done.test(body), body.encodePrettily());
    return body;
  }

  static long counter(JsonObject schedule, String name) {
    return schedule.getJsonObject("counters").getLong(name);
  }

  List<String> outcomes(String name) {
    JsonArray ticks = TestHttp.json(http.get(NS + "/schedules/" + name + "/ticks?limit=10")).getJsonArray("ticks");
    List<String> out = new ArrayList<>();
    for (int i = ticks.size() - 1; i >= 0; i--) {
      out.add(ticks.getJsonObject(i).getString("outcome"));
    }
    return out;
  }

  @Test
  void theOnlySchedulerOfTheEmbeddedPlatformReportsItselfLeaderWhenReady() throws InterruptedException {
    HttpResponse<String> ready = pollUntil(() -> http.get("/readyz"),
        r -> r.body().contains("\"scheduler\":\"leader\""), POLL_BOUND_MS);
    assertEquals(200, ready.statusCode(), ready.body());
    assertEquals("leader", TestHttp.json(ready).getJsonObject("checks").getString("scheduler"), ready.body());
  }

  @Test
  void aScheduleFiresARealFunctionWhenItsTickComesAndOnlyOncePerTick() throws InterruptedException {
    String fn = unique("ticker");
    deploy(http, fn, source("""
        export const handler = (event) => ({ statusCode: 200,
          body: event.type + ' ' + event.schedule.name + ' ' + event.schedule.scheduled_at_ms + ' ' + event.payload.n });
        """), null, "prod");
    String name = unique("every-second");
    long now = clock.addAndGet(10_000);
    HttpResponse<String> put = http.putJson(NS + "/schedules/" + name, new JsonObject().put("function", fn)
        .put("ref", "prod").put("every", "1s").put("payload", new JsonObject().put("n", 7)));
    assertEquals(200, put.statusCode(), put.body());
    assertEquals(now + 1_000, TestHttp.json(put).getLong("next_fire_at_ms"));

    Thread.sleep(QUIET_MS);
    assertEquals(0, counter(schedule(name), "fired"), "nothing fires before its time");

    long tick = clock.addAndGet(1_000);
    JsonObject fired = awaitSchedule(name, s -> counter(s, "fired") == 1);
    String id = fired.getString("last_activation_id");
    assertEquals(ScheduleState.activationId("acme", "default", name, tick), id);
    JsonObject activation = awaitActivation(http, id, "success");
    assertTrue(activation.encode().contains("schedule " + name + " " + tick + " 7"), activation.encodePrettily());

    Thread.sleep(QUIET_MS);
    JsonObject later = schedule(name);
    assertEquals(1, counter(later, "fired"), "one tick, one run: " + later.encodePrettily());
    assertEquals(List.of("fired"), outcomes(name));

    clock.addAndGet(1_000);
    JsonObject second = awaitSchedule(name, s -> counter(s, "fired") == 2);
    assertNotEquals(id, second.getString("last_activation_id"));
    assertEquals(200, http.delete(NS + "/schedules/" + name).statusCode());
  }

  @Test
  void underSkipATickWhileTheRunIsStillGoingIsRecordedAndRunsNothing() throws InterruptedException {
    String fn = unique("slow");
    deploy(http, fn, source("""
        export function handler() {
          const end = Date.now() + 1500;
          while (Date.now() < end) { }
          return { statusCode: 200, body: 'done' };
        }
        """), null, "prod");
    String name = unique("skipping");
    clock.addAndGet(10_000);
    HttpResponse<String> put = http.putJson(NS + "/schedules/" + name, new JsonObject().put("function", fn)
        .put("ref", "prod").put("every", "1s").put("overlap", "skip"));
    assertEquals(200, put.statusCode(), put.body());

    clock.addAndGet(1_000);
    JsonObject first = awaitSchedule(name, s -> counter(s, "fired") == 1);
    clock.addAndGet(1_000);
    awaitSchedule(name, s -> counter(s, "skipped_overlap") == 1);
    // the first run ends and its result clears the marker
    awaitSchedule(name, s -> s.getJsonArray("inflight").isEmpty());
    awaitActivation(http, first.getString("last_activation_id"), "success");
    clock.addAndGet(1_000);
    JsonObject third = awaitSchedule(name, s -> counter(s, "fired") == 2);
    awaitActivation(http, third.getString("last_activation_id"), "success");

    assertEquals(List.of("fired", "skipped_overlap", "fired"), outcomes(name));
    JsonArray runs = TestHttp.json(http.get(NS + "/functions/" + fn + "/activations?limit=10"))
        .getJsonArray("activations");
    assertEquals(2, runs.size(), runs.encodePrettily());
    assertEquals(200, http.delete(NS + "/schedules/" + name).statusCode());
  }

  void assertRefused(String name, JsonObject body, String path) {
    HttpResponse<String> r = http.putJson(NS + "/schedules/" + name, body);
    assertEquals(400, r.statusCode(), r.body());
    JsonObject error = TestHttp.json(r).getJsonObject("error");
    assertEquals("CS_VALIDATION_FAILED", error.getString("code"), r.body());
    assertEquals(path, error.getJsonObject("details").getString("path"), r.body());
  }

  @Test
  void badSchedulesAreRefusedNamingTheirFieldAndUnknownFunctionsAreNotFoundAndNothingIsStored()
      throws InterruptedException {
    String fn = unique("target");
    deploy(http, fn, source("export const handler = () => ({ statusCode: 200 });"), null, "prod");
    String name = unique("bad");
    JsonObject base = new JsonObject().put("function", fn).put("ref", "prod");
    assertRefused(name, base.copy().put("cron", "not a cron"), "cron");
    assertRefused(name, base.copy().put("every", "1s").put("cron", "* * * * *"), "cron");
    assertRefused(name, base.copy(), "every");
    assertRefused(name, base.copy().put("every", "999ms"), "every");
    assertRefused(name, base.copy().put("every", "5 minutes"), "every");
    assertRefused(name, base.copy().put("cron", "0 3 * * *").put("timezone", "Europe/Atlantis"), "timezone");
    assertRefused(name, base.copy().put("every", "1m").put("overlap", "queue"), "overlap");
    assertRefused(name, base.copy().put("every", "1m").put("catchup_window", "soon"), "catchup_window");
    assertRefused(name, base.copy().put("every", "1m").put("when", "now"), "when");

    HttpResponse<String> unknownFunction = http.putJson(NS + "/schedules/" + name,
        new JsonObject().put("function", unique("nothing")).put("every", "1m"));
    assertEquals(404, unknownFunction.statusCode(), unknownFunction.body());
    HttpResponse<String> unknownRef = http.putJson(NS + "/schedules/" + name,
        base.copy().put("ref", "staging").put("every", "1m"));
    assertEquals(404, unknownRef.statusCode(), unknownRef.body());
    assertEquals(404, http.get(NS + "/schedules/" + name).statusCode());
    assertTrue(TestHttp.json(http.get(NS + "/schedules")).getJsonArray("schedules").stream()
        .noneMatch(s -> ((JsonObject) s).getString("name").equals(name)));
  }

  @Test
  void aPausedScheduleFiresNothingAndResumingDoesNotCatchUpThePauseButATriggerFiresOnceNow()
      throws InterruptedException {
    String fn = unique("paused");
    deploy(http, fn, source("export const handler = () => ({ statusCode: 200 });"), null, "prod");
    String name = unique("pausable");
    clock.addAndGet(10_000);
    assertEquals(200, http.putJson(NS + "/schedules/" + name, new JsonObject().put("function", fn)
        .put("ref", "prod").put("every", "1s").put("catchup_window", "1h")).statusCode());
    HttpResponse<String> paused = http.postJson(NS + "/schedules/" + name + "/pause", new JsonObject());
    assertEquals(200, paused.statusCode(), paused.body());
    assertEquals(false, TestHttp.json(paused).getBoolean("enabled"));
    assertEquals(null, TestHttp.json(paused).getValue("next_fire_at_ms"));

    clock.addAndGet(5_000);
    Thread.sleep(QUIET_MS);
    assertEquals(0, counter(schedule(name), "fired"), "a paused schedule fires nothing");

    long resumedAt = clock.get();
    HttpResponse<String> resumed = http.postJson(NS + "/schedules/" + name + "/resume", new JsonObject());
    assertEquals(200, resumed.statusCode(), resumed.body());
    assertEquals(resumedAt + 1_000, TestHttp.json(resumed).getLong("next_fire_at_ms"));
    Thread.sleep(QUIET_MS);
    JsonObject afterResume = schedule(name);
    assertEquals(0, counter(afterResume, "fired") + counter(afterResume, "caught_up") + counter(afterResume, "missed"),
        "the ticks of the pause are neither run nor caught up: " + afterResume.encodePrettily());

    HttpResponse<String> triggered = http.postJson(NS + "/schedules/" + name + "/trigger", new JsonObject());
    assertEquals(202, triggered.statusCode(), triggered.body());
    JsonObject fired = awaitSchedule(name, s -> counter(s, "fired") == 1);
    awaitActivation(http, fired.getString("last_activation_id"), "success");
    Thread.sleep(QUIET_MS);
    assertEquals(1, counter(schedule(name), "fired"), "one trigger, one run");
    assertEquals(200, http.delete(NS + "/schedules/" + name).statusCode());
  }
}
