package io.codesous.auth;

/**
 * A bearer token was refused.
 *
 * <p>Every refusal carries the same message, whatever the reason (bad signature, expired, wrong
 * issuer or audience, unknown key, refused algorithm, missing claim, not a JWT at all), so a caller
 * probing with crafted tokens learns nothing from the answer. The specific reason is written to the
 * verifier's debug log only. There is no cause and no stack trace: both would be the same for every
 * instance and could only leak detail into a log that prints them.
 *
 * <p>The HTTP layer answers it with {@code 401 CS_UNAUTHENTICATED}.
 */
public final class AuthenticationException extends RuntimeException {

  /** The one message every refused token gets. */
  public static final String MESSAGE = "invalid token";

  /** The error code of the HTTP answer. */
  public static final String ERROR_CODE = "CS_UNAUTHENTICATED";

  public AuthenticationException() {
    super(MESSAGE, null, false, false);
  }
}
