package io.codesous.runtime;

/**
 * Sizes the runtime enforces on {@code cs.*} calls before they reach {@link HostBindings}; a call past one rejects
 * with a {@code RangeError}. Sizes are UTF-8 bytes unless stated otherwise.
 */
public final class HostCallLimits {

  public static final int MAX_KV_KEY_BYTES = 512;
  public static final int MAX_KV_VALUE_BYTES = 1024 * 1024;
  public static final int MAX_CODEQ_TOPIC_BYTES = 256;
  /** The message as JSON. */
  public static final int MAX_CODEQ_MESSAGE_BYTES = 1024 * 1024;
  /** Characters. */
  public static final int MAX_FETCH_URL_CHARS = 8 * 1024;
  public static final int MAX_FETCH_HEADERS = 100;
  public static final int MAX_FETCH_HEADER_BYTES = 8 * 1024;
  public static final int MAX_FETCH_BODY_BYTES = 6 * 1024 * 1024;
  /** The details as JSON. */
  public static final int MAX_HEARTBEAT_DETAILS_BYTES = 256 * 1024;
  /** Calls of one activation whose promise has not settled yet. */
  public static final int MAX_PENDING_CALLS = 256;

  private HostCallLimits() {
  }
}
