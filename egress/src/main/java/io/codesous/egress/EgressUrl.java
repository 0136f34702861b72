package io.codesous.egress;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * An absolute http or https URL that passed syntax checks: scheme, normalized host, port and the
 * request target to send. Parsing uses {@link URI} for the overall structure but reads the
 * authority itself, because {@code URI} gives up on hosts it does not understand (IDNs, numeric
 * IPv4 spellings) and those are exactly the ones that must be normalized, not skipped.
 */
public final class EgressUrl {

  /** Longer URLs are almost certainly abuse; the cap also bounds the IPv4 number parser's work. */
  public static final int MAX_LENGTH = 8192;

  private final String scheme;
  private final HostName host;
  private final int port;
  private final String requestTarget;

  private EgressUrl(String scheme, HostName host, int port, String requestTarget) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.requestTarget = requestTarget;
  }

  /**
   * Parses an absolute URL.
   *
   * @throws EgressException {@link EgressFailure#SCHEME_REFUSED} for anything but http and https,
   *     {@link EgressFailure#USERINFO_REFUSED} for {@code user@host}, otherwise
   *     {@link EgressFailure#INVALID_URL} or what {@link HostName#parse} throws
   */
  public static EgressUrl parse(String url) {
    if (url == null || url.isEmpty()) {
      throw invalid("the URL is empty");
    }
    if (url.length() > MAX_LENGTH) {
      throw invalid("the URL is longer than " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid("the URL is malformed");
    }
    return from(uri);
  }

  private static EgressUrl from(URI uri) {
    if (uri.getScheme() == null) {
      throw invalid("the URL must be absolute");
    }
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new EgressException(EgressFailure.SCHEME_REFUSED,
          "only http and https URLs may be fetched, not " + scheme);
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw invalid("the URL has no host");
    }
    if (authority.indexOf('@') >= 0) {
      throw new EgressException(EgressFailure.USERINFO_REFUSED,
          "URLs with credentials (user@host) are refused; send an Authorization header instead");
    }
    String rawHost;
    String rawPort;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw invalid("malformed IPv6 host");
      }
      rawHost = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw invalid("malformed authority");
      }
      rawPort = rest.isEmpty() ? "" : rest.substring(1);
    } else {
      int colon = authority.lastIndexOf(':');
      rawHost = colon < 0 ? authority : authority.substring(0, colon);
      rawPort = colon < 0 ? "" : authority.substring(colon + 1);
    }
    HostName host = HostName.parse(rawHost);
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int port = rawPort.isEmpty() ? defaultPort : parsePort(rawPort);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    return new EgressUrl(scheme, host, port, percentEncodeNonAscii(target));
  }

  /**
   * {@link URI} accepts non-ASCII characters in paths and queries; the request line must be
   * ASCII, so they are sent percent-encoded as UTF-8, as browsers do.
   */
  private static String percentEncodeNonAscii(String text) {
    if (text.chars().allMatch(c -> c < 0x80)) {
      return text;
    }
    StringBuilder encoded = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int unsigned = b & 0xff;
      if (unsigned < 0x80) {
        encoded.append((char) unsigned);
      } else {
        encoded.append('%').append(Character.toUpperCase(Character.forDigit(unsigned >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(unsigned & 0xf, 16)));
      }
    }
    return encoded.toString();
  }

  private static int parsePort(String rawPort) {
    if (rawPort.length() > 5 || !rawPort.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid("malformed port");
    }
    int port = Integer.parseInt(rawPort);
    if (port < 1 || port > 65535) {
      throw invalid("port out of range");
    }
    return port;
  }

  /**
   * Resolves a redirect's Location header against this URL (relative references included) and
   * parses the result with the same rules as the first URL.
   */
  public EgressUrl resolve(String location) {
    URI target;
    try {
      target = new URI(toString()).resolve(new URI(location.trim()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new EgressException(EgressFailure.REDIRECT_REFUSED,
          "the server redirected to a malformed Location");
    }
    if (target.toString().length() > MAX_LENGTH) {
      throw invalid("the redirect URL is longer than " + MAX_LENGTH + " characters");
    }
    return from(target);
  }

  private static EgressException invalid(String message) {
    return new EgressException(EgressFailure.INVALID_URL, message);
  }

  public String scheme() {
    return scheme;
  }

  public boolean isHttps() {
    return scheme.equals("https");
  }

  public HostName host() {
    return host;
  }

  public int port() {
    return port;
  }

  public boolean hasDefaultPort() {
    return port == (isHttps() ? 443 : 80);
  }

  /** Path and query as sent on the request line; the fragment never leaves the client. */
  public String requestTarget() {
    return requestTarget;
  }

  /** Scheme, host and port: credentials are only forwarded within one origin. */
  public String origin() {
    return scheme + "://" + host.uriForm() + (hasDefaultPort() ? "" : ":" + port);
  }

  /** The normalized URL, as reported to the function as the response's final URL. */
  @Override
  public String toString() {
    return origin() + requestTarget;
  }
}
