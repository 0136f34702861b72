package io.codesous.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.function.Supplier;
import org.graalvm.polyglot.Source;
import org.junit.jupiter.api.Test;

/**
 * The source cache's drafts: kept apart from the activations' modules and only the last few, taken among the
 * activations' by the first lookup of their bundle, never pushing an activation's module out.
 */
class SourceCacheTest {

  private static Supplier<EntryModule> module(String name) {
    return () -> new EntryModule(name, Source.create("js", "export const x = 1;"), false);
  }

  private static final Supplier<EntryModule> NOT_BUILT = () -> {
    throw new AssertionError("the kept module should have been found");
  };

  @Test
  void aDraftsModuleIsTheOneTheFirstLookupOfItsBundleGets() {
    SourceCache cache = new SourceCache(16);
    EntryModule draft = cache.draft("sha-a", "index.mjs", module("index.mjs"));

    assertSame(draft, cache.get("sha-a", "index.mjs", NOT_BUILT));
    assertEquals(new SourceCacheStats(1, 0), cache.stats());
    // now among the activations' modules: no number of later drafts pushes it out
    for (int i = 0; i < 2 * SourceCache.DRAFTS; i++) {
      cache.draft("sha-" + i, "index.mjs", module("index.mjs"));
    }
    assertSame(draft, cache.peek("sha-a", "index.mjs"));
  }

  @Test
  void onlyTheLastFewDraftsAreKept() {
    SourceCache cache = new SourceCache(16);
    for (int i = 0; i <= SourceCache.DRAFTS; i++) {
      cache.draft("sha-" + i, "index.mjs", module("index.mjs"));
    }

    assertNull(cache.peek("sha-0", "index.mjs"), "the oldest draft is let go");
    for (int i = 1; i <= SourceCache.DRAFTS; i++) {
      assertNotNull(cache.peek("sha-" + i, "index.mjs"), "draft " + i);
    }
    assertEquals(new SourceCacheStats(0, 0), cache.stats());
  }

  @Test
  void draftsNeverPushOutTheModulesActivationsUse() {
    SourceCache cache = new SourceCache(1);
    EntryModule running = cache.get("sha-live", "index.mjs", module("index.mjs"));

    for (int i = 0; i < 2 * SourceCache.DRAFTS; i++) {
      cache.draft("sha-" + i, "index.mjs", module("index.mjs"));
    }

    assertSame(running, cache.get("sha-live", "index.mjs", NOT_BUILT));
  }

  @Test
  void aDraftOfABundleActivationsAlreadyRunGetsTheirModule() {
    SourceCache cache = new SourceCache(16);
    EntryModule running = cache.get("sha-live", "index.mjs", module("index.mjs"));

    assertSame(running, cache.draft("sha-live", "index.mjs", NOT_BUILT));
  }
}
