package io.codesous.kv.rocksdb;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.codesous.kv.KvException;
import io.codesous.kv.KvStore;
import io.codesous.kv.KvStoreContract;
import io.codesous.kv.KvWrite;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KV contract on RocksDB, and what only a store on disk has to show: its data outlives it. */
class RocksDbKvStoreTest implements KvStoreContract {

  private static Vertx vertx;

  @TempDir
  Path dataDir;

  private RocksDbKvStore store;
  private int stores;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() {
    await(vertx.close());
  }

  @BeforeEach
  void startStore() {
    store = open(dataDir.resolve("shared"));
  }

  @AfterEach
  void stopStore() {
    await(store.stop());
  }

  @Override
  public KvStore store() {
    return store;
  }

  @Override
  public KvStore newStore() {
    return new RocksDbKvStore(vertx, new RocksDbKvOptions(dataDir.resolve("fresh-" + stores++)));
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Test
  void valuesIndexesCountersAndExpiriesOutliveTheStore() {
    await(store.put("fn", "{\"name\":\"hello\"}"));
    await(store.put("session", "s", Duration.ofHours(1)));
    await(store.indexAdd("activations", "a1", 1));
    await(store.indexAdd("activations", "a2", 2));
    assertEquals(1, await(store.allocateAndWrite("versions", List.of(KvWrite.create("v:{seq}", "one")))));
    await(store.stop());

    store = open(dataDir.resolve("shared"));
    assertEquals(Map.of("fn", "{\"name\":\"hello\"}", "session", "s", "v:1", "one"),
        await(store.getAll(List.of("fn", "session", "v:1", "absent"))));
    assertEquals(List.of("a2", "a1"), await(store.indexRange("activations", 10, true)));
    assertEquals(2, await(store.increment("versions")));
  }

  @Test
  void everyAcknowledgedWriteIsInTheFilesOfAStoreThatNeverStops() throws Exception {
    // made on an event loop, so the writes go to the pool as one task, as a server's do
    Promise<Void> written = Promise.promise();
    vertx.runOnContext(v -> Future.all(store.put("fn", "hello"), store.put("alias", "prod"),
            store.indexAdd("activations", "a1", 1), store.putIfAbsent("record", "running", Duration.ofHours(1)))
        .<Void>mapEmpty().onComplete(written));
    await(written.future());

    // what a killed process leaves: the files as the operating system has them, the store never stopped
    Path crashed = dataDir.resolve("crashed");
    try (var files = Files.list(dataDir.resolve("shared"))) {
      Files.createDirectories(crashed);
      for (Path file : files.filter(file -> !file.getFileName().toString().equals("LOCK")).toList()) {
        Files.copy(file, crashed.resolve(file.getFileName()));
      }
    }
    RocksDbKvStore reopened = open(crashed);
    try {
      assertEquals(Map.of("fn", "hello", "alias", "prod", "record", "running"),
          await(reopened.getAll(List.of("fn", "alias", "record"))));
      assertEquals(List.of("a1"), await(reopened.indexRange("activations", 10, false)));
    } finally {
      await(reopened.stop());
    }
  }

  @Test
  void aPairWhoseSecondWriteIsRefusedWritesNeitherHalf() {
    await(store.put("taken", "a plain value, not an index"));
    awaitFailure(store.putIfAbsentThenIndexAdd("record", "r", Duration.ofHours(1), "taken", "m", 1));
    assertNull(await(store.get("record")));
  }

  @Test
  void aKeyThatExpiredWhileTheStoreWasClosedIsAbsentAfterReopening() {
    AtomicLong clock = new AtomicLong(1_000_000);
    Path dir = dataDir.resolve("clocked");
    RocksDbKvStore first = new RocksDbKvStore(vertx, new RocksDbKvOptions(dir), clock::get);
    await(first.start());
    await(first.put("token", "t", Duration.ofSeconds(5)));
    await(first.stop());

    clock.addAndGet(5_000);
    RocksDbKvStore second = new RocksDbKvStore(vertx, new RocksDbKvOptions(dir), clock::get);
    await(second.start());
    try {
      assertNull(await(second.get("token")));
      assertTrue(await(second.putIfAbsent("token", "new", null)));
      assertEquals("new", await(second.get("token")));
    } finally {
      await(second.stop());
    }
  }

  @Test
  void aSecondStoreOnTheSameDirectoryIsRefusedNamingIt() {
    RocksDbKvStore second = new RocksDbKvStore(vertx, new RocksDbKvOptions(dataDir.resolve("shared")));
    try {
      KvException refused = awaitFailure(second.start(), KvException.class);
      assertTrue(refused.getMessage().contains(dataDir.resolve("shared").toString()), refused.getMessage());
    } finally {
      await(second.stop());
    }
    assertNull(await(store.get("still-usable")));
  }

  @Test
  void indexOperationsOnPlainKeyFailAndPlainOperationsOnIndexFail() {
    await(store.put("plain", "v"));
    awaitFailure(store.indexAdd("plain", "m", 1), KvException.class);
    awaitFailure(store.indexRange("plain", 10, false), KvException.class);
    await(store.indexAdd("index", "m", 1));
    awaitFailure(store.get("index"), KvException.class);
    awaitFailure(store.put("index", "v"), KvException.class);
    awaitFailure(store.increment("index"), KvException.class);
    assertEquals(List.of("m"), await(store.indexRange("index", 10, false)));
  }

  @Test
  void deleteRemovesAWholeIndexAndAnEmptiedIndexFreesItsName() {
    await(store.indexAdd("whole", "a", 1));
    await(store.indexAdd("whole", "b", 2));
    assertTrue(await(store.delete("whole")));
    assertEquals(List.of(), await(store.indexRange("whole", 10, false)));
    assertEquals(List.of(), await(store.indexMembersWithPrefix("whole", "", 10)));

    await(store.indexAdd("emptied", "m", 1));
    assertTrue(await(store.indexRemove("emptied", "m")));
    await(store.put("emptied", "now a value"));
    assertEquals("now a value", await(store.get("emptied")));
  }

  @Test
  void indexesWhoseNamesShareAPrefixKeepTheirMembersApart() {
    await(store.indexAdd("fn", "a", 1));
    await(store.indexAdd("fn:versions", "b", 2));
    assertEquals(List.of("a"), await(store.indexRange("fn", 10, true)));
    assertEquals(List.of("a"), await(store.indexMembersWithPrefix("fn", "", 10)));
    assertEquals(List.of("b"), await(store.indexRange("fn:versions", 10, false)));
  }

  @Test
  void theSweepRemovesExpiredKeysFromDisk() {
    AtomicLong clock = new AtomicLong(1_000_000);
    RocksDbKvStore clocked =
        new RocksDbKvStore(vertx, new RocksDbKvOptions(dataDir.resolve("swept")), clock::get);
    await(clocked.start());
    try {
      await(clocked.put("short", "v", Duration.ofSeconds(1)));
      await(clocked.put("long", "v", Duration.ofHours(1)));
      clock.addAndGet(2_000);
      assertNull(await(clocked.get("short")));
      // the periodic sweep (every second) removes the expired value and its schedule entry
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (await(clocked.storedEntries()) > 2 && System.nanoTime() < deadline) {
        await(vertx.timer(100));
      }
      assertEquals(2, await(clocked.storedEntries()),
          "what remains is the long-lived key and its schedule entry");
      assertEquals("v", await(clocked.get("long")));
    } finally {
      await(clocked.stop());
    }
    assertTrue(Files.isDirectory(dataDir.resolve("swept")));
  }

  private RocksDbKvStore open(Path dir) {
    RocksDbKvStore opened = new RocksDbKvStore(vertx, new RocksDbKvOptions(dir));
    await(opened.start());
    return opened;
  }
}
