package io.codesous.control;

import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.control.ControlCalls.Target;
import io.codesous.http.JsonBodies;
import io.codesous.spec.error.CsException;
import io.codesous.spec.validation.Names;
import io.codesous.store.SecretStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.Set;

/** The secrets routes of the lifecycle API: values go in, never out. */
final class SecretRoutes {

  private final SecretStore secrets;
  private final ControlCalls calls;

  SecretRoutes(SecretStore secrets, ControlCalls calls) {
    this.secrets = secrets;
    this.calls = calls;
  }

  void mount(Router router, BodyHandler body) {
    router.post(ControlApi.BASE + "/secrets").handler(body).handler(this::createSecret);
    router.get(ControlApi.BASE + "/secrets").handler(this::listSecrets);
    router.put(ControlApi.BASE + "/secrets/:name").handler(body).handler(this::rotateSecret);
    router.delete(ControlApi.BASE + "/secrets/:name").handler(this::deleteSecret);
  }

  private void createSecret(RoutingContext ctx) {
    calls.run(ctx, 201, Action.SECRET_CREATE, c -> Target.created(c, Resource::secret), s -> {
      JsonObject body = JsonBodies.object(ctx, Set.of("name", "value"));
      String name = Names.requireName("name", body.getValue("name") instanceof String n ? n : null);
      return secrets.create(s.tenant(), s.namespace(), name, secretValue(body));
    });
  }

  private void listSecrets(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SECRET_LIST, c -> Target.namespace(c, ns -> Resource.secret(ns, null)),
        s -> secrets.list(s.tenant(), s.namespace()));
  }

  private void rotateSecret(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SECRET_ROTATE, Target::secret, s -> {
      JsonObject body = JsonBodies.object(ctx, Set.of("value"));
      return secrets.rotate(s.tenant(), s.namespace(), s.resource().name(), secretValue(body));
    });
  }

  private void deleteSecret(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SECRET_DELETE, Target::secret,
        s -> secrets.delete(s.tenant(), s.namespace(), s.resource().name()));
  }

  private static String secretValue(JsonObject body) {
    if (!(body.getValue("value") instanceof String value)) {
      throw CsException.validation("value", "must be a string");
    }
    return value;
  }
}
