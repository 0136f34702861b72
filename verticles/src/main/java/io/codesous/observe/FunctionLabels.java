package io.codesous.observe;

import io.micrometer.core.instrument.Tags;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenant, namespace and function labels of per-function meters, at most {@code max} distinct functions per
 * process: tenant and function names are data, and a registry that grew a series per name ever seen would grow
 * without bound. Functions past the cap share one label set, {@code _other}, so their activations still count.
 */
final class FunctionLabels {

  static final String OTHER = "_other";
  private static final Tags OTHER_TAGS = Tags.of("tenant", OTHER, "namespace", OTHER, "function", OTHER);

  private final int max;
  private final Map<String, Tags> known = new ConcurrentHashMap<>();

  FunctionLabels(int max) {
    this.max = max;
  }

  /** The key the function's meters are cached under: its own, or {@link #OTHER} past the cap. */
  String key(String tenant, String namespace, String function) {
    String key = tenant + '/' + namespace + '/' + function;
    if (known.containsKey(key)) {
      return key;
    }
    synchronized (this) {
      if (known.size() >= max && !known.containsKey(key)) {
        return OTHER;
      }
      known.computeIfAbsent(key, k -> Tags.of("tenant", tenant, "namespace", namespace, "function", function));
      return key;
    }
  }

  Tags tags(String key) {
    Tags tags = known.get(key);
    return tags == null ? OTHER_TAGS : tags;
  }
}
