package io.codesous.auth.token;

import io.codesous.auth.Principal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Tokens the verifier accepted, by their exact text, each until it would be checked again: its
 * {@code exp} (plus the clock skew the verifier allows) or the cache's time to live, whichever comes
 * first. Only accepted tokens are kept, so a lookup can never turn a refusal into an acceptance, and
 * a token that differs by one character is checked in full. Bounded: the least recently used token
 * goes first. Shared by the event loops, so guarded by {@code this}; a lookup is a map access.
 */
final class AcceptedTokens {

  private record Accepted(Principal principal, long validUntilMs) {
  }

  private final int maxSize;
  private final long ttlMs;
  private final LongSupplier clockMs;
  private final LinkedHashMap<String, Accepted> byToken;

  AcceptedTokens(int maxSize, long ttlMs, LongSupplier clockMs) {
    this.maxSize = maxSize;
    this.ttlMs = ttlMs;
    this.clockMs = clockMs;
    this.byToken = new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Accepted> eldest) {
        return size() > AcceptedTokens.this.maxSize;
      }
    };
  }

  /** The principal of {@code token} if it was accepted and is not due for another check; else {@code null}. */
  synchronized Principal get(String token) {
    Accepted accepted = byToken.get(token);
    if (accepted == null) {
      return null;
    }
    if (clockMs.getAsLong() >= accepted.validUntilMs()) {
      byToken.remove(token);
      return null;
    }
    return accepted.principal();
  }

  /** Remembers an accepted token; {@code refusedFromMs} is when the verifier would start refusing it. */
  synchronized void put(String token, Principal principal, long refusedFromMs) {
    if (maxSize == 0) {
      return;
    }
    long until = Math.min(refusedFromMs, clockMs.getAsLong() + ttlMs);
    byToken.put(token, new Accepted(principal, until));
  }

  synchronized int size() {
    return byToken.size();
  }
}
