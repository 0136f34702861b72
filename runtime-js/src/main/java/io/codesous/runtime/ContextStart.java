package io.codesous.runtime;

import java.util.Locale;

/**
 * How an activation's context started, as its record says ({@code start}):
 * <ul>
 *   <li>{@link #COLD}: created on the activation's own thread when it asked, so the activation paid for the
 *       context and for evaluating the entry module;</li>
 *   <li>{@link #PREWARMED}: created ahead of demand by the runtime's prewarm pool (its module evaluated too when
 *       the module could be prepared), used for the first time;</li>
 *   <li>{@link #WARM}: kept after an earlier successful activation of the same version ({@code isolation: warm}),
 *       module state included.</li>
 * </ul>
 */
public enum ContextStart {
  COLD, PREWARMED, WARM;

  /** The word on the wire: {@code cold}, {@code prewarmed}, {@code warm}. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static ContextStart of(GuestContext context) {
    if (context.uses() > 0) {
      return WARM;
    }
    return context.createdAhead() ? PREWARMED : COLD;
  }
}
