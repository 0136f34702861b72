package io.codesous.runtime;

/**
 * What {@link JsRuntime#warmUp()} did.
 *
 * @param roundsRun      rounds that ran to their end
 * @param roundsAsked    {@link RuntimeOptions#getWarmUpRounds()}
 * @param elapsedMs      from the first round's start to the last one's end
 * @param stoppedBecause why it stopped before {@code roundsAsked} rounds, for the operator's log: a function's
 *                       activation or preparation began (which warms the JVM itself, and should not share its
 *                       cores with a warm-up), a round did not succeed, or the runtime closed; {@code null} when
 *                       every round ran
 */
public record WarmUpOutcome(int roundsRun, int roundsAsked, long elapsedMs, String stoppedBecause) {

  /** Whether every round asked for ran. */
  public boolean complete() {
    return stoppedBecause == null;
  }
}
