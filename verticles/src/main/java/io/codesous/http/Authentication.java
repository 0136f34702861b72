package io.codesous.http;

import io.codesous.auth.AuthenticationException;
import io.codesous.auth.Principal;
import io.codesous.auth.token.TokenVerifier;
import io.codesous.observe.AuthMeters;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * The first handler of every API route: turns {@code Authorization: Bearer <token>} into a {@link Principal} kept on
 * the routing context, or ends the request with 401 {@code CS_UNAUTHENTICATED}. Every refusal has the same body,
 * message {@code invalid token}, whatever was wrong with the token, so a caller cannot probe which check failed;
 * the real reason (expired, wrong key id, bad signature, wrong audience, missing header...) goes to the log with the
 * request id, so the operator the caller quotes the request id to can tell them.
 */
public final class Authentication implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
  static final String PRINCIPAL_KEY = "cs.principal";
  /** The web route, where a version may be public ({@code "public": true} in its manifest). */
  static final String WEB_PREFIX = "/v1/web/";
  public static final String INVALID_TOKEN = "invalid token";

  private final TokenVerifier verifier;
  private final AuthMeters meters;

  public Authentication(TokenVerifier verifier) {
    this(verifier, AuthMeters.NONE);
  }

  public Authentication(TokenVerifier verifier, AuthMeters meters) {
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.meters = Objects.requireNonNull(meters, "meters");
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (ctx.request().getHeader("authorization") == null && ctx.normalizedPath().startsWith(WEB_PREFIX)) {
      // a web call without credentials goes on without a principal: the gateway serves it only when the version
      // it resolves is public, and answers everything else as if the token were refused
      ctx.next();
      return;
    }
    Future<Principal> verified = verifier.verifyAuthorizationHeader(ctx.request().getHeader("authorization"));
    if (verified.isComplete()) {
      // Tokens signed by a known key are checked at once: the common path, with nothing to pause.
      proceed(ctx, verified);
      return;
    }
    // Fetching the key set takes a while: hold the body back until a body handler, if any, is in place.
    ctx.request().pause();
    verified.onComplete(done -> {
      proceed(ctx, verified);
      if (!ctx.request().isEnded()) {
        ctx.request().resume();
      }
    });
  }

  private void proceed(RoutingContext ctx, Future<Principal> verified) {
    if (verified.succeeded()) {
      ctx.put(PRINCIPAL_KEY, verified.result());
      ctx.next();
    } else {
      String reason = verified.cause() instanceof AuthenticationException refused ? refused.reason()
          : String.valueOf(verified.cause());
      LOG.info("request {} {} {}: token refused: {}", RequestIds.of(ctx), ctx.request().method(),
          ctx.request().path(), reason);
      if (ctx.request().getHeader("authorization") == null) {
        meters.missingToken();
      } else {
        meters.invalidToken();
      }
      ctx.response().putHeader("www-authenticate", "Bearer");
      ctx.fail(new CsException(ErrorCode.CS_UNAUTHENTICATED, INVALID_TOKEN));
    }
  }

  /**
   * The authenticated principal, or {@code null} for a web call that came without credentials (see
   * {@link #handle}); only the gateway, which decides by the version, asks this.
   */
  public static Principal principalIfAny(RoutingContext ctx) {
    return ctx.get(PRINCIPAL_KEY);
  }

  /** The authenticated principal of a request that passed this handler. */
  public static Principal principal(RoutingContext ctx) {
    Principal principal = ctx.get(PRINCIPAL_KEY);
    if (principal == null) {
      throw new IllegalStateException("route " + ctx.normalizedPath() + " is not behind authentication");
    }
    return principal;
  }
}
