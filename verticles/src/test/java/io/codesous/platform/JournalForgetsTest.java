package io.codesous.platform;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.codesous.kv.KvStore;
import io.codesous.kv.rocksdb.RocksDbKvOptions;
import io.codesous.kv.rocksdb.RocksDbKvStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's removals, against the on-disk store of an embedded server. */
class JournalForgetsTest {

  @TempDir
  Path directory;
  private Vertx vertx;
  private RocksDbKvStore store;
  /** The pairs of each batched removal the journal asked the store for, in order. */
  private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    store = new RocksDbKvStore(vertx, new RocksDbKvOptions(directory));
    await(store.start());
  }

  @AfterEach
  void stop() throws Exception {
    await(store.stop());
    await(vertx.close());
  }

  @Test
  void removalsAskedForWhileOneIsWrittenGoTogetherInTheNextStoreCall() throws Exception {
    for (int i = 0; i < 5; i++) {
      await(store.put("test:journal-forgets:entry-" + i, "request " + i));
    }
    JournalForgets forgets = new JournalForgets(counting(store));
    Promise<Void> all = Promise.promise();
    // from one event-loop task: the first removal is on its way to the store while the four others are asked for
    vertx.runOnContext(ignored -> {
      List<Future<Void>> each = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        each.add(forgets.forget("test:journal-forgets:entry-" + i));
      }
      Future.all(each).<Void>mapEmpty().onComplete(all);
    });
    await(all.future());

    assertEquals(List.of(1, 4), batchSizes);
    assertEquals(List.of(), await(store.keysWithPrefix("test:journal-forgets:", 10)));
    for (int i = 0; i < 5; i++) {
      assertNull(await(store.get("test:journal-forgets:entry-" + i)));
    }
  }

  @Test
  void aRemovalAskedForAfterTheOthersEndedIsWrittenAtOnce() throws Exception {
    await(store.put("test:journal-forgets:first", "request"));
    await(store.put("test:journal-forgets:second", "request"));
    await(store.put("test:journal-forgets:kept", "request"));
    JournalForgets forgets = new JournalForgets(counting(store));
    await(forgets.forget("test:journal-forgets:first"));
    await(forgets.forget("test:journal-forgets:second"));

    assertEquals(List.of(1, 1), batchSizes);
    assertEquals(List.of("test:journal-forgets:kept"), await(store.keysWithPrefix("test:journal-forgets:", 10)));
  }

  /**
   * {@code kv} as it is, noting the size of each batched removal asked of it. A removal completes in a later task of
   * the caller's context, as a store call that takes any time does: the store's pool can finish a small batch before
   * the caller's next line runs, and its answer is then complete at once, which would make what goes together
   * depend on thread scheduling rather than on the journal.
   */
  @SuppressWarnings("unchecked")
  private KvStore counting(KvStore kv) {
    return (KvStore) Proxy.newProxyInstance(KvStore.class.getClassLoader(), new Class<?>[] {KvStore.class},
        (proxy, method, arguments) -> {
          boolean removal = method.getName().equals("deleteEach");
          if (removal) {
            batchSizes.add(((Collection<String>) arguments[0]).size());
          }
          Object answer;
          try {
            answer = method.invoke(kv, arguments);
          } catch (InvocationTargetException thrown) {
            throw thrown.getCause();
          }
          if (!removal) {
            return answer;
          }
          Context caller = vertx.getOrCreateContext();
          Promise<Void> later = Promise.promise();
          ((Future<Void>) answer).onComplete(outcome -> caller.runOnContext(next -> later.handle(outcome)));
          return later.future();
        });
  }
}
