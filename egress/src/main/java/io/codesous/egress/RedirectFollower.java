package io.codesous.egress;

import java.util.HashSet;
import java.util.Set;

/**
 * Computes the request that follows a redirect, per the Fetch standard's HTTP-redirect fetch. It
 * only builds the next hop; the client then checks it like a first request, from URL parsing and
 * allow-list through DNS resolution and the address policy.
 */
final class RedirectFollower {

  private static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  private RedirectFollower() {
  }

  static boolean isRedirect(int status) {
    return REDIRECT_STATUSES.contains(status);
  }

  /**
   * The hop that follows {@code current} after a redirect response.
   *
   * <ul>
   *   <li>The Location is resolved against the current URL, so relative references work.
   *   <li>303 turns anything but GET and HEAD into a body-less GET; 301 and 302 do the same to
   *       POST (what every browser does); 307 and 308 keep method and body.
   *   <li>When the origin (scheme, host, port) changes, Authorization and Cookie stay behind:
   *       credentials for one site must not be handed to wherever it redirects.
   * </ul>
   *
   * @throws EgressException when the Location cannot be parsed or names a refused scheme
   */
  static Hop next(Hop current, int status, String location) {
    EgressUrl target = current.url().resolve(location);
    String method = current.method();
    byte[] body = current.body();
    Set<String> dropped = new HashSet<>();
    boolean toGet = (status == 303 && !method.equals("GET") && !method.equals("HEAD"))
        || ((status == 301 || status == 302) && method.equals("POST"));
    if (toGet) {
      method = "GET";
      body = null;
      dropped.addAll(OutboundHeaders.BODY_HEADERS);
    }
    if (!target.origin().equals(current.url().origin())) {
      dropped.addAll(OutboundHeaders.CREDENTIALS);
    }
    return new Hop(target, method, OutboundHeaders.without(current.headers(), dropped), body);
  }
}
