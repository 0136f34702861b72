package io.codesous.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

/**
 * Meters of one name looked up by two label values without building a tag array per event: after the first
 * event of a pair, a lookup is two map reads. The pairs come from small sets (triggers, statuses, outcomes), or
 * from {@link FunctionLabels}, which caps its own.
 */
final class MeterCache<M> {

  private final Map<String, Map<String, M>> meters = new ConcurrentHashMap<>();
  private final BiFunction<String, String, M> create;

  MeterCache(BiFunction<String, String, M> create) {
    this.create = create;
  }

  M get(String first, String second) {
    Map<String, M> row = meters.get(first);
    if (row == null) {
      row = meters.computeIfAbsent(first, k -> new ConcurrentHashMap<>());
    }
    M meter = row.get(second);
    if (meter == null) {
      meter = row.computeIfAbsent(second, k -> create.apply(first, k));
    }
    return meter;
  }
}
