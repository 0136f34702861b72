package io.codesous.gateway;

import io.codesous.spec.error.CsException;
import io.vertx.core.http.HttpServerRequest;

import java.util.Locale;

/**
 * Whether a web call asks to be answered at once instead of waiting for the function: {@code x-cs-async: true}, or
 * the RFC 7240 preference {@code Prefer: respond-async} (among other preferences, any case, parameters ignored).
 * A malformed {@code x-cs-async} is refused rather than read as "wait", so a caller never waits by surprise.
 */
enum AsyncPreference {
  WAIT, RESPOND_ASYNC;

  static final String ASYNC_HEADER = "x-cs-async";
  /** RFC 7240 §3: tells the caller which preference was honoured. */
  static final String APPLIED_HEADER = "preference-applied";

  static AsyncPreference of(HttpServerRequest request) {
    String flag = request.getHeader(ASYNC_HEADER);
    if (flag != null) {
      switch (flag.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> {
          return RESPOND_ASYNC;
        }
        case "false" -> {
          // an explicit "false" still lets Prefer decide
        }
        default -> throw CsException.validation(ASYNC_HEADER, "must be true or false");
      }
    }
    for (String prefer : request.headers().getAll("prefer")) {
      for (String preference : prefer.split(",")) {
        String token = preference.split(";", 2)[0].trim();
        if (token.equalsIgnoreCase("respond-async")) {
          return RESPOND_ASYNC;
        }
      }
    }
    return WAIT;
  }
}
