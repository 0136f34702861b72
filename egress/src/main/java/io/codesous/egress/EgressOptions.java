package io.codesous.egress;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/** Limits of outbound fetches, the same for every function on a node. */
public class EgressOptions {

  /** Long enough for a distant server's handshake, short enough to leave room for the response. */
  public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

  /**
   * One deadline for the whole fetch: DNS, connecting, every redirect hop and reading the body. A
   * function can never hold a connection longer than this, whatever the server does.
   */
  public static final long DEFAULT_TOTAL_TIMEOUT_MS = 10_000;

  /** Matches the largest response a function may return, so a fetched body can be passed on. */
  public static final long DEFAULT_MAX_RESPONSE_BYTES = 6L * 1024 * 1024;

  public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 6L * 1024 * 1024;

  /** What browsers would consider a very long chain; real APIs redirect once or twice. */
  public static final int DEFAULT_MAX_REDIRECTS = 5;

  public static final int DEFAULT_MAX_REQUEST_HEADERS = 64;

  /** Sum of header name and value lengths; servers commonly reject more than 8 to 16 KiB. */
  public static final int DEFAULT_MAX_REQUEST_HEADER_BYTES = 16 * 1024;

  /**
   * No port restriction by default: the address policy is the control, and public services run on
   * all sorts of ports. Operators who want one list the ports here.
   */
  public static final Set<Integer> DEFAULT_ALLOWED_PORTS = Set.of();

  private long connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS;
  private long totalTimeoutMs = DEFAULT_TOTAL_TIMEOUT_MS;
  private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
  private long maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
  private int maxRedirects = DEFAULT_MAX_REDIRECTS;
  private int maxRequestHeaders = DEFAULT_MAX_REQUEST_HEADERS;
  private int maxRequestHeaderBytes = DEFAULT_MAX_REQUEST_HEADER_BYTES;
  private Set<Integer> allowedPorts = DEFAULT_ALLOWED_PORTS;

  public EgressOptions() {
  }

  public EgressOptions(EgressOptions other) {
    this.connectTimeoutMs = other.connectTimeoutMs;
    this.totalTimeoutMs = other.totalTimeoutMs;
    this.maxResponseBytes = other.maxResponseBytes;
    this.maxRequestBodyBytes = other.maxRequestBodyBytes;
    this.maxRedirects = other.maxRedirects;
    this.maxRequestHeaders = other.maxRequestHeaders;
    this.maxRequestHeaderBytes = other.maxRequestHeaderBytes;
    this.allowedPorts = other.allowedPorts;
  }

  public EgressOptions(JsonObject json) {
    setConnectTimeoutMs(json.getLong("connectTimeoutMs", DEFAULT_CONNECT_TIMEOUT_MS));
    setTotalTimeoutMs(json.getLong("totalTimeoutMs", DEFAULT_TOTAL_TIMEOUT_MS));
    setMaxResponseBytes(json.getLong("maxResponseBytes", DEFAULT_MAX_RESPONSE_BYTES));
    setMaxRequestBodyBytes(json.getLong("maxRequestBodyBytes", DEFAULT_MAX_REQUEST_BODY_BYTES));
    setMaxRedirects(json.getInteger("maxRedirects", DEFAULT_MAX_REDIRECTS));
    setMaxRequestHeaders(json.getInteger("maxRequestHeaders", DEFAULT_MAX_REQUEST_HEADERS));
    setMaxRequestHeaderBytes(
        json.getInteger("maxRequestHeaderBytes", DEFAULT_MAX_REQUEST_HEADER_BYTES));
    JsonArray ports = json.getJsonArray("allowedPorts");
    if (ports != null) {
      Set<Integer> parsed = new TreeSet<>();
      for (int i = 0; i < ports.size(); i++) {
        parsed.add(ports.getInteger(i));
      }
      setAllowedPorts(parsed);
    }
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("connectTimeoutMs", connectTimeoutMs)
        .put("totalTimeoutMs", totalTimeoutMs)
        .put("maxResponseBytes", maxResponseBytes)
        .put("maxRequestBodyBytes", maxRequestBodyBytes)
        .put("maxRedirects", maxRedirects)
        .put("maxRequestHeaders", maxRequestHeaders)
        .put("maxRequestHeaderBytes", maxRequestHeaderBytes)
        .put("allowedPorts", new JsonArray(new ArrayList<>(new TreeSet<>(allowedPorts))));
  }

