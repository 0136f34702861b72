package io.codesous.invoker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One of the invoker's caches of immutable values (version metadata, decoded bundles): least recently used entries
 * leave first, and a value is loaded once however many callers miss it at once. A lookup that finds its key being
 * loaded for another caller waits for that load instead of starting one (a burst of first invokes of a new version
 * would otherwise read and decode its bundle once each), counts as a hit, and is answered on its own context: the
 * invoker's consumers and the announcements' run on contexts of their own. A failed load is not kept. Thread-safe.
 *
 * <p>Lookups are counted in {@code cs.cache.requests}, tagged with the cache's name and {@code hit} or {@code miss}:
 * one miss per load.
 */
final class LoadingCache<V> {

  private final Map<String, V> values;
  /** Loads running, by key. Guarded by itself. */
  private final Map<String, Future<V>> loading = new HashMap<>();
  private final Counter hits;
  private final Counter misses;

  LoadingCache(String name, int size, MeterRegistry registry) {
    this.values = lru(size);
    this.hits = counter(registry, name, "hit");
    this.misses = counter(registry, name, "miss");
  }

  private static Counter counter(MeterRegistry registry, String cache, String result) {
    return Counter.builder("cs.cache.requests").description("Cache lookups by cache and result")
        .tag("cache", cache).tag("result", result).register(registry);
  }

  private static <V> Map<String, V> lru(int max) {
    return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    });
  }

  /**
   * The value of {@code key}: cached, or being loaded for another caller, or loaded now by {@code load}, which is
   * called on the calling thread only when no load of the key is running.
   */
  Future<V> get(String key, Supplier<Future<V>> load) {
    V hit = values.get(key);
    if (hit != null) {
      hits.increment();
      return Future.succeededFuture(hit);
    }
    Future<V> running;
    Promise<V> started = null;
    synchronized (loading) {
      running = loading.get(key);
      if (running == null) {
        // a load may have ended between the lookup above and here
        hit = values.get(key);
        if (hit == null) {
          started = Promise.promise();
          loading.put(key, started.future());
        }
      }
    }
    if (started == null) {
      hits.increment();
      return hit != null ? Future.succeededFuture(hit) : onCallersContext(running);
    }
    misses.increment();
    Promise<V> mine = started;
    Future<V> loaded;
    try {
      loaded = load.get();
    } catch (RuntimeException e) {
      loaded = Future.failedFuture(e);
    }
    loaded.onComplete(result -> {
      if (result.succeeded()) {
        values.put(key, result.result());
      }
      synchronized (loading) {
        loading.remove(key);
      }
      mine.handle(result);
    });
    return mine.future();
  }

  private static <V> Future<V> onCallersContext(Future<V> load) {
    Context caller = Vertx.currentContext();
    if (caller == null) {
      return load;
    }
    Promise<V> answer = Promise.promise();
    load.onComplete(result -> caller.runOnContext(v -> answer.handle(result)));
    return answer.future();
  }
}
