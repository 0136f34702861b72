package io.codesous.platform;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.authz.Authorizer;
import io.codesous.auth.authz.RolePolicy;
import io.codesous.auth.secret.SecretBox;
import io.codesous.codeq.CodeQ;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.control.DraftDecoder;
import io.codesous.egress.EgressClient;
import io.codesous.gateway.HttpEvents;
import io.codesous.gateway.ResponseHeaderRules;
import io.codesous.gateway.WebAnswer;
import io.codesous.invoker.Invoker;
import io.codesous.invoker.host.HostServices;
import io.codesous.kv.KvStore;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.observe.ActivationMeters;
import io.codesous.observe.EgressMeters;
import io.codesous.observe.Tracing;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.ModuleCheck;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.FunctionRef;
import io.codesous.spec.validation.Names;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.SecretStore;
import io.codesous.store.VersionMeta;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The composition of {@code cs run}: a function's bundle run once in this process, with no server. The draft goes
 * through the lifecycle API's own {@link DraftDecoder} (manifest schema, bundle limits, modules that load), the call
 * becomes the event the gateway builds ({@link HttpEvents}), the activation is run by the invoker's own run of a
 * request ({@link Invoker#run}: limits, deadline watchdog, memory budget, logs, terminal record), and the result
 * becomes the answer the gateway would write ({@link WebAnswer}). KV and codeQ host calls go to the in-memory KV
 * and the in-JVM queue, which live as long as the runner, so successive runs share them.
 *
 * <p>Nothing listens: no HTTP server, no management port, no cluster; no scheduler or poller runs.
 */
public final class LocalRunner implements AutoCloseable {

  public static final String TENANT = "local";
  public static final String NAMESPACE = "default";
  /** The ref every run calls: the version it has just published. */
  static final String REF = "latest";
  private static final long CLOSE_S = 20;

  /** A web call: method, the path and query after the function's ref, headers, body (or {@code null}). */
  public record Call(String method, String path, MultiMap headers, Buffer body) {
  }

  /**
   * How a run ended: the gateway's answer, the ids its error bodies name, the activation record as the lifecycle API
   * shows it and its log entries.
   */
  public record Outcome(WebAnswer answer, String requestId, String activationId, JsonObject activation,
                        JsonArray logs) {
  }

  private final Vertx vertx;
  private final Context context;
  private final PlatformOptions options;
  private final LongSupplier clock = System::currentTimeMillis;
  private final KvStore kv;
  private final CodeQ codeq;
  private final FunctionStore functions;
  private final ActivationStore activations;
  private final ModuleCheck modules = new ModuleCheck();
  private final DraftDecoder drafts;
  private final EgressClient egress;
  private final Tracing tracing;
  /** Built on a worker while the first draft is checked: the engine's start is most of a run's time. */
  private Future<Invoker> invoker;
  private JsRuntime runtime;

  private LocalRunner(Vertx vertx, PlatformOptions options) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.options = options;
    this.kv = new InMemoryKvStore(vertx);
    this.codeq = new InJvmCodeQ(vertx);
    this.functions = new FunctionStore(kv, clock);
    this.activations = new ActivationStore(kv, clock,
        Duration.ofMillis(options.getInvoker().getActivationRetentionMs()));
    this.drafts = new DraftDecoder(modules, options.getControl());
    this.egress = new EgressClient(vertx, options.getEgress());
    this.tracing = Tracing.create(options.getObservability());
  }

  /** A runner on a Vert.x instance of its own (not clustered, whatever the options say), closed by {@link #close}. */
  public static Future<LocalRunner> start(PlatformOptions options) {
    LocalRunner runner = new LocalRunner(Vertx.vertx(), Objects.requireNonNull(options, "options"));
    return runner.onContext(() -> runner.kv.start().compose(v -> runner.codeq.start()).map(v -> {
      runner.invoker = runner.vertx.executeBlocking(() -> new JsRuntime(options.getRuntime()), false)
          .compose(runner::openInvoker);
      return runner;
    })).onFailure(failed -> runner.vertx.close());
  }

  private Future<Invoker> openInvoker(JsRuntime built) {
    runtime = built;
    MeterRegistry registry = new SimpleMeterRegistry();
    // a key of this process only: nothing a run stores outlives it (generateSeed could block for entropy here, on
    // the event loop; the key generator reads the non-blocking source)
    SecretBox box = SecretBox.fromBase64Key(SecretBox.generateBase64Key());
    Invoker opened = new Invoker(vertx, functions, activations, codeq, built, options.getInvoker(), "local", clock,
        registry, new ActivationMeters(registry, options.getObservability()), tracing,
        new HostServices(kv, codeq, egress, new EgressMeters(registry)),
        new Authorizer(RolePolicy.fromJson(options.getSecurity().getRoles())), new SecretStore(kv, box, clock));
    return opened.openWithoutQueue().map(opened);
  }

  /**
   * Publishes {@code draft} ({@code {"files", "manifest"}}, as uploaded) as the next version of {@code function}
   * (created first when {@code create}) and runs {@code call} on it. A refused draft fails with the lifecycle API's
   * {@code CsException}.
   */
  public Future<Outcome> run(String function, JsonObject draft, Call call, boolean create) {
    return onContext(() -> {
      String fn = Names.requireName("function", function);
      Future<Void> created = create ? functions.create(TENANT, NAMESPACE, fn).mapEmpty() : Future.succeededFuture();
      return created
          .compose(v -> vertx.executeBlocking(() -> drafts.decode("application/json", draft.toBuffer()), false))
          .compose(decoded -> functions.putDraft(TENANT, NAMESPACE, fn, decoded.bundle(), decoded.manifest(),
              Duration.ofMillis(options.getControl().getDraftTtlMs())))
          .compose(stored -> functions.publish(TENANT, NAMESPACE, fn, stored.getString("draft_id"), null))
          .compose(published -> functions.resolve(TENANT, NAMESPACE, fn, FunctionRef.parse("ref", REF)))
          .compose(meta -> invoke(fn, meta, call));
    });
  }

  private Future<Outcome> invoke(String function, VersionMeta meta, Call call) {
    String activationId = UUID.randomUUID().toString();
    String requestId = UUID.randomUUID().toString();
    String path = "/v1/web/" + TENANT + "/" + NAMESPACE + "/" + function + "/" + REF;
    JsonObject event = HttpEvents.event(call.method(), path + call.path(), call.headers(), call.body(), requestId,
        activationId);
    long now = clock.getAsLong();
    long timeoutMs = meta.manifest().limits().timeoutMs();
    InvocationRequest request = new InvocationRequest(activationId, requestId, TENANT, NAMESPACE, function, REF,
        meta.version(), new Trigger(Trigger.HTTP, new JsonObject().put("method", call.method())
            .put("path", event.getString("path"))),
        caller().toJson(), event, now + options.getGateway().waitMsFor(meta.manifest().limits()), timeoutMs,
        null, null, null, now, 1);
    return invoker.compose(running -> running.run(request))
        .compose(ran -> activations.get(TENANT, NAMESPACE, activationId))
        .compose(record -> activations.logs(TENANT, NAMESPACE, activationId).map(logs -> new Outcome(
            WebAnswer.of(record.toResult(request), ResponseHeaderRules.forFunction(TENANT, NAMESPACE, function),
                requestId),
            requestId, activationId, record.toJson(), logs.getJsonArray("logs", new JsonArray()))));
  }

  /** Who a local call runs as: the local tenant's administrator, as a deployment's admin token would. */
  private static Principal caller() {
    return new Principal("cs-run", TENANT, Set.of(Principal.ADMIN_ROLE), PrincipalKind.USER, null);
  }

  /**
   * Stops the invoker (its pool), the engine, the queue and the KV, then the Vert.x instance; blocks, so call it from
   * outside Vert.x, as the command that opened the runner does when it ends.
   */
  @Override
  public void close() throws Exception {
    Future<Void> invokerStopped = invoker == null ? Future.succeededFuture()
        : invoker.transform(ar -> ar.succeeded() ? onContext(() -> ar.result().stop()) : Future.succeededFuture());
    try {
      invokerStopped
          .eventually(() -> onContext(codeq::stop))
          .eventually(() -> onContext(kv::stop))
          .eventually(egress::close)
          .await(CLOSE_S, TimeUnit.SECONDS);
    } finally {
      if (runtime != null) {
        runtime.close();
      }
      modules.close();
      tracing.close();
      // from this thread, not one of the instance's own: a close completed on an event loop it just stopped fails
      vertx.close().await(CLOSE_S, TimeUnit.SECONDS);
    }
  }

  /** Everything the runner does happens on its one context, as the invoker's consumer runs on its own. */
  private <T> Future<T> onContext(Supplier<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.get().onComplete(done);
      } catch (RuntimeException failure) {
        done.fail(failure);
      }
    });
    return done.future();
  }
}
