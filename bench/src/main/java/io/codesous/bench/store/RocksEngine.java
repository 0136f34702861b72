package io.codesous.bench.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/** RocksDB with its write-ahead log on and no fsync per write (the store's own default). */
final class RocksEngine implements StoreEngine {

  private final Options options = new Options().setCreateIfMissing(true);
  private final WriteOptions writeOptions = new WriteOptions();
  private final RocksDB db;

  RocksEngine(Path directory) {
    RocksDB.loadLibrary();
    try {
      db = RocksDB.open(options, directory.toString());
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String name() {
    return "rocksdb";
  }

  @Override
  public void put(String key, String value) {
    try {
      db.put(writeOptions, bytes("v" + key), bytes(value));
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String get(String key) {
    try {
      byte[] value = db.get(bytes("v" + key));
      return value == null ? null : new String(value, StandardCharsets.UTF_8);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public synchronized boolean compareAndSet(String key, String expected, String update) {
    if (!expected.equals(get(key))) {
      return false;
    }
    put(key, update);
    return true;
  }

  @Override
  public synchronized void indexAdd(String index, String member, long score) {
    byte[] memberKey = bytes("m" + index + "\0" + member);
    try (WriteBatch batch = new WriteBatch()) {
      byte[] previous = db.get(memberKey);
      if (previous != null) {
        batch.delete(orderKey(index, ByteBuffer.wrap(previous).getLong(), member));
      }
      batch.put(memberKey, ByteBuffer.allocate(8).putLong(score).array());
      batch.put(orderKey(index, score, member), new byte[0]);
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<String> indexRangeDescending(String index, int limit) {
    byte[] prefix = bytes("s" + index + "\0");
    byte[] last = Arrays.copyOf(prefix, prefix.length + 1);
    last[prefix.length] = (byte) 0xff;
    List<String> members = new ArrayList<>(limit);
    try (RocksIterator it = db.newIterator()) {
      for (it.seekForPrev(last); it.isValid() && members.size() < limit; it.prev()) {
        byte[] key = it.key();
        if (!startsWith(key, prefix)) {
          break;
        }
        members.add(new String(key, prefix.length + 8, key.length - prefix.length - 8,
            StandardCharsets.UTF_8));
      }
    }
    return members;
  }

  @Override
  public void close() {
    db.close();
    writeOptions.close();
    options.close();
  }

  private static byte[] orderKey(String index, long score, String member) {
    byte[] prefix = bytes("s" + index + "\0");
    byte[] name = bytes(member);
    return ByteBuffer.allocate(prefix.length + 8 + name.length)
        .put(prefix).putLong(score ^ Long.MIN_VALUE).put(name).array();
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
