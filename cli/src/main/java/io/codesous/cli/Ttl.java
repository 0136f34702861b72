package io.codesous.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Token lifetimes as people write them: a whole number and a unit, {@code 30s}, {@code 15m},
 * {@code 1h}, {@code 7d}. Capped at a year: a token cannot be recalled one by one (only by
 * replacing the signing key), so a longer lifetime is almost always a mistake.
 */
final class Ttl {

  static final Duration MAX = Duration.ofDays(365);
  private static final Pattern FORM = Pattern.compile("^([0-9]{1,9})([smhd])$");

  private Ttl() {
  }

  /** @throws IllegalArgumentException with a message saying what is accepted */
  static Duration parse(String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("expected a number and a unit (s, m, h or d), e.g. 30s, 15m, 1h, 7d; got '"
          + text + "'");
    }
    long amount = Long.parseLong(m.group(1));
    Duration ttl = switch (m.group(2)) {
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
    if (ttl.isZero()) {
      throw new IllegalArgumentException("must be longer than zero");
    }
    if (ttl.compareTo(MAX) > 0) {
      throw new IllegalArgumentException("at most " + MAX.toDays() + "d");
    }
    return ttl;
  }
}
