package io.codesous.spec.message;

/** Queue topic names. */
public final class Topics {

  /** InvocationRequests ({@code cs.invoke.v1}), keyed by activation id. */
  public static final String INVOKE = "cs.invoke";
  /** InvocationResults ({@code cs.results.v1}), keyed by activation id: the durable record of every result. */
  public static final String RESULTS = "cs.results";
  /** Messages no consumer could understand, with the reason. */
  public static final String INVOKE_DEAD_LETTER = "cs.invoke.dlq";

  private Topics() {
  }
}
