package io.codesous.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which of a function's response headers the gateway writes, and how. All functions answer from one origin, so
 * anything a browser or proxy keys on that origin is the platform's to decide:
 *
 * <ul>
 *   <li>hop-by-hop headers and {@code content-length} describe the gateway's connection, not the function's;
 *   <li>{@code x-request-id} and every {@code x-cs-*} header are the platform's: a function could otherwise answer
 *       with an activation id, status or action of its choosing;
 *   <li>a {@code Set-Cookie} loses its {@code Domain} and is scoped to the function's own web route prefix
 *       {@code /v1/web/{tenant}/{namespace}/{function}/}: with the function's own {@code Path=/v1/web/acme/} or
 *       {@code Path=/}, one tenant's function set cookies the browser then sent to another tenant's functions and to
 *       the control API. A {@code Path} inside the prefix is kept. A request routed by its host name
 *       ({@link WebHosts}) is answered from the function's own origin: there only {@code Domain} goes, since it
 *       would widen the cookie to every function host under the domain;
 *   <li>names must be HTTP tokens and values free of CR, LF and NUL, or the header could split the response.
 * </ul>
 *
 * Headers that break a rule are dropped silently, as the function contract says; cookies are rewritten.
 */
public final class ResponseHeaderRules {

  /** Headers that describe one hop's connection; a function's values for them are not forwarded. */
  private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "transfer-encoding", "te",
      "trailer", "upgrade", "proxy-authenticate", "proxy-authorization", "content-length");
  private static final String PLATFORM_PREFIX = "x-cs-";
  private static final String REQUEST_ID = "x-request-id";
  private static final String SET_COOKIE = "set-cookie";
  private static final Pattern TOKEN = Pattern.compile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$");

  /** The prefix every cookie is scoped to, or {@code null} on the function's own origin. */
  private final String cookiePath;

  private ResponseHeaderRules(String cookiePath) {
    this.cookiePath = cookiePath;
  }

  /** The rules for an answer to {@code ctx}: of the function's own origin when its host routed it. */
  static ResponseHeaderRules of(RoutingContext ctx, String tenant, String namespace, String function) {
    return WebHosts.routed(ctx) ? forOwnOrigin() : forFunction(tenant, namespace, function);
  }

  /** The rules for a function answering from a host name of its own. */
  static ResponseHeaderRules forOwnOrigin() {
    return new ResponseHeaderRules(null);
  }

  /** The rules for a function's responses; the names are the validated names of its web route. */
  public static ResponseHeaderRules forFunction(String tenant, String namespace, String function) {
    return new ResponseHeaderRules("/v1/web/" + tenant + "/" + namespace + "/" + function + "/");
  }

  /** The path every cookie of this function is scoped to (or below); {@code null} on its own origin. */
  public String cookiePath() {
    return cookiePath;
  }

  /** The headers to write, in the function's order, as name and value. */
  public List<Map.Entry<String, String>> apply(JsonObject headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (headers == null) {
      return out;
    }
    for (Map.Entry<String, Object> header : headers) {
      String name = header.getKey();
      String lower = name.toLowerCase(Locale.ROOT);
      if (HOP_BY_HOP.contains(lower) || lower.equals(REQUEST_ID) || lower.startsWith(PLATFORM_PREFIX)
          || !TOKEN.matcher(name).matches() || !(header.getValue() instanceof String value) || !safeValue(value)) {
        continue;
      }
      out.add(Map.entry(name, lower.equals(SET_COOKIE) ? scopeCookie(value) : value));
    }
    return out;
  }

  /**
   * The cookie with {@code Domain} removed and {@code Path} inside this function's prefix. The name-value pair and
   * every other attribute ({@code Expires}, {@code Max-Age}, {@code Secure}, {@code HttpOnly}, {@code SameSite}) stay
   * as the function wrote them. Attribute names are matched case-insensitively, as browsers do (RFC 6265 §5.2).
   */
  String scopeCookie(String setCookie) {
    String[] parts = setCookie.split(";", -1);
    StringBuilder out = new StringBuilder(parts[0].strip());
    String path = null;
    for (int i = 1; i < parts.length; i++) {
      String attribute = parts[i].strip();
      int eq = attribute.indexOf('=');
      String attrName = (eq < 0 ? attribute : attribute.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      if (attrName.equals("domain") || attribute.isEmpty()) {
        continue;
      }
      if (attrName.equals("path")) {
        // the last Path attribute is the one a browser applies
        path = eq < 0 ? "" : attribute.substring(eq + 1).strip();
        continue;
      }
      out.append("; ").append(attribute);
    }
    if (cookiePath == null) {
      return path == null ? out.toString() : out.append("; Path=").append(path).toString();
    }
    boolean inside = path != null && path.startsWith(cookiePath) && !path.contains("..");
    return out.append("; Path=").append(inside ? path : cookiePath).toString();
  }

  private static boolean safeValue(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) {
        return false;
      }
    }
    return true;
  }
}
