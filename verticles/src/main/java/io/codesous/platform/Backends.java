package io.codesous.platform;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.codeq.kafka.KafkaCodeQ;
import io.codesous.codeq.kafka.KafkaCodeQOptions;
import io.codesous.kv.KvStore;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.kv.redis.RedisKvOptions;
import io.codesous.kv.redis.RedisKvStore;
import io.codesous.kv.rocksdb.RocksDbKvOptions;
import io.codesous.kv.rocksdb.RocksDbKvStore;
import io.codesous.observe.RedisMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;

/** The one place that turns a backend name into an implementation. */
final class Backends {

  private Backends() {
  }

  static KvStore kv(Vertx vertx, PlatformOptions options, MeterRegistry registry) {
    return switch (options.getKvBackend()) {
      case BackendNames.EMBEDDED -> options.isKvPersistent()
          ? new RocksDbKvStore(vertx, new RocksDbKvOptions(options.kvDirectory(), options.isKvFsync(),
              RocksDbKvOptions.DEFAULT_THREADS))
          : new InMemoryKvStore(vertx);
      case BackendNames.KV_REDIS -> new RedisKvStore(vertx, new RedisKvOptions(options.getRedis()),
          new RedisMeters(registry));
      default -> throw new IllegalArgumentException("unknown kv backend " + options.getKvBackend());
    };
  }

  /**
   * The queue; an in-JVM queue beside an on-disk KV keeps its accepted invocation requests in that KV
   * ({@link JournaledCodeQ}), so a crash loses none. Only there: a Redis KV may be shared by several processes,
   * whose starts would publish one another's requests.
   */
  static CodeQ codeq(Vertx vertx, PlatformOptions options, KvStore kv) {
    CodeQ queue = codeq(vertx, options);
    return BackendNames.EMBEDDED.equals(options.getCodeqBackend())
        && BackendNames.EMBEDDED.equals(options.getKvBackend()) && options.isKvPersistent()
        ? new JournaledCodeQ(vertx, queue, kv) : queue;
  }

  private static CodeQ codeq(Vertx vertx, PlatformOptions options) {
    return switch (options.getCodeqBackend()) {
      case BackendNames.EMBEDDED -> new InJvmCodeQ(vertx, options.getEmbeddedQueue());
      case BackendNames.CODEQ_KAFKA -> new KafkaCodeQ(vertx, new KafkaCodeQOptions(options.getKafka()));
      default -> throw new IllegalArgumentException("unknown codeq backend " + options.getCodeqBackend());
    };
  }
}
