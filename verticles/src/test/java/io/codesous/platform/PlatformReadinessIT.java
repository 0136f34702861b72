package io.codesous.platform;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /readyz} over the Redis KV: the platform starts while Redis answers, then the path to
 * Redis is cut. The cut is a loopback forwarder to the shared server on 127.0.0.1:6379 that the
 * test closes, so nothing is done to the server itself and the store's next connect is refused at
 * once.
 */
class PlatformReadinessIT {

  static final String REDIS_HOST = "127.0.0.1";
  static final int REDIS_PORT = 6379;

  @TempDir
  Path dataDir;

  Vertx vertx;
  NetServer forwarder;
  final Set<NetSocket> forwarded = ConcurrentHashMap.newKeySet();
  RunningPlatform running;
  Platform platform;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    forwarder = vertx.createNetServer().connectHandler(this::forward)
        .listen(0, REDIS_HOST).await(10, TimeUnit.SECONDS);
    PlatformOptions options = new PlatformOptions()
        .setPort(0)
        .setDataDir(dataDir.toString())
        // the lightest process: no invoker, so no sandbox to warm up
        .setComponents(Set.of(Components.CONTROL))
        .setKvBackend(BackendNames.KV_REDIS)
        .setRedis(new JsonObject()
            .put("connectionString", "redis://" + REDIS_HOST + ":" + forwarder.actualPort())
            // short, so a check of an unreachable KV answers well within the test's patience, yet long enough
            // for the start's first PING through the forwarder on a machine busy with a parallel build (500 ms
            // was not)
            .put("commandTimeoutMs", 2_000)
            .put("reconnectBackoffInitialMs", 50)
            .put("reconnectBackoffMaxMs", 200));
    running = RunningPlatform.startOn(vertx, options);
    platform = running.platform();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      if (running != null) {
        running.close();
      }
    } finally {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
  }

  /** Pipes one client connection to the real server, both ways. */
  private void forward(NetSocket client) {
    client.pause();
    forwarded.add(client);
    vertx.createNetClient().connect(REDIS_PORT, REDIS_HOST).onComplete(connected -> {
      if (connected.failed()) {
        client.close();
        return;
      }
      NetSocket server = connected.result();
      forwarded.add(server);
      client.closeHandler(v -> server.close());
      server.closeHandler(v -> client.close());
      client.handler(server::write);
      server.handler(client::write);
      client.resume();
    });
  }

  /** Stops accepting and drops every forwarded connection: Redis is now unreachable. */
  private void cutRedis() throws Exception {
    forwarder.close().await(10, TimeUnit.SECONDS);
    List<Future<Void>> closing = new ArrayList<>();
    forwarded.forEach(socket -> closing.add(socket.close()));
    Future.join(closing).await(10, TimeUnit.SECONDS);
  }

  @Test
  void readyzAnswers503NamingTheKvWhileRedisIsUnreachableAndHealthzStays200() throws Exception {
    TestHttp http = new TestHttp(platform.host(), platform.port(), null);
    HttpResponse<String> before = http.get("/readyz");
    assertEquals(200, before.statusCode(), before.body());

    cutRedis();

    HttpResponse<String> ready = http.get("/readyz");
    assertEquals(503, ready.statusCode(), ready.body());
    JsonObject body = new JsonObject(ready.body());
    assertEquals("not_ready", body.getString("status"), ready.body());
    assertEquals(new JsonObject().put("kv", "unavailable").put("codeq", "ok"), body.getJsonObject("checks"));
    // what failed, for the operator reading the probe's answer
    assertTrue(body.getJsonObject("errors").containsKey("kv"), ready.body());
    assertFalse(body.getJsonObject("errors").containsKey("codeq"), ready.body());
    // alive is not ready: a probe that restarts on /healthz must not restart a process waiting on its KV
    HttpResponse<String> alive = http.get("/healthz");
    assertEquals(200, alive.statusCode(), alive.body());
    assertEquals("ok", new JsonObject(alive.body()).getString("status"));
  }
}
