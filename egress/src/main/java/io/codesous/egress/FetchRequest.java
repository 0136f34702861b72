package io.codesous.egress;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One fetch as the function asked for it, unchecked: the {@link EgressClient} validates the URL,
 * method, headers and body against its options and fails the fetch with an
 * {@link EgressException} instead of throwing here, so every refusal reaches the function the
 * same way.
 */
public final class FetchRequest {

  private final String url;
  private final String method;
  private final List<Map.Entry<String, String>> headers;
  private final byte[] body;
  private final RedirectMode redirectMode;
  private final long timeoutMs;

  private FetchRequest(Builder builder) {
    this.url = builder.url;
    this.method = builder.method;
    this.headers = List.copyOf(builder.headers);
    this.body = builder.body;
    this.redirectMode = builder.redirectMode;
    this.timeoutMs = builder.timeoutMs;
  }

  /** A GET of the URL with no headers. */
  public static FetchRequest get(String url) {
    return builder(url).build();
  }

  public static Builder builder(String url) {
    return new Builder(url);
  }

  public String url() {
    return url;
  }

  /** The method as given; matched case-insensitively against the allowed methods. */
  public String method() {
    return method;
  }

  /** Headers in the order given, duplicates included. */
  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  /** The body, or {@code null} for none. */
  public byte[] body() {
    return body == null ? null : body.clone();
  }

  int bodyLength() {
    return body == null ? 0 : body.length;
  }

  byte[] bodyUnsafe() {
    return body;
  }

  public RedirectMode redirectMode() {
    return redirectMode;
  }

  /**
   * A deadline of the function's own (its remaining time budget, say), or 0 for none. The fetch
   * ends at whichever comes first, this or the client's total timeout.
   */
  public long timeoutMs() {
    return timeoutMs;
  }

  public static final class Builder {
    private final String url;
    private String method = "GET";
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private byte[] body;
    private RedirectMode redirectMode = RedirectMode.FOLLOW;
    private long timeoutMs;

    private Builder(String url) {
      this.url = Objects.requireNonNull(url, "url");
    }

    public Builder method(String method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    /** Adds a header; repeated names are sent as repeated headers. */
    public Builder header(String name, String value) {
      headers.add(new AbstractMap.SimpleImmutableEntry<>(
          Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value")));
      return this;
    }

    public Builder headers(Map<String, String> headers) {
      headers.forEach(this::header);
      return this;
    }

    /** The body to send, copied; {@code null} for none. */
    public Builder body(byte[] body) {
      this.body = body == null ? null : body.clone();
      return this;
    }

    public Builder redirect(RedirectMode redirectMode) {
      this.redirectMode = Objects.requireNonNull(redirectMode, "redirectMode");
      return this;
    }

    public Builder timeoutMs(long timeoutMs) {
      if (timeoutMs < 0) {
        throw new IllegalArgumentException("timeoutMs may not be negative");
      }
      this.timeoutMs = timeoutMs;
      return this;
    }

    public FetchRequest build() {
      return new FetchRequest(this);
    }
  }
}
