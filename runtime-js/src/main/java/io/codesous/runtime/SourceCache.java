package io.codesous.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.graalvm.polyglot.Source;

/**
 * A bounded LRU of entry modules ({@link EntryModule}: the {@link Source} and what was learnt of the bundle with it)
 * by (bundle id, path).
 *
 * <p>Handing the engine the same {@code Source} object again is what lets the shared engine reuse the code it
 * parsed for an earlier activation; a new but equal source would be parsed again once its predecessor has been
 * collected. The bundle id is the content's hash, so an entry never goes stale.
 */
final class SourceCache {

  private record Key(String bundleId, String path) {
  }

  private final int capacity;
  private final Map<Key, EntryModule> sources;
  private long hits;
  private long misses;

  SourceCache(int capacity) {
    this.capacity = capacity;
    this.sources = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, EntryModule> eldest) {
        return size() > SourceCache.this.capacity;
      }
    };
  }

  /** Returns the cached entry module, or builds, caches and returns a new one. */
  EntryModule get(String bundleId, String path, Supplier<EntryModule> builder) {
    Key key = new Key(bundleId, path);
    synchronized (this) {
      EntryModule cached = sources.get(key);
      if (cached != null) {
        hits++;
        return cached;
      }
      misses++;
    }
    // Built outside the lock: decoding a large module should not hold up other activations. When two threads
    // race on the same key, the first one stored wins so that everybody shares one Source.
    EntryModule built = builder.get();
    synchronized (this) {
      EntryModule raced = sources.putIfAbsent(key, built);
      return raced != null ? raced : built;
    }
  }

  /** The entry module kept for (bundle id, path), or {@code null}; neither a hit nor a miss. */
  synchronized EntryModule peek(String bundleId, String path) {
    return sources.get(new Key(bundleId, path));
  }

  synchronized SourceCacheStats stats() {
    return new SourceCacheStats(hits, misses);
  }
}
