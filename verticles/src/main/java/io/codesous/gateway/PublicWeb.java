package io.codesous.gateway;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.http.Authentication;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.store.VersionMeta;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;

/**
 * Web calls without credentials. A version whose manifest says {@code "public": true} (or lists {@code "*"} in
 * {@code invoke_http_roles}) is served to them as the {@value #SUBJECT} principal of its tenant, holding no role;
 * anything else is refused exactly as a bad token is (401 {@code invalid token}), whether the function exists or
 * not, so an anonymous caller learns nothing about what is not public.
 */
final class PublicWeb {

  static final String SUBJECT = "anonymous";

  private PublicWeb() {
  }

  static CsException refusal(RoutingContext ctx) {
    ctx.response().putHeader("www-authenticate", "Bearer");
    return new CsException(ErrorCode.CS_UNAUTHENTICATED, Authentication.INVALID_TOKEN);
  }

  /** The principal an anonymous call of a public version runs as; a refusal for a version that is not public. */
  static Principal anonymous(RoutingContext ctx, String tenant, VersionMeta meta) {
    if (!meta.manifest().publicOnWeb()) {
      throw refusal(ctx);
    }
    return new Principal(SUBJECT, tenant, Set.of(), PrincipalKind.USER, null);
  }
}
