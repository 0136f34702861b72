package io.codesous.egress;

/**
 * Why a fetch failed, one step finer than {@link EgressErrorCode}. The code is what the function
 * sees and keys on; the failure is for operators, logs and tests, which need to tell apart, say, a
 * host missing from the allow-list from an address refused after DNS resolution.
 */
public enum EgressFailure {
  INVALID_URL(EgressErrorCode.CS_VALIDATION_FAILED),
  INVALID_METHOD(EgressErrorCode.CS_VALIDATION_FAILED),
  INVALID_HEADER(EgressErrorCode.CS_VALIDATION_FAILED),
  /** GET and HEAD carry no body, as in the Fetch standard. */
  BODY_NOT_ALLOWED(EgressErrorCode.CS_VALIDATION_FAILED),

  SCHEME_REFUSED(EgressErrorCode.CS_CAPABILITY_DENIED),
  /** {@code http://user:pass@host}: credentials in the URL are a classic allow-list confusion. */
  USERINFO_REFUSED(EgressErrorCode.CS_CAPABILITY_DENIED),
  HOST_NOT_ALLOWED(EgressErrorCode.CS_CAPABILITY_DENIED),
  /** A literal or resolved address falls in a refused range. */
  ADDRESS_REFUSED(EgressErrorCode.CS_CAPABILITY_DENIED),
  PORT_REFUSED(EgressErrorCode.CS_CAPABILITY_DENIED),

  REQUEST_TOO_LARGE(EgressErrorCode.CS_PAYLOAD_TOO_LARGE),
  RESPONSE_TOO_LARGE(EgressErrorCode.CS_PAYLOAD_TOO_LARGE),

  /** The overall deadline of the fetch, across every redirect hop, passed. */
  DEADLINE_EXCEEDED(EgressErrorCode.CS_TIMEOUT),
  CONNECT_TIMEOUT(EgressErrorCode.CS_TIMEOUT),

  DNS_FAILURE(EgressErrorCode.CS_UNAVAILABLE),
  CONNECTION_FAILED(EgressErrorCode.CS_UNAVAILABLE),
  TLS_FAILURE(EgressErrorCode.CS_UNAVAILABLE),
  /** The connection broke after it was established, before the response was complete. */
  CONNECTION_LOST(EgressErrorCode.CS_UNAVAILABLE),
  TOO_MANY_REDIRECTS(EgressErrorCode.CS_UNAVAILABLE),
  /** A redirect whose Location cannot be parsed, or a redirect under {@link RedirectMode#ERROR}. */
  REDIRECT_REFUSED(EgressErrorCode.CS_UNAVAILABLE),
  /** The client was closed before or during the fetch. */
  CLIENT_CLOSED(EgressErrorCode.CS_UNAVAILABLE),
  /** The caller gave up on the fetch (its activation ended); nobody is left to see the answer. */
  CANCELLED(EgressErrorCode.CS_UNAVAILABLE);

  private final EgressErrorCode code;

  EgressFailure(EgressErrorCode code) {
    this.code = code;
  }

  public EgressErrorCode code() {
    return code;
  }
}
