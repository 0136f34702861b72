package io.codesous.egress;

import java.net.InetSocketAddress;

/**
 * Sees every connection a fetch is about to open, after all checks and right before the dial.
 * Production uses {@link #NONE}; tests record dials (to prove a refusal happened before any
 * connection) and veto anything off loopback (so a regression can never send test traffic to a
 * real address).
 */
@FunctionalInterface
interface DialGuard {

  DialGuard NONE = target -> { };

  /** Throws an {@link EgressException} to stop the dial. */
  void beforeDial(InetSocketAddress target);
}
