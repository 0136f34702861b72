package io.codesous.runtime;

import java.util.Objects;

/**
 * Why a {@link HostBindings} call failed. The function sees it as a rejection with an {@code Error} whose
 * {@code code} is {@link #code()} and whose {@code message} is the message, so both must be safe to show to the
 * function: no secrets, no host details.
 */
public class HostCallException extends RuntimeException {

  /** The function's manifest does not grant the capability, or the key, topic or host is outside it. */
  public static final String CAPABILITY_DENIED = "CS_CAPABILITY_DENIED";
  /** A binding failed in a way it did not describe; the function sees only this code and a generic message. */
  public static final String HOST_ERROR = "CS_HOST_ERROR";

  private final String code;

  public HostCallException(String code, String message) {
    super(Objects.requireNonNull(message, "message"), null, false, false);
    this.code = Objects.requireNonNull(code, "code");
  }

  /** A stable {@code CS_*} code the function may branch on. */
  public String code() {
    return code;
  }
}
