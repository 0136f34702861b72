package io.codesous.egress;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The final response of a fetch, its body complete and within the size cap. */
public final class FetchResponse {

  private final int status;
  private final String statusText;
  private final Map<String, List<String>> headers;
  private final byte[] body;
  private final String url;
  private final int redirectCount;

  FetchResponse(int status, String statusText, Map<String, List<String>> headers, byte[] body,
      String url, int redirectCount) {
    this.status = status;
    this.statusText = statusText;
    this.headers = headers;
    this.body = body;
    this.url = url;
    this.redirectCount = redirectCount;
  }

  public int status() {
    return status;
  }

  /** The reason phrase the server sent, e.g. "OK"; may be empty. */
  public String statusText() {
    return statusText;
  }

  /** Headers by lower-case name, values in the order received; iteration in arrival order. */
  public Map<String, List<String>> headers() {
    return headers;
  }

  /** All values of a header joined with ", " as the Fetch standard's Headers.get does, or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null ? null : String.join(", ", values);
  }

  public List<String> headerValues(String name) {
    return headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
  }

  public byte[] body() {
    return body.clone();
  }

  public String bodyAsString() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The URL of the response, after redirects, normalized. */
  public String url() {
    return url;
  }

  public int redirectCount() {
    return redirectCount;
  }

  public boolean redirected() {
    return redirectCount > 0;
  }

  @Override
  public String toString() {
    return "FetchResponse{" + status + " " + url + ", " + body.length + " bytes}";
  }
}
