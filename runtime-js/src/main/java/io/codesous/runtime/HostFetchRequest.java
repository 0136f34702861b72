package io.codesous.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code cs.http.fetch(url, init)} asks for, already validated for type and size by the runtime (not for
 * which hosts may be reached: that is the binding's job).
 *
 * @param url     as the function gave it
 * @param method  upper-cased HTTP method token, {@code GET} by default
 * @param headers header name (lower-cased) to value
 * @param body    request body; empty when there is none
 * @param remainingMs the activation's time left when the function made the call: the binding should not let the
 *                    fetch outlive it (the activation's end also cancels the call's stage)
 */
public record HostFetchRequest(String url, String method, Map<String, String> headers, byte[] body,
                               long remainingMs) {
  public HostFetchRequest {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    headers = Map.copyOf(headers);
    Objects.requireNonNull(body, "body");
  }

  /** This request with {@code extra} headers (lower-case names) over its own of the same name. */
  public HostFetchRequest withHeaders(Map<String, String> extra) {
    if (extra.isEmpty()) {
      return this;
    }
    Map<String, String> merged = new LinkedHashMap<>(headers);
    merged.putAll(extra);
    return new HostFetchRequest(url, method, merged, body, remainingMs);
  }
}
