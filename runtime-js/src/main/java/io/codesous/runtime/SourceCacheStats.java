package io.codesous.runtime;

/**
 * Counters of the compiled-source cache of one {@link JsRuntime}, since it was created.
 *
 * @param hits   entry module lookups served from the cache
 * @param misses entry module lookups that had to build a new source (the engine then parses it once)
 */
public record SourceCacheStats(long hits, long misses) {
}
