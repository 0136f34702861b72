package io.codesous.store;

import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvWrite;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

class CatalogKvStoreTest {

  private Vertx vertx;
  private InMemoryKvStore kv;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    kv.start().await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  private static CsException failure(Future<?> future) {
    return awaitFailure(future, CsException.class);
  }

  @Test
  void anUnreachableStoreIsUnavailableForEveryStoreAndKeepsThePortsFailureAsTheCause() throws Exception {
    FunctionStore functions = new FunctionStore(kv, () -> 1_000);
    ActivationStore activations = new ActivationStore(kv, () -> 1_000, Duration.ofHours(1));
    kv.stop().await(20, TimeUnit.SECONDS);

    CsException version = failure(functions.version("acme", "default", "fn", 1));
    assertEquals(ErrorCode.CS_UNAVAILABLE, version.code());
    assertInstanceOf(KvException.class, version.getCause());
    assertEquals(ErrorCode.CS_UNAVAILABLE, failure(activations.get("acme", "default", "act-00000001")).code());
    assertEquals(ErrorCode.CS_UNAVAILABLE,
        failure(activations.list("acme", "default", "fn", 10)).code(), "a read inside a chain is translated too");
  }

  @Test
  void aCreateOnlyWriteThatFindsItsKeyIsAConflict() throws Exception {
    KvStore store = CatalogKvStore.of(kv);
    kv.put("k", "v").await(20, TimeUnit.SECONDS);
    CsException conflict = failure(store.allocateAndWrite("seq", List.of(KvWrite.create("k", "other"))));
    assertEquals(ErrorCode.CS_CONFLICT, conflict.code());
    assertEquals("v", kv.get("k").await(20, TimeUnit.SECONDS));
  }

  @Test
  void wrappingTwiceTranslatesOnce() {
    KvStore once = CatalogKvStore.of(kv);
    assertSame(once, CatalogKvStore.of(once));
  }
}
