package io.codesous.gateway;

import io.codesous.http.HttpErrors;
import io.codesous.spec.error.CsException;
import io.codesous.spec.validation.Names;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Routing by host name: {@code {function}.{namespace}.{tenant}.<suffix>/{ref}/{path}} is served as
 * {@code /v1/web/{tenant}/{namespace}/{function}/{ref}/{path}}, so each function answers from an origin of its own.
 *
 * <p>Why: on the shared origin, browsers treat all tenants' functions and the control API as one site. With a host
 * per function, a function's pages, cookies and storage are its own. Every request whose host lies under the suffix
 * is a function's: it is rerouted before any other route is tried (the token check and the web route then apply as
 * to any web request), a host under the suffix that does not name a function is 404, and no other route — the
 * control API included — is reachable on such a host.
 */
public final class WebHosts {

  /** Set on a request routed by its host name; the response rules then treat the host as the function's origin. */
  static final String ROUTED = "cs.web-host";
  private static final Pattern SUFFIX = Pattern.compile("^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$");

  private final String dottedSuffix;

  /** @param suffix the domain under which function host names live, e.g. {@code fn.example.com} */
  public WebHosts(String suffix) {
    requireSuffix(suffix);
    this.dottedSuffix = "." + suffix;
  }

  /** @throws IllegalArgumentException unless {@code suffix} is a lower-case DNS name of at least two labels */
  static String requireSuffix(String suffix) {
    if (suffix == null || !SUFFIX.matcher(suffix).matches()) {
      throw new IllegalArgumentException("webHostSuffix must be a lower-case DNS name such as fn.example.com, got "
          + suffix);
    }
    return suffix;
  }

  /** Whether {@code ctx} reached the web route through its host name. */
  static boolean routed(RoutingContext ctx) {
    return Boolean.TRUE.equals(ctx.get(ROUTED));
  }

  /** Tries this before every other route of {@code router}. */
  void mount(Router router) {
    router.route().order(Integer.MIN_VALUE).handler(this::route);
  }

  private void route(RoutingContext ctx) {
    if (routed(ctx)) {
      ctx.next(); // the reroute below starts the routing over
      return;
    }
    HostAndPort authority = ctx.request().authority();
    String host = authority == null ? null : authority.host().toLowerCase(Locale.ROOT);
    if (host == null || !host.endsWith(dottedSuffix)) {
      ctx.next();
      return;
    }
    String[] labels = host.substring(0, host.length() - dottedSuffix.length()).split("\\.", -1);
    if (labels.length != 3 || !Names.NAME.matcher(labels[0]).matches() || !Names.NAME.matcher(labels[1]).matches()
        || !Names.NAME.matcher(labels[2]).matches()) {
      HttpErrors.send(ctx, CsException.notFound("function host " + host));
      return;
    }
    ctx.put(ROUTED, true);
    String query = ctx.request().query();
    ctx.reroute("/v1/web/" + labels[2] + "/" + labels[1] + "/" + labels[0] + ctx.request().path()
        + (query == null ? "" : "?" + query));
  }
}
