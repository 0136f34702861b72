package io.codesous.control;

import io.codesous.auth.Principal;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.control.ControlCalls.Target;
import io.codesous.http.AccessControl;
import io.codesous.http.Authentication;
import io.codesous.http.JsonBodies;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.FunctionRef;
import io.codesous.spec.validation.Names;
import io.codesous.store.FunctionStore;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState;
import io.codesous.store.ScheduleStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The schedules API under {@code /v1/tenants/{tenant}/namespaces/{namespace}/schedules}: create or replace, read
 * with live state, recent ticks, pause, resume, trigger, delete. Runs every request through {@link ControlCalls}
 * like the rest of the control plane (validated, authorized as {@code schedule:*}, audited). Writing a schedule
 * also requires the right to invoke its function through the {@code schedule} trigger, checked against the
 * version the ref names now; a trigger only asks the scheduler to fire, under the schedule's overlap policy.
 */
public class ScheduleApi {

  static final String BASE = ControlApi.BASE + "/schedules";

  private final ScheduleStore schedules;
  private final FunctionStore functions;
  private final AccessControl access;
  private final ControlCalls calls;
  private final ControlOptions options;
  private final LongSupplier clockMs;

  public ScheduleApi(ScheduleStore schedules, FunctionStore functions, AccessControl access, ControlOptions options,
                     LongSupplier clockMs) {
    this.schedules = Objects.requireNonNull(schedules, "schedules");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.access = Objects.requireNonNull(access, "access");
    this.options = Objects.requireNonNull(options, "options");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.calls = new ControlCalls(access);
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.getMaxBodyBytes());
    router.get(BASE).handler(this::list);
    router.put(BASE + "/:name").handler(body).handler(this::put);
    router.get(BASE + "/:name").handler(this::get);
    router.get(BASE + "/:name/ticks").handler(this::ticks);
    router.post(BASE + "/:name/pause").handler(ctx -> setEnabled(ctx, false));
    router.post(BASE + "/:name/resume").handler(ctx -> setEnabled(ctx, true));
    router.post(BASE + "/:name/trigger").handler(this::trigger);
    router.delete(BASE + "/:name").handler(this::delete);
  }

  private static Target schedule(RoutingContext ctx) {
    Target scope = Target.namespace(ctx, ns -> Resource.schedule(ns, null));
    String name = Names.requireName("name", ctx.pathParam("name"));
    return new Target(scope.tenant(), scope.namespace(), Resource.schedule(scope.namespace(), name),
        "schedule " + name);
  }

  private void put(RoutingContext ctx) {
    Principal principal = Authentication.principal(ctx);
    calls.run(ctx, 200, Action.SCHEDULE_UPDATE, ScheduleApi::schedule, s -> {
      ScheduleSpec spec = ScheduleSpec.parse(JsonBodies.object(ctx, ScheduleSpec.MEMBERS));
      access.require(principal, s.tenant(), Resource.function(s.namespace(), spec.function()),
          Action.FUNCTION_INVOKE, "function " + spec.function());
      return functions.resolve(s.tenant(), s.namespace(), spec.function(), FunctionRef.parse("ref", spec.ref()))
          .compose(meta -> {
            AccessControl.requireInvokeRole(principal, meta.manifest().invokeRoles(Trigger.SCHEDULE),
                Trigger.SCHEDULE);
            return schedules.put(s.tenant(), s.namespace(), s.resource().name(), spec, principal.toJson(),
                meta.manifest().limits().timeoutMs());
          })
          .map(doc -> ScheduleStore.view(doc, clockMs.getAsLong()));
    });
  }

  private void get(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SCHEDULE_READ, ScheduleApi::schedule,
        s -> schedules.get(s.tenant(), s.namespace(), s.resource().name())
            .map(doc -> ScheduleStore.view(doc, clockMs.getAsLong())));
  }

  private void list(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SCHEDULE_LIST, c -> Target.namespace(c, ns -> Resource.schedule(ns, null)),
        s -> schedules.list(s.tenant(), s.namespace(), ControlApi.MAX_LIST_LIMIT)
            .map(docs -> {
              // one instant for the whole page, so every schedule's markers are shown as of the same time
              long now = clockMs.getAsLong();
              return new JsonObject().put("schedules",
                  new JsonArray(docs.stream().map(doc -> ScheduleStore.view(doc, now)).toList()));
            }));
  }

  private void ticks(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SCHEDULE_READ, ScheduleApi::schedule, s -> {
      int limit = QueryParams.limit(ctx, ScheduleState.TICKS_KEPT, ScheduleState.TICKS_KEPT);
      return schedules.get(s.tenant(), s.namespace(), s.resource().name()).map(doc -> {
        List<JsonObject> all = ScheduleState.ticks(doc);
        JsonArray out = new JsonArray();
        for (int i = 0; i < Math.min(limit, all.size()); i++) {
          out.add(all.get(i));
        }
        return new JsonObject().put("ticks", out);
      });
    });
  }

  /** Pausing stops the timing; resuming restarts it from now, so the ticks of the pause are never caught up. */
  private void setEnabled(RoutingContext ctx, boolean enabled) {
    calls.run(ctx, 200, Action.SCHEDULE_UPDATE, ScheduleApi::schedule, s -> {
      long now = clockMs.getAsLong();
      return schedules.edit(s.tenant(), s.namespace(), s.resource().name(), current -> {
        JsonObject doc = current.copy();
        ScheduleSpec spec = ScheduleSpec.fromJson(doc.getJsonObject("spec")).withEnabled(enabled);
        ScheduleStore.withSpec(doc, spec).put("updated_at_ms", now);
        ScheduleState.schedule(doc.getJsonObject("state"), spec, now);
        return doc;
      }).map(doc -> ScheduleStore.view(doc, clockMs.getAsLong()));
    });
  }

  private void trigger(RoutingContext ctx) {
    calls.run(ctx, 202, Action.SCHEDULE_UPDATE, ScheduleApi::schedule, s -> {
      long now = clockMs.getAsLong();
      return schedules.edit(s.tenant(), s.namespace(), s.resource().name(), current -> {
        JsonObject doc = current.copy();
        JsonArray triggers = doc.getJsonObject("state").getJsonArray("triggers");
        if (!triggers.contains(now)) {
          triggers.add(now);
        }
        return doc;
      }).map(doc -> ScheduleStore.view(doc, now).put("triggered_at_ms", now));
    });
  }

  private void delete(RoutingContext ctx) {
    calls.run(ctx, 200, Action.SCHEDULE_DELETE, ScheduleApi::schedule,
        s -> schedules.delete(s.tenant(), s.namespace(), s.resource().name()));
  }
}
