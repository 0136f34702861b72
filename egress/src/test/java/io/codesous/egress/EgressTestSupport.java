package io.codesous.egress;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A loopback server on 127.0.0.1, a map resolver and a client whose dials are recorded and kept
 * on loopback. Tests wait for results on the JUnit thread; the client never blocks.
 */
@ExtendWith(VertxExtension.class)
abstract class EgressTestSupport {

  /** Names every test can use; only those a test's policy lists are actually allowed. */
  static MapHostResolver standardResolver() {
    return new MapHostResolver()
        .answer("ok.test", "127.0.0.1")
        .answer("other.test", "127.0.0.1")
        .answer("evil.test", "127.0.0.1")
        .answer("localhost", "127.0.0.1")
        .answer("v6.test", "::1")
        .answer("mixed.test", "93.184.216.34", "10.0.0.1")
        .answer("mixed-loopback.test", "127.0.0.1", "10.0.0.1")
        .answer("metadata.test", "169.254.169.254")
        .answer("metadata6.test", "fd00:ec2::254")
        .answer("private.test", "10.0.0.1")
        .answer("mapped.test", "::ffff:192.168.1.1")
        .hang("slow.test");
  }

  Vertx vertx;
  TestServer server;
  MapHostResolver resolver;
  LoopbackDialGuard dials;
  EgressClient client;

  @BeforeEach
  void startServerAndClient(Vertx vertx) throws Exception {
    this.vertx = vertx;
    server = TestServer.start(vertx, "127.0.0.1");
    resolver = standardResolver();
    useOptions(new EgressOptions().setTotalTimeoutMs(15_000));
  }

  @AfterEach
  void stopServerAndClient() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server.close();
  }

  /** Replaces the client with one using these options. */
  void useOptions(EgressOptions options) {
    if (client != null) {
      client.close();
    }
    dials = new LoopbackDialGuard();
    client = new EgressClient(vertx, options, resolver, dials);
  }

  /** {@code http://<host>:<server port><path>}. */
  String url(String host, String path) {
    return "http://" + host + ":" + server.port() + path;
  }

  static EgressPolicy loopbackPolicy(String... hosts) {
    return EgressPolicy.allowing(hosts).withLoopbackAllowed();
  }

  FetchResponse fetchOk(FetchRequest request, EgressPolicy policy) throws Exception {
    return await(client.fetch(request, policy));
  }

  /** Fetches, expecting an {@link EgressException}; fails the test on a response. */
  EgressException fetchFails(FetchRequest request, EgressPolicy policy) throws Exception {
    return failureOf(client.fetch(request, policy));
  }

  static EgressException failureOf(Future<?> future) {
    return awaitFailure(future, EgressException.class);
  }

  EgressException fetchFails(String url, EgressPolicy policy) throws Exception {
    return fetchFails(FetchRequest.get(url), policy);
  }

  /** The fetch was refused before any connection: no dial, nothing reached the server. */
  void assertNothingSent() {
    assertEquals(List.of(), dials.dials(), "dials");
    assertEquals(List.of(), server.requests(), "requests seen by the server");
  }

  void assertDialedOnlyLoopback() {
    for (InetSocketAddress dial : dials.dials()) {
      assertTrue(dial.getAddress().isLoopbackAddress(), dial.toString());
    }
  }
}
