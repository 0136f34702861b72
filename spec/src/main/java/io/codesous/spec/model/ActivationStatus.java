package io.codesous.spec.model;

import io.codesous.spec.error.ErrorCode;

/**
 * Where an activation is; all but the first two are terminal. {@code expired}: the request waited in the queue
 * past the invoker's maximum age (its caller had long stopped waiting), so the function was not run.
 * {@code cancelled}: it was stopped on request (the cancel endpoint, or Cadence cancelling its activity).
 */
public enum ActivationStatus {
  QUEUED("queued", null),
  RUNNING("running", null),
  SUCCESS("success", null),
  ERROR("error", ErrorCode.CS_RUNTIME_EXCEPTION),
  TIMEOUT("timeout", ErrorCode.CS_TIMEOUT),
  MEMORY_LIMIT("memory_limit", ErrorCode.CS_MEMORY_LIMIT),
  EXPIRED("expired", ErrorCode.CS_EXPIRED),
  CANCELLED("cancelled", ErrorCode.CS_CANCELLED);

  private final String wire;
  private final ErrorCode defaultError;

  ActivationStatus(String wire, ErrorCode defaultError) {
    this.wire = wire;
    this.defaultError = defaultError;
  }

  public String wire() {
    return wire;
  }

  public boolean terminal() {
    return this != QUEUED && this != RUNNING;
  }

  /** The catalog code a failed activation of this status carries by default. */
  public ErrorCode defaultError() {
    return defaultError;
  }

  public static ActivationStatus fromWire(String wire) {
    for (ActivationStatus s : values()) {
      if (s.wire.equals(wire)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown activation status: " + wire);
  }
}