  /** How long establishing one connection (TCP and TLS) may take, capped by the deadline. */
  public long getConnectTimeoutMs() {
    return connectTimeoutMs;
  }

  public EgressOptions setConnectTimeoutMs(long connectTimeoutMs) {
    this.connectTimeoutMs = positive("connectTimeoutMs", connectTimeoutMs);
    return this;
  }

  /** The overall deadline of one fetch, across all redirect hops. */
  public long getTotalTimeoutMs() {
    return totalTimeoutMs;
  }

  public EgressOptions setTotalTimeoutMs(long totalTimeoutMs) {
    this.totalTimeoutMs = positive("totalTimeoutMs", totalTimeoutMs);
    return this;
  }

  /** The largest response body kept; a larger one aborts the connection as soon as it shows. */
  public long getMaxResponseBytes() {
    return maxResponseBytes;
  }

  public EgressOptions setMaxResponseBytes(long maxResponseBytes) {
    if (maxResponseBytes < 0 || maxResponseBytes > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("maxResponseBytes must be between 0 and 2 GiB");
    }
    this.maxResponseBytes = maxResponseBytes;
    return this;
  }

  public long getMaxRequestBodyBytes() {
    return maxRequestBodyBytes;
  }

  public EgressOptions setMaxRequestBodyBytes(long maxRequestBodyBytes) {
    if (maxRequestBodyBytes < 0) {
      throw new IllegalArgumentException("maxRequestBodyBytes may not be negative");
    }
    this.maxRequestBodyBytes = maxRequestBodyBytes;
    return this;
  }

  /** How many redirects one fetch follows; the next one fails the fetch. */
  public int getMaxRedirects() {
    return maxRedirects;
  }

  public EgressOptions setMaxRedirects(int maxRedirects) {
    if (maxRedirects < 0 || maxRedirects > 20) {
      throw new IllegalArgumentException("maxRedirects must be between 0 and 20");
    }
    this.maxRedirects = maxRedirects;
    return this;
  }

  public int getMaxRequestHeaders() {
    return maxRequestHeaders;
  }

  public EgressOptions setMaxRequestHeaders(int maxRequestHeaders) {
    if (maxRequestHeaders < 0) {
      throw new IllegalArgumentException("maxRequestHeaders may not be negative");
    }
    this.maxRequestHeaders = maxRequestHeaders;
    return this;
  }

  public int getMaxRequestHeaderBytes() {
    return maxRequestHeaderBytes;
  }

  public EgressOptions setMaxRequestHeaderBytes(int maxRequestHeaderBytes) {
    if (maxRequestHeaderBytes < 0) {
      throw new IllegalArgumentException("maxRequestHeaderBytes may not be negative");
    }
    this.maxRequestHeaderBytes = maxRequestHeaderBytes;
    return this;
  }

  /** Ports a fetch may connect to; empty means any port. */
  public Set<Integer> getAllowedPorts() {
    return allowedPorts;
  }

  public EgressOptions setAllowedPorts(Collection<Integer> allowedPorts) {
    for (Integer port : allowedPorts) {
      if (port == null || port < 1 || port > 65535) {
        throw new IllegalArgumentException("allowedPorts holds an invalid port: " + port);
      }
    }
    this.allowedPorts = Set.copyOf(allowedPorts);
    return this;
  }

  private static long positive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof EgressOptions && toJson().equals(((EgressOptions) other).toJson());
  }

  @Override
  public int hashCode() {
    return toJson().hashCode();
  }

  @Override
  public String toString() {
    return "EgressOptions" + toJson().encode();
  }
}
