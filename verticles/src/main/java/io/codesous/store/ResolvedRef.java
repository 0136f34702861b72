package io.codesous.store;

import java.util.Map;
import java.util.Objects;

/**
 * A ref resolved to the versions it may run: one for a version number or {@code latest}, those of its target for a
 * weighted alias. Holding every candidate's metadata lets a cache keep the ref while each invocation still draws
 * its own version.
 */
public record ResolvedRef(AliasTarget target, Map<Long, VersionMeta> candidates) {

  public ResolvedRef {
    Objects.requireNonNull(target, "target");
    candidates = Map.copyOf(candidates);
    if (!candidates.containsKey(target.version()) || !candidates.keySet().containsAll(target.weights().keySet())) {
      throw new IllegalArgumentException("every version the target names needs its metadata");
    }
  }

  public static ResolvedRef single(VersionMeta meta) {
    return new ResolvedRef(AliasTarget.of(meta.version()), Map.of(meta.version(), meta));
  }

  /** The version one invocation runs, for {@code roll} drawn uniformly from 0..99. */
  public VersionMeta pick(int roll) {
    return candidates.get(target.pick(roll));
  }
}
