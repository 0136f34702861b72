package io.codesous.runtime;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The answer to a {@link HostFetchRequest}. The function sees the headers with lower-cased names, repeated values
 * joined with {@code ", "}.
 *
 * @param status  HTTP status code
 * @param headers header name to its values
 * @param body    response body, possibly empty
 * @param url     the final URL, after redirects
 */
public record HostFetchResponse(int status, Map<String, List<String>> headers, byte[] body, String url) {
  public HostFetchResponse {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(url, "url");
  }
}
