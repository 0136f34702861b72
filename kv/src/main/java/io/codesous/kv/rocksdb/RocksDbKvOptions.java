package io.codesous.kv.rocksdb;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a {@link RocksDbKvStore} keeps its files and how hard it holds on to a write.
 *
 * @param directory the database's directory, created when missing; one process at a time
 * @param fsync     {@code false} (the default): a write is acknowledged once it is in the
 *                  write-ahead log in the operating system's hands, which a killed process
 *                  ({@code kill -9}, a crash) cannot lose, but a power loss or kernel crash can
 *                  take the last moments of. {@code true}: every write is also flushed to the
 *                  device before it is acknowledged, which survives a power loss and costs a
 *                  device flush per write
 * @param threads   the bounded pool that runs the blocking calls (writes take turns on one lock
 *                  anyway; more threads let reads go past a write)
 */
public record RocksDbKvOptions(Path directory, boolean fsync, int threads) {

  public static final int DEFAULT_THREADS = 4;

  public RocksDbKvOptions {
    Objects.requireNonNull(directory, "directory");
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1: " + threads);
    }
  }

  /** The defaults: no fsync per write, {@link #DEFAULT_THREADS} threads. */
  public RocksDbKvOptions(Path directory) {
    this(directory, false, DEFAULT_THREADS);
  }
}
