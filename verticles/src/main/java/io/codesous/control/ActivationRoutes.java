package io.codesous.control;

import io.codesous.auth.authz.Action;
import io.codesous.control.ControlCalls.Target;
import io.codesous.spec.error.CsException;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import static io.codesous.control.QueryParams.flag;
import static io.codesous.control.QueryParams.limit;
import static io.codesous.control.QueryParams.statusParam;

/** The activation read routes of the lifecycle API: a function's list, one record (long-polled), its logs. */
final class ActivationRoutes {

  /**
   * How often a long-poll re-reads a pending record: one small KV read per waiting client every 100 ms keeps the
   * answer within a tenth of a second of the end without loading the store.
   */
  static final long WAIT_POLL_MS = 100;
  /** The most activations one list answers. */
  static final int MAX_ACTIVATION_LIST = 200;

  private final FunctionStore functions;
  private final ActivationStore activations;
  private final ControlCalls calls;

  ActivationRoutes(FunctionStore functions, ActivationStore activations, ControlCalls calls) {
    this.functions = functions;
    this.activations = activations;
    this.calls = calls;
  }

  void mount(Router router) {
    router.get(ControlApi.BASE + "/functions/:fn/activations").handler(this::listActivations);
    router.get(ControlApi.BASE + "/activations/:id").handler(this::getActivation);
    router.get(ControlApi.BASE + "/activations/:id/logs").handler(this::getLogs);
  }

  private void listActivations(RoutingContext ctx) {
    calls.run(ctx, 200, Action.ACTIVATION_READ, Target::function, s -> {
      String fn = s.resource().name();
      int limit = limit(ctx, MAX_ACTIVATION_LIST);
      ActivationStatus status = statusParam(ctx.queryParams().get("status"));
      // a status filter looks through the newest MAX_ACTIVATION_LIST records: the list index is by time only
      return functions.get(s.tenant(), s.namespace(), fn, true)
          .compose(f -> activations.list(s.tenant(), s.namespace(), fn, status == null ? limit : MAX_ACTIVATION_LIST))
          .map(list -> new JsonObject().put("activations", new JsonArray(list.stream()
              .filter(record -> status == null || record.status() == status)
              .limit(limit)
              .map(ActivationRecord::summary).toList())));
    });
  }

  private void getActivation(RoutingContext ctx) {
    calls.run(ctx, 200, Action.ACTIVATION_READ, Target::activation, s -> {
      long waitMs = ActivationWait.parseWaitMs(ctx.queryParams().get("wait"));
      return new ActivationWait(ctx.vertx(), WAIT_POLL_MS)
          .until(() -> activations.get(s.tenant(), s.namespace(), s.resource().name()), waitMs)
          .map(ActivationRecord::toJson);
    });
  }

  private void getLogs(RoutingContext ctx) {
    boolean follow;
    try {
      follow = flag(ctx, "follow");
    } catch (CsException invalid) {
      ctx.fail(invalid);
      return;
    }
    if (follow) {
      calls.authorized(ctx, Action.ACTIVATION_READ, Target::activation).ifPresent(s ->
          new LogFollow(activations, ctx.vertx(), WAIT_POLL_MS)
              .follow(ctx, s.tenant(), s.namespace(), s.resource().name()));
      return;
    }
    calls.run(ctx, 200, Action.ACTIVATION_READ, Target::activation, s -> {
      int limit = limit(ctx, ControlApi.MAX_LIST_LIMIT, ControlApi.MAX_LIST_LIMIT);
      int from = LogCursor.parse(ctx.queryParams().get("cursor"));
      return activations.logs(s.tenant(), s.namespace(), s.resource().name(), from, limit).map(LogCursor::toApi);
    });
  }
}
