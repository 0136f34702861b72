package io.codesous.gateway;

import io.codesous.spec.error.CsException;
import io.codesous.spec.model.FunctionRef;
import io.codesous.spec.validation.Names;
import io.vertx.ext.web.RoutingContext;

/**
 * What one web call names and asks for, read and checked from its request before anything is looked up: the
 * function it addresses, the path below it, whether it waits for the answer and under which idempotency key.
 * Every check here fails with {@code CS_VALIDATION_FAILED} naming the part of the request at fault.
 *
 * @param rawRef          the ref as the caller wrote it (an alias or a version number), kept for the record
 * @param proxyPath       the path below the function's own, as the function sees it
 * @param idempotencyKey  the caller's {@code Idempotency-Key}, or null
 */
record WebCall(String requestId, String tenant, String namespace, String function, String rawRef, FunctionRef ref,
               String proxyPath, AsyncPreference preference, String idempotencyKey) {

  static WebCall of(RoutingContext ctx, WebPath path, String requestId) {
    String tenant = Names.requireName("tenant", path.tenant());
    String namespace = Names.requireName("namespace", path.namespace());
    String function = Names.requireName("function", path.function());
    FunctionRef ref = FunctionRef.parse("ref", path.ref());
    return new WebCall(requestId, tenant, namespace, function, path.ref(), ref, path.proxyPath(ctx.request().path()),
        AsyncPreference.of(ctx.request()), IdempotencyKey.header(ctx.request()));
  }

}
