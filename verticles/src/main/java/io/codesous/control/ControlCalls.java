package io.codesous.control;

import io.codesous.auth.Principal;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.http.AccessControl;
import io.codesous.http.Authentication;
import io.codesous.http.JsonBodies;
import io.codesous.http.RequestIds;
import io.codesous.spec.validation.Names;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * How every control-plane request runs, in this order: the principal (already authenticated), the path parameters
 * validated, the action authorized, then the work (body validation, store calls); then, for a mutation, exactly one
 * audit event whatever the outcome; then the answer. A denial never depends on whether the resource exists, because
 * nothing is looked up before it.
 */
final class ControlCalls {

  /** What a request is about, from its validated path. */
  record Target(String tenant, String namespace, Resource resource, String notFound) {

    static Target namespace(RoutingContext ctx, Function<String, Resource> resource) {
      String tenant = Names.requireName("tenant", ctx.pathParam("tenant"));
      String namespace = Names.requireName("namespace", ctx.pathParam("namespace"));
      return new Target(tenant, namespace, resource.apply(namespace), "namespace " + namespace);
    }

    /**
     * A create in a namespace. The new resource's name is in the body, read leniently here so the audit event names
     * it; the work validates the body, after authorization.
     */
    static Target created(RoutingContext ctx, BiFunction<String, String, Resource> resource) {
      return namespace(ctx, ns -> resource.apply(ns, JsonBodies.peekName(ctx)));
    }

    static Target function(RoutingContext ctx) {
      Target scope = namespace(ctx, Resource::functions);
      String fn = Names.requireName("function", ctx.pathParam("fn"));
      return new Target(scope.tenant, scope.namespace, Resource.function(scope.namespace, fn), "function " + fn);
    }

    static Target alias(RoutingContext ctx) {
      Target function = function(ctx);
      String alias = Names.requireAlias("alias", ctx.pathParam("alias"));
      return new Target(function.tenant, function.namespace,
          Resource.alias(function.namespace, function.resource.name(), alias), function.notFound);
    }

    static Target activation(RoutingContext ctx) {
      Target scope = namespace(ctx, Resource::functions);
      String id = Names.requireId("id", ctx.pathParam("id"));
      return new Target(scope.tenant, scope.namespace, Resource.activation(scope.namespace, id), "activation " + id);
    }

    static Target secret(RoutingContext ctx) {
      Target scope = namespace(ctx, Resource::functions);
      String name = Names.requireName("name", ctx.pathParam("name"));
      return new Target(scope.tenant, scope.namespace, Resource.secret(scope.namespace, name), "secret " + name);
    }
  }

  private final AccessControl access;

  ControlCalls(AccessControl access) {
    this.access = Objects.requireNonNull(access, "access");
  }

  /**
   * For a read that answers with a stream rather than one JSON body: validates the path and authorizes the action
   * (reads are not audited). On a refusal the request is failed with it, and the result is empty.
   */
  Optional<Target> authorized(RoutingContext ctx, Action action, Function<RoutingContext, Target> target) {
    if (!action.isReadOnly()) {
      throw new IllegalArgumentException("a mutation runs through run(), which audits it: " + action.id());
    }
    try {
      Target about = target.apply(ctx);
      access.require(Authentication.principal(ctx), about.tenant(), about.resource(), action, about.notFound());
      return Optional.of(about);
    } catch (RuntimeException refused) {
      ctx.fail(refused);
      return Optional.empty();
    }
  }

  /**
   * @param target reads and validates the path; throws {@code CsException} on a bad parameter
   * @param work   the request's work once authorized; may throw {@code CsException} for a bad body
   */
  void run(RoutingContext ctx, int status, Action action, Function<RoutingContext, Target> target,
           Function<Target, Future<JsonObject>> work) {
    Principal principal = Authentication.principal(ctx);
    Target[] resolved = new Target[1];
    Future<JsonObject> result;
    try {
      resolved[0] = target.apply(ctx);
      access.require(principal, resolved[0].tenant(), resolved[0].resource(), action, resolved[0].notFound());
      result = work.apply(resolved[0]);
    } catch (RuntimeException refused) {
      result = Future.failedFuture(refused);
    }
    Target about = resolved[0];
    result
        .transform(done -> access.audit(principal, about == null ? null : about.tenant(), action,
                about == null ? null : about.resource(), RequestIds.of(ctx), done.failed() ? done.cause() : null)
            .transform(audited -> done.succeeded()
                ? Future.succeededFuture(done.result()) : Future.<JsonObject>failedFuture(done.cause())))
        .onSuccess(json -> JsonBodies.ok(ctx, status, json))
        .onFailure(ctx::fail);
  }
}
