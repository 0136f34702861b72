package io.codesous.bench.store;

import java.util.List;

/**
 * The few calls the platform makes most on its store, done the way a persistent {@code KvStore}
 * would do them on one engine: each write is in the operating system's hands when the call
 * returns (a process killed right after loses nothing; fsync is not asked for), and the
 * read-compare-write of {@link #compareAndSet} is atomic.
 */
interface StoreEngine extends AutoCloseable {

  String name();

  void put(String key, String value);

  String get(String key);

  boolean compareAndSet(String key, String expected, String update);

  /** Adds or re-scores a member, removing its old place in the score order. */
  void indexAdd(String index, String member, long score);

  /** The highest-scored members first, at most {@code limit}. */
  List<String> indexRangeDescending(String index, int limit);

  @Override
  void close();
}
