package io.codesous.egress;

/**
 * The stable codes a failed fetch carries back to the function. The names are the platform's
 * error catalog names, so the invoker can surface them unchanged; functions key on the code, never
 * on the message.
 */
public enum EgressErrorCode {
  /** The manifest's allow-list or the address policy forbids this destination. */
  CS_CAPABILITY_DENIED,
  /** The request itself is malformed: unparseable URL, unknown method, illegal header. */
  CS_VALIDATION_FAILED,
  /** The request body or headers, or the response body, exceed their caps. */
  CS_PAYLOAD_TOO_LARGE,
  /** The fetch did not finish within its overall deadline, or a connection took too long. */
  CS_TIMEOUT,
  /** The destination could not be reached or misbehaved: DNS failure, refused connection, TLS. */
  CS_UNAVAILABLE
}
