package io.codesous.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codesous.invoker.InvokerOptions;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting the platform and running its first activation never hold an event loop: building the GraalJS engine
 * (seconds on a cold JVM) and every first use of the sandbox belong on other threads. Vert.x's own blocked-thread
 * checker is the witness: what it would log as a warning is collected here instead.
 */
class EventLoopStaysFreeTest {

  /** Well above any event-loop task of the platform, well below a cold engine's construction. */
  private static final long MAX_EVENT_LOOP_MS = 1_000;

  @TempDir
  Path dataDir;

  @Test
  void startingThePlatformAndItsFirstActivationLeaveNoEventLoopBlocked() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions()
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS).setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100).setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS));
    // one line per place: the checker reports a stretch again at every look while it lasts
    Set<String> blocked = new ConcurrentSkipListSet<>();
    ((VertxInternal) vertx).blockedThreadChecker().setThreadBlockedHandler(event -> {
      if (event.thread().getName().contains("eventloop")) {
        // where it is stuck: the platform's innermost frame on the blocked thread
        String where = Arrays.stream(event.thread().getStackTrace())
            .filter(frame -> frame.getClassName().startsWith("io.codesous")).findFirst()
            .map(StackTraceElement::toString).orElse("outside the platform's code");
        blocked.add(event.thread().getName() + " blocked over " + MAX_EVENT_LOOP_MS + " ms in " + where);
      }
    });
    try (RunningPlatform running = RunningPlatform.startOn(vertx, new PlatformOptions().setPort(0)
        .setDataDir(dataDir.toString()).setInvoker(new InvokerOptions().setWorkerPoolSize(1)))) {
      Platform platform = running.platform();
      TestHttp http = new TestHttp(platform.host(), platform.port(), platform.security().adminToken().token());
      String ns = "/v1/tenants/loop/namespaces/default";
      assertEquals(201, http.postJson(ns + "/functions", new JsonObject().put("name", "first")).statusCode());
      HttpResponse<String> draft = http.postJson(ns + "/functions/first/drafts", new JsonObject().put("files",
          new JsonObject().put("index.mjs", "export const handler = () => ({ statusCode: 200, body: 'ran' });")));
      assertEquals(201, draft.statusCode(), draft.body());
      HttpResponse<String> published = http.postJson(ns + "/functions/first/versions",
          new JsonObject().put("draft_id", TestHttp.json(draft).getString("draft_id")));
      assertEquals(201, published.statusCode(), published.body());
      assertEquals("ran", http.get("/v1/web/loop/default/first/1").body());
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    assertEquals(Set.of(), blocked);
  }
}
