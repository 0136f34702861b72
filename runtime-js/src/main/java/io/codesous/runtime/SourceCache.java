package io.codesous.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.Source;

/**
 * A bounded LRU of entry-module {@link Source}s by (bundle id, path).
 *
 * <p>Handing the engine the same {@code Source} object again is what lets the shared engine reuse the code it
 * parsed for an earlier activation; a new but equal source would be parsed again once its predecessor has been
 * collected. The bundle id is the content's hash, so an entry never goes stale.
 */
final class SourceCache {

  private record Key(String bundleId, String path) {
  }

  private final int capacity;
  private final Map<Key, Source> sources;
  private long hits;
  private long misses;

  SourceCache(int capacity) {
    this.capacity = capacity;
    this.sources = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Source> eldest) {
        return size() > SourceCache.this.capacity;
      }
    };
  }

  /** Returns the cached source, or builds, caches and returns a new one. */
  Source get(String bundleId, String path, Supplier<Source> builder) {
    Key key = new Key(bundleId, path);
    synchronized (this) {
      Source cached = sources.get(key);
      if (cached != null) {
        hits++;
        return cached;
      }
      misses++;
    }
    // Built outside the lock: decoding a large module should not hold up other activations. When two threads
    // race on the same key, the first one stored wins so that everybody shares one Source.
    Source built = builder.get();
    synchronized (this) {
      Source raced = sources.putIfAbsent(key, built);
      return raced != null ? raced : built;
    }
  }

  synchronized SourceCacheStats stats() {
    return new SourceCacheStats(hits, misses);
  }
}
