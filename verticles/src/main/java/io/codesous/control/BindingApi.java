package io.codesous.control;

import io.codesous.auth.Principal;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.control.ControlCalls.Target;
import io.codesous.http.AccessControl;
import io.codesous.http.Authentication;
import io.codesous.http.JsonBodies;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.FunctionRef;
import io.codesous.spec.validation.Names;
import io.codesous.store.BindingSpec;
import io.codesous.store.BindingStore;
import io.codesous.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Cadence worker bindings API under {@code /v1/tenants/{tenant}/namespaces/{namespace}/bindings}: create or
 * replace, read, list, delete. Runs every request through {@link ControlCalls} (validated, authorized as
 * {@code binding:*}, audited). Writing a binding requires that every function of its {@code activity_map} exists
 * with the ref it names ({@code CS_NOT_FOUND} otherwise) and that the writer may invoke it. Each change is
 * announced on {@link Topics#BINDINGS_CHANGED}, so pollers start, restart or stop its loops at once.
 */
public class BindingApi {

  static final String BASE = ControlApi.BASE + "/bindings";

  private final BindingStore bindings;
  private final FunctionStore functions;
  private final AccessControl access;
  private final ControlOptions options;
  private final EventBus eventBus;
  private final ControlCalls calls;

  public BindingApi(BindingStore bindings, FunctionStore functions, AccessControl access, ControlOptions options,
                    EventBus eventBus) {
    this.bindings = Objects.requireNonNull(bindings, "bindings");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.access = Objects.requireNonNull(access, "access");
    this.options = Objects.requireNonNull(options, "options");
    this.eventBus = Objects.requireNonNull(eventBus, "eventBus");
    this.calls = new ControlCalls(access);
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.getMaxBodyBytes());
    router.get(BASE).handler(this::list);
    router.put(BASE + "/:name").handler(body).handler(this::put);
    router.get(BASE + "/:name").handler(this::get);
    router.delete(BASE + "/:name").handler(this::delete);
  }

  private static Target binding(RoutingContext ctx) {
    Target scope = Target.namespace(ctx, ns -> Resource.binding(ns, null));
    String name = Names.requireName("name", ctx.pathParam("name"));
    return new Target(scope.tenant(), scope.namespace(), Resource.binding(scope.namespace(), name),
        "binding " + name);
  }

  private void put(RoutingContext ctx) {
    Principal principal = Authentication.principal(ctx);
    calls.run(ctx, 200, Action.BINDING_UPDATE, BindingApi::binding, b -> {
      BindingSpec spec = BindingSpec.parse(JsonBodies.object(ctx, BindingSpec.MEMBERS), b.resource().name());
      List<Future<?>> checks = new ArrayList<>();
      spec.activityMap().forEach((type, target) -> {
        access.require(principal, b.tenant(), Resource.function(b.namespace(), target.function()),
            Action.FUNCTION_INVOKE, "function " + target.function());
        checks.add(functions.resolve(b.tenant(), b.namespace(), target.function(),
            FunctionRef.parse("activity_map." + type, target.ref())));
      });
      return Future.all(checks)
          .compose(found -> bindings.put(b.tenant(), b.namespace(), b.resource().name(), spec, principal.toJson()))
          .map(doc -> announced(doc, b));
    });
  }

  private void get(RoutingContext ctx) {
    calls.run(ctx, 200, Action.BINDING_READ, BindingApi::binding,
        b -> bindings.get(b.tenant(), b.namespace(), b.resource().name()).map(BindingStore::view));
  }

  private void list(RoutingContext ctx) {
    calls.run(ctx, 200, Action.BINDING_LIST, c -> Target.namespace(c, ns -> Resource.binding(ns, null)),
        b -> bindings.list(b.tenant(), b.namespace(), ControlApi.MAX_LIST_LIMIT)
            .map(docs -> new JsonObject().put("bindings",
                new JsonArray(docs.stream().map(BindingStore::view).toList()))));
  }

  private void delete(RoutingContext ctx) {
    calls.run(ctx, 200, Action.BINDING_DELETE, BindingApi::binding,
        b -> bindings.delete(b.tenant(), b.namespace(), b.resource().name()).map(out -> announced(out, b)));
  }

  private JsonObject announced(JsonObject doc, Target b) {
    eventBus.publish(Topics.BINDINGS_CHANGED, b.tenant() + ":" + b.namespace() + ":" + b.resource().name());
    return doc.containsKey("spec") ? BindingStore.view(doc) : doc;
  }
}
