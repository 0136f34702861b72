package io.codesous.egress;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bounded response size and bounded time, enforced while the bytes and the clock run. */
class LimitsTest extends EgressTestSupport {

  private static final EgressPolicy POLICY = loopbackPolicy("ok.test");

  /**
   * One ordinary fetch first, through a separate client, so that class loading and the first
   * connection's setup do not eat into the short deadlines below on a slow machine.
   */
  private void warmUp() throws Exception {
    EgressClient warm = new EgressClient(vertx, new EgressOptions(), resolver);
    try {
      await(warm.fetch(FetchRequest.get(url("ok.test", "/headers")), POLICY));
    } finally {
      await(warm.close());
      server.forgetRequests();
    }
  }

  @Test
  void aResponseAtTheCapIsKept() throws Exception {
    useOptions(new EgressOptions().setMaxResponseBytes(1024));
    FetchResponse response = fetchOk(FetchRequest.get(url("ok.test", "/bytes/1024")), POLICY);
    assertEquals(1024, response.body().length);
  }

  @Test
  void aDeclaredLengthPastTheCapIsRefused() throws Exception {
    useOptions(new EgressOptions().setMaxResponseBytes(1024));
    EgressException e = fetchFails(url("ok.test", "/bytes/1025"), POLICY);
    assertEquals(EgressFailure.RESPONSE_TOO_LARGE, e.failure());
    assertEquals(EgressErrorCode.CS_PAYLOAD_TOO_LARGE, e.code());
  }

  @Test
  void aHugeDeclaredBodyIsCutOffWithoutWaitingForIt() throws Exception {
    useOptions(new EgressOptions().setMaxResponseBytes(1024));
    EgressException e = fetchFails(url("ok.test", "/declared-huge"), POLICY);
    assertEquals(EgressFailure.RESPONSE_TOO_LARGE, e.failure());
    await(server.closedAfter("/declared-huge").timeout(10, TimeUnit.SECONDS));
  }

  @Test
  void anEndlessStreamIsCutOffAtTheCapAndTheConnectionClosed() throws Exception {
    // a generous deadline: the cap, not the clock, must end this fetch
    useOptions(new EgressOptions().setMaxResponseBytes(100_000).setTotalTimeoutMs(60_000));
    EgressException e = fetchFails(url("ok.test", "/stream-forever"), POLICY);
    assertEquals(EgressFailure.RESPONSE_TOO_LARGE, e.failure());
    assertEquals(EgressErrorCode.CS_PAYLOAD_TOO_LARGE, e.code());
    assertTrue(e.getMessage().contains("100000"), e.getMessage());
    // the server sees its connection closed while it still had more to send
    await(server.closedAfter("/stream-forever").timeout(10, TimeUnit.SECONDS));
  }

  @Test
  void aSilentServerTimesOutAndLosesTheConnection() throws Exception {
    warmUp();
    useOptions(new EgressOptions().setTotalTimeoutMs(500));
    EgressException e = fetchFails(url("ok.test", "/silent"), POLICY);
    assertEquals(EgressFailure.DEADLINE_EXCEEDED, e.failure());
    assertEquals(EgressErrorCode.CS_TIMEOUT, e.code());
    assertEquals(List.of("GET /silent"), server.requests());
    await(server.closedAfter("/silent").timeout(10, TimeUnit.SECONDS));
  }

  @Test
  void theRequestMayAskForAShorterDeadline() throws Exception {
    useOptions(new EgressOptions().setTotalTimeoutMs(60_000));
    EgressException e = fetchFails(FetchRequest.builder(url("ok.test", "/silent"))
        .timeoutMs(300).build(), POLICY);
    assertEquals(EgressFailure.DEADLINE_EXCEEDED, e.failure());
    assertTrue(e.getMessage().contains("300 ms"), e.getMessage());
  }

  @Test
  void aCancelledFetchFailsAndLosesItsConnectionLongBeforeItsDeadline() throws Exception {
    warmUp();
    useOptions(new EgressOptions().setTotalTimeoutMs(60_000));
    Promise<Void> cancel = Promise.promise();
    Future<FetchResponse> fetch = client.fetch(FetchRequest.get(url("ok.test", "/silent")), POLICY,
        cancel.future());
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.requests().isEmpty() && System.nanoTime() < until) {
      Thread.sleep(10);
    }
    assertEquals(List.of("GET /silent"), server.requests());
    cancel.complete();
    EgressException e = failureOf(fetch);
    assertEquals(EgressFailure.CANCELLED, e.failure());
    await(server.closedAfter("/silent").timeout(10, TimeUnit.SECONDS));
  }

  @Test
  void aFetchCancelledBeforeItStartsNeverDials() throws Exception {
    EgressException e = failureOf(client.fetch(FetchRequest.get(url("ok.test", "/headers")), POLICY,
        Future.succeededFuture()));
    assertEquals(EgressFailure.CANCELLED, e.failure());
    assertNothingSent();
  }

  @Test
  void theDeadlineCoversNameResolution() throws Exception {
    useOptions(new EgressOptions().setTotalTimeoutMs(300));
    EgressException e = fetchFails(url("slow.test", "/"), loopbackPolicy("slow.test"));
    assertEquals(EgressFailure.DEADLINE_EXCEEDED, e.failure());
    assertNothingSent();
  }

  @Test
  void theDeadlineSpansAllRedirectHops() throws Exception {
    // every hop answers in 150 ms, well within the deadline on its own; ten of them are not
    warmUp();
    useOptions(new EgressOptions().setTotalTimeoutMs(600).setMaxRedirects(20));
    long start = System.nanoTime();
    EgressException e = fetchFails(url("ok.test", "/chain/0?end=10&delay=150"), POLICY);
    assertEquals(EgressFailure.DEADLINE_EXCEEDED, e.failure());
    int hops = server.requests().size();
    assertTrue(hops >= 1 && hops < 10, "hops seen: " + hops);
    assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 10_000);
  }
}
