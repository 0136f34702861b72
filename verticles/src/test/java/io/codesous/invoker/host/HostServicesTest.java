package io.codesous.invoker.host;

import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.egress.EgressClient;
import io.codesous.egress.EgressOptions;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.runtime.HostFetchRequest;
import io.codesous.runtime.HostFetchResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostServicesTest {

  Vertx vertx;
  InMemoryKvStore kv;
  InJvmCodeQ codeq;
  EgressClient egress;
  HostServices host;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    codeq = new InJvmCodeQ(vertx);
    await(kv.start());
    await(codeq.start());
    egress = new EgressClient(vertx, new EgressOptions());
    host = new HostServices(kv, codeq, egress);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static CsException failure(Future<?> f) {
    return awaitFailure(f, CsException.class);
  }

  static Capabilities caps(JsonObject capabilities) {
    return Capabilities.of(new JsonObject().put("capabilities", capabilities));
  }

  static final Capabilities ORDERS = caps(new JsonObject().put("kv", new JsonObject()
      .put("read", new JsonArray().add("orders/").add("shared/config"))
      .put("write", new JsonArray().add("orders/"))));

  @Test
  void dataStaysUnderTheGrantedPrefixesByWholeSegment() throws Exception {
    await(host.kvSet("acme", ORDERS, "orders/1", "{\"n\":1}"));
    assertEquals("{\"n\":1}", await(host.kvGet("acme", ORDERS, "orders/1")));
    assertNull(await(host.kvGet("acme", ORDERS, "orders/2")));
    for (String key : List.of("orders-archive", "ordersX", "billing/1", "\u043erders/1", "shared")) {
      assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.kvGet("acme", ORDERS, key)).code(), key);
    }
    assertEquals(ErrorCode.CS_VALIDATION_FAILED, failure(host.kvGet("acme", ORDERS, "orders//1")).code(),
        "a malformed key that steps nowhere is still a validation failure");
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.kvSet("acme", ORDERS, "shared/config", "x")).code(),
        "a read grant does not allow writing");
    assertEquals(ErrorCode.CS_PAYLOAD_TOO_LARGE,
        failure(host.kvSet("acme", ORDERS, "orders/big", "x".repeat(HostServices.MAX_VALUE_BYTES + 1))).code());
  }

  @Test
  void dotSegmentsAreOutsideEveryGrant() throws Exception {
    Capabilities billing = caps(new JsonObject().put("kv", new JsonObject()
        .put("read", new JsonArray().add("billing/")).put("write", new JsonArray().add("billing/"))));
    await(host.kvSet("acme", billing, "billing/1", "secret-invoice"));
    for (String key : List.of("orders/../billing/1", "orders/./1", "orders/..", "..", "./orders/1")) {
      for (Future<?> call : List.of(host.kvGet("acme", ORDERS, key), host.kvSet("acme", ORDERS, key, "x"),
          host.kvDel("acme", ORDERS, key))) {
        CsException e = failure(call);
        assertEquals(ErrorCode.CS_CAPABILITY_DENIED, e.code(), key);
        assertEquals("kv key '" + key + "' has a '.' or '..' segment; such a key is outside every granted prefix",
            e.getMessage());
      }
    }
    assertEquals("secret-invoice", await(host.kvGet("acme", billing, "billing/1")), "nothing was overwritten");
  }

  @Test
  void noGrantMeansNothing() {
    Capabilities none = caps(new JsonObject());
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.kvGet("acme", none, "orders/1")).code());
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.kvList("acme", none, "")).code());
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.publish("acme", none, "events", "{}")).code());
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED,
        failure(host.fetch(none, "https://example.com/", "GET", null, null)).code());
  }

  @Test
  void tenantsNeverSeeEachOthersData() throws Exception {
    await(host.kvSet("acme", ORDERS, "orders/1", "acme's"));
    await(host.kvSet("globex", ORDERS, "orders/1", "globex's"));
    assertEquals("acme's", await(host.kvGet("acme", ORDERS, "orders/1")));
    assertEquals("globex's", await(host.kvGet("globex", ORDERS, "orders/1")));
    assertEquals(List.of("orders/1"), await(host.kvList("acme", ORDERS, "orders/")));
    assertTrue(await(host.kvDel("globex", ORDERS, "orders/1")));
    assertEquals("acme's", await(host.kvGet("acme", ORDERS, "orders/1")));
    assertEquals(List.of(), await(host.kvList("globex", ORDERS, "orders/")));
  }

  @Test
  void listingReturnsOnlyReadableKeysUnderThePrefix() throws Exception {
    Capabilities writer = caps(new JsonObject().put("kv", new JsonObject()
        .put("read", new JsonArray().add("orders/"))
        .put("write", new JsonArray().add("orders/").add("orders-archive/"))));
    for (String key : List.of("orders/2", "orders/10", "orders-archive/1")) {
      await(host.kvSet("acme", writer, key, "v"));
    }
    assertEquals(List.of("orders/10", "orders/2"), await(host.kvList("acme", writer, "orders/")));
    assertEquals(List.of("orders/10", "orders/2"), await(host.kvList("acme", writer, "orders")),
        "orders-archive/1 matches the text prefix but is not readable");
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.kvList("acme", writer, "ord")).code());
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.kvList("acme", writer, "orders-archive/")).code());
  }

  @Test
  void lookAlikeKeysBeyondAPageDoNotHideTheReadableKeys() throws Exception {
    Capabilities writer = caps(new JsonObject().put("kv", new JsonObject()
        .put("read", new JsonArray().add("orders/"))
        .put("write", new JsonArray().add("orders").add("orders-archive/").add("orders.old/"))));
    // '-' and '.' sort before '/': a text-prefix page of "orders" is all look-alikes before a readable key shows
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < HostServices.MAX_LIST; i++) {
      writes.add(host.kvSet("acme", writer, "orders-archive/" + i, "v"));
      writes.add(host.kvSet("acme", writer, "orders.old/" + i, "v"));
    }
    await(Future.all(writes));
    for (String key : List.of("orders", "orders/1", "orders/2", "ordersX")) {
      await(host.kvSet("acme", key.equals("ordersX") ? caps(new JsonObject().put("kv", new JsonObject()
          .put("write", new JsonArray().add("ordersX")))) : writer, key, "v"));
    }

    assertEquals(List.of("orders", "orders/1", "orders/2"), await(host.kvList("acme", writer, "orders")));
    assertEquals(List.of("orders/1", "orders/2"), await(host.kvList("acme", writer, "orders/")));
    assertEquals(List.of("orders/1"), await(host.kvList("acme", writer, "orders/1")));

    Capabilities archivist = caps(new JsonObject().put("kv", new JsonObject()
        .put("read", new JsonArray().add("orders/").add("orders-archive"))));
    List<String> both = await(host.kvList("acme", archivist, "orders"));
    assertEquals(HostServices.MAX_LIST, both.size(), "a full page of keys both grants cover");
    assertEquals(List.of("orders", "orders-archive/0", "orders-archive/1"), both.subList(0, 3));
    assertTrue(both.stream().allMatch(archivist::mayRead), "only readable keys");
  }

  @Test
  void publishingGoesOnlyToListedTopicsInTheTenantsOwnSpace() throws Exception {
    Capabilities events = caps(new JsonObject().put("codeq", new JsonObject().put("publish", new JsonArray().add("events"))));
    CompletableFuture<CodeQMessage> received = new CompletableFuture<>();
    await(codeq.subscribe(new SubscribeOptions().setTopic(HostServices.topicFor("acme", "events")).setGroup("t"),
        received::complete));
    await(host.publish("acme", events, "events", "{\"hello\":1}"));
    assertEquals("{\"hello\":1}", received.get(10, TimeUnit.SECONDS).payload().toString());
    assertEquals("fn.acme.events", HostServices.topicFor("acme", "events"));
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.publish("acme", events, "events2", "{}")).code());
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.publish("acme", events, "cs.invoke", "{}")).code());
  }

  @Test
  void fetchIsLimitedToTheAllowListAndNeverReachesInternalAddresses() {
    Capabilities web = caps(new JsonObject().put("http", new JsonObject().put("allow", new JsonArray().add("example.com"))));
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED, failure(host.fetch(web, "https://other.example/", "GET", null, null)).code());
    Capabilities metadata = caps(new JsonObject().put("http", new JsonObject()
        .put("allow", new JsonArray().add("169.254.169.254"))));
    assertEquals(ErrorCode.CS_CAPABILITY_DENIED,
        failure(host.fetch(metadata, "http://169.254.169.254/latest/meta-data/", "GET", null, null)).code(),
        "even when listed, the metadata address is refused");
  }

  static final Capabilities LOCAL_WEB = caps(new JsonObject().put("http", new JsonObject()
      .put("allow", new JsonArray().add("127.0.0.1"))));

  @Test
  void aFetchEndsAtTheDeadlineItIsGiven() throws Exception {
    try (SilentServer server = SilentServer.start(vertx)) {
      HostServices local = new HostServices(kv, codeq, egress, true);
      CsException e = failure(local.fetch(LOCAL_WEB, server.url("/hang"), "GET", null, null, 300,
          Promise.<Void>promise().future()));
      assertEquals(ErrorCode.CS_TIMEOUT, e.code());
      assertEquals("the fetch did not complete within 300 ms", e.getMessage());
      server.connectionClosed().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void cancellingAnActivationsFetchResetsTheRequest() throws Exception {
    try (SilentServer server = SilentServer.start(vertx)) {
      ActivationBindings bindings = new ActivationBindings(new HostServices(kv, codeq, egress, true), "acme",
          LOCAL_WEB);
      // time enough that only the cancellation can end the exchange within the wait below
      CompletableFuture<HostFetchResponse> fetch = bindings.httpFetch(new HostFetchRequest(server.url("/hang"),
          "GET", Map.of(), new byte[0], 60_000)).toCompletableFuture();
      await(server.requested());
      fetch.cancel(false);
      server.connectionClosed().await(5, TimeUnit.SECONDS);
    }
  }
}
