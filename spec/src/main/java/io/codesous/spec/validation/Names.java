package io.codesous.spec.validation;

import io.codesous.spec.error.CsException;

import java.util.regex.Pattern;

/**
 * Naming rules for path segments. Tenants, namespaces, functions and aliases share one rule:
 * lowercase letter first, then lowercase letters, digits and '-', 63 characters at most. That keeps
 * every name safe inside a KV key (no ':'), a URL segment and a log line.
 */
public final class Names {

  public static final Pattern NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");
  /** Version numbers as they appear in a ref: no sign, no leading zero. */
  public static final Pattern VERSION = Pattern.compile("^[1-9][0-9]{0,17}$");
  /** Ids we mint (activation, draft): lowercase hex and '-', 8..64 characters. */
  public static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{7,63}$");
  /** The ref that always resolves to the highest published version; not usable as an alias name. */
  public static final String LATEST = "latest";

  private Names() {
  }

  /** @throws CsException {@code CS_VALIDATION_FAILED} naming {@code field} */
  public static String requireName(String field, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw CsException.validation(field, "must match " + NAME.pattern());
    }
    return value;
  }

  public static String requireAlias(String field, String value) {
    requireName(field, value);
    if (LATEST.equals(value)) {
      throw CsException.validation(field, "'latest' is reserved");
    }
    return value;
  }

  public static String requireId(String field, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw CsException.validation(field, "is not a valid id");
    }
    return value;
  }
}
