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

  /**
   * Drafts parsed ahead of their publish ({@link JsRuntime#parseAhead}) kept apart from the activations' modules, and
   * only the last few: the engine keeps a source's parsed code while the source is held, several times the size of
   * the source (a 5 MB bundle took more than 128 MB), so an upload that nobody publishes must neither pin its code for
   * long nor push out the code of the versions that run. A draft is usually published within seconds of its upload;
   * its first lookup by an activation or a preparation moves it among the activations' modules.
   */
  static final int DRAFTS = 4;

  private final Map<Key, EntryModule> sources;
  private final Map<Key, EntryModule> drafts = lru(DRAFTS);
  private long hits;
  private long misses;

  SourceCache(int capacity) {
    this.sources = lru(capacity);
  }

  private static Map<Key, EntryModule> lru(int capacity) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, EntryModule> eldest) {
        return size() > capacity;
      }
    };
  }

  /** Returns the cached entry module, or builds, caches and returns a new one. */
  EntryModule get(String bundleId, String path, Supplier<EntryModule> builder) {
    Key key = new Key(bundleId, path);
    synchronized (this) {
      EntryModule cached = sources.get(key);
      if (cached == null) {
        cached = drafts.remove(key);
        if (cached != null) {
          sources.put(key, cached);
        }
      }
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

  /**
   * The entry module of a draft: the one kept for (bundle id, path) when there is one, else one built and kept among
   * the last {@link #DRAFTS} drafts. Neither a hit nor a miss: no activation asked.
   */
  EntryModule draft(String bundleId, String path, Supplier<EntryModule> builder) {
    Key key = new Key(bundleId, path);
    synchronized (this) {
      EntryModule kept = kept(key);
      if (kept != null) {
        return kept;
      }
    }
    EntryModule built = builder.get();
    synchronized (this) {
      EntryModule raced = kept(key);
      if (raced != null) {
        return raced;
      }
      drafts.put(key, built);
      return built;
    }
  }

  /** The entry module kept for (bundle id, path), among activations' or drafts', or {@code null}; not counted. */
  synchronized EntryModule peek(String bundleId, String path) {
    return kept(new Key(bundleId, path));
  }

  /** Under the lock: the module kept for {@code key}, the activations' before the drafts'. */
  private EntryModule kept(Key key) {
    EntryModule module = sources.get(key);
    return module != null ? module : drafts.get(key);
  }

  synchronized SourceCacheStats stats() {
    return new SourceCacheStats(hits, misses);
  }
}
