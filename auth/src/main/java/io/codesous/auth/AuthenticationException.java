package io.codesous.auth;

/**
 * A bearer token was refused.
 *
 * <p>Every refusal carries the same message, whatever the reason (bad signature, expired, wrong
 * issuer or audience, unknown key, refused algorithm, missing claim, not a JWT at all), so a caller
 * probing with crafted tokens learns nothing from the answer. The specific reason travels apart from
 * the message, in {@link #reason()}, for the server's own log (with the request id), never for the
 * caller. There is no cause and no stack trace: both would be the same for every instance and could
 * only leak detail into a log that prints them.
 *
 * <p>The HTTP layer answers it with {@code 401 CS_UNAUTHENTICATED}.
 */
public final class AuthenticationException extends RuntimeException {

  /** The one message every refused token gets. */
  public static final String MESSAGE = "invalid token";

  /** The error code of the HTTP answer. */
  public static final String ERROR_CODE = "CS_UNAUTHENTICATED";

  private final String reason;

  public AuthenticationException() {
    this("unspecified");
  }

  /** @param reason why the token was refused, for operators (e.g. {@code expired at 2026-12-03T20:00:00Z}) */
  public AuthenticationException(String reason) {
    super(MESSAGE, null, false, false);
    this.reason = reason;
  }

  /** Why the token was refused: for the server's log only, never for the caller's answer. */
  public String reason() {
    return reason;
  }
}
