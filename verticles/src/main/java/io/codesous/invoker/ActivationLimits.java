package io.codesous.invoker;

import io.codesous.runtime.ExecutionLimits;
import io.codesous.spec.model.Limits;

/** The sandbox's limits of a version's activations, from its manifest's limits and the invoker's log line cap. */
public final class ActivationLimits {

  private ActivationLimits() {
  }

  /**
   * One mapping for every sandbox call of a version (its activations, its preparation, a parse of its draft): contexts
   * are kept and parsed code shared per set of options these decide, so the calls must agree on them.
   */
  public static ExecutionLimits of(Limits limits, int maxLogLines) {
    return new ExecutionLimits(limits.maxLogBytes(), maxLogLines, limits.maxResponseBytes(),
        limits.memoryMb() * 1024L * 1024L, limits.maxResponseHeaders(), limits.maxResponseHeaderBytes());
  }
}
