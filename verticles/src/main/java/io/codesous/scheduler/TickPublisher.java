package io.codesous.scheduler;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.codeq.CodeQ;
import io.codesous.codeq.TypedMessage;
import io.codesous.results.ReplyRoute;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.FunctionRef;
import io.codesous.store.FunctionStore;
import io.codesous.store.LiveState;
import io.codesous.store.ScheduleSpec;
import io.codesous.store.ScheduleState.Fire;
import io.codesous.store.VersionMeta;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Turns a recorded fire into an invocation request on the invoke topic, and waits for its result on the
 * scheduler's reply route. Confined to the scheduler's event loop.
 *
 * <p>The version a schedule's ref names is resolved at most once per {@link #RESOLVED_FOR_MS} for every schedule
 * naming it: ten thousand schedules of one function ticking each second would otherwise read the function, its
 * alias and its version from the KV thirty thousand times a second. A ref moved to another version is therefore
 * followed within that time.
 */
final class TickPublisher {

  static final long RESOLVED_FOR_MS = 1_000;

  /** What a schedule's ref is resolved for; a record, so a tick's lookup builds no string. */
  private record RefKey(String tenant, String namespace, String function, String ref) {
  }

  private record Resolved(Future<VersionMeta> meta, long untilMs) {
  }

  private final FunctionStore functions;
  private final CodeQ codeq;
  private final ReplyRoute replies;
  private final String route;
  private final long markerMarginMs;
  private final LongSupplier clockMs;
  private final Map<RefKey, Resolved> resolved = new HashMap<>();

  TickPublisher(FunctionStore functions, CodeQ codeq, ReplyRoute replies, String route, long markerMarginMs,
                LongSupplier clockMs) {
    this.functions = functions;
    this.codeq = codeq;
    this.replies = replies;
    this.route = route;
    this.markerMarginMs = markerMarginMs;
    this.clockMs = clockMs;
  }

  /**
   * Publishes the run of {@code fire} of the schedule {@code owner} names, whose parsed spec is {@code spec} and
   * whose runs carry {@code runner} ({@link #servicePrincipal}); {@code ended}
   * is called once with its result, or empty when none came within the version's timeout plus the marker margin.
   * The future completes once the queue has acknowledged the request.
   */
  Future<Void> publish(LiveState.Owner owner, ScheduleSpec spec, Runner runner, Fire fire,
                       java.util.function.Consumer<Optional<InvocationResult>> ended) {
    String tenant = owner.tenant();
    String namespace = owner.namespace();
    String name = owner.name();
    return resolve(tenant, namespace, spec).compose(meta -> {
      long wait = meta.manifest().limits().timeoutMs() + markerMarginMs;
      JsonObject event = new JsonObject().put("type", Trigger.SCHEDULE)
          .put("schedule", new JsonObject().put("name", name).put("scheduled_at_ms", fire.scheduledAtMs())
              .put("fired_at_ms", fire.firedAtMs()))
          .put("payload", spec.payload());
      Trigger trigger = new Trigger(Trigger.SCHEDULE, new JsonObject().put("schedule", name)
          .put("scheduled_at_ms", fire.scheduledAtMs()));
      long now = clockMs.getAsLong();
      InvocationRequest request = new InvocationRequest(fire.activationId(), fire.activationId(), tenant,
          namespace, spec.function(), spec.ref(), meta.version(), trigger, runner.json(), event,
          now + wait, meta.manifest().limits().timeoutMs(), route, null, null, now, 1);
      replies.register(fire.activationId(), wait)
          .onComplete(result -> ended.accept(result.succeeded() ? result.result() : Optional.empty()));
      return codeq.publish(Topics.INVOKE, fire.activationId(),
              TypedMessage.of(request, MessageCodec::encode, request.heapBytes(runner.jsonBytes()))).<Void>mapEmpty()
          .onFailure(failure -> replies.cancel(fire.activationId()));
    });
  }

  private Future<VersionMeta> resolve(String tenant, String namespace, ScheduleSpec spec) {
    long now = clockMs.getAsLong();
    RefKey key = new RefKey(tenant, namespace, spec.function(), spec.ref());
    Resolved known = resolved.get(key);
    if (known != null && known.untilMs > now && !known.meta.failed()) {
      return known.meta;
    }
    if (resolved.size() > 10_000) {
      resolved.values().removeIf(r -> r.untilMs <= now);
    }
    Future<VersionMeta> meta = functions.resolve(tenant, namespace, spec.function(),
        FunctionRef.parse("ref", spec.ref()));
    resolved.put(key, new Resolved(meta, now + RESOLVED_FOR_MS));
    return meta;
  }

  /**
   * Runs carry a service principal of the scheduler with the roles of whoever last wrote the schedule (that
   * writer was checked for {@code function:invoke} then), in the schedule's tenant only.
   */
  static Principal servicePrincipal(LiveState.Owner owner, JsonObject writer) {
    JsonArray roles = writer.getJsonArray("roles", new JsonArray());
    List<String> names = new ArrayList<>();
    roles.forEach(r -> names.add(String.valueOf(r)));
    return new Principal("cs-scheduler/" + owner.namespace() + "/" + owner.name(), owner.tenant(),
        new TreeSet<>(names), PrincipalKind.SERVICE, null);
  }
}
