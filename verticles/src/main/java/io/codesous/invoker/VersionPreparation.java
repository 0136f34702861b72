package io.codesous.invoker;

import io.codesous.runtime.ExecutionRequest;
import io.codesous.runtime.HostBindings;
import io.codesous.runtime.InvocationInfo;
import io.codesous.runtime.JsRuntime;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.store.VersionMeta;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;

/**
 * Announces a version to the sandbox before its first activation ({@link JsRuntime#prepare}), with the limits,
 * isolation, env and init budget its activations run with, so the contexts made ready fit them. No secrets and no
 * host bindings: a module that needs an activation at top level is left for its activation to evaluate. The call
 * runs on the sandbox pool (decoding the entry module is CPU an event loop must not spend); the preparation itself
 * continues on the runtime's background thread.
 */
final class VersionPreparation {

  private static final Logger LOG = LoggerFactory.getLogger(VersionPreparation.class);

  /** Why a version is prepared: the meter tag. */
  enum Reason {
    PUBLISHED, FIRST_SEEN;

    String tag() {
      return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
  }

  private final JsRuntime runtime;
  private final SandboxPool pool;
  private final int maxLogLines;
  private final boolean enabled;
  private final Counter published;
  private final Counter firstSeen;

  VersionPreparation(JsRuntime runtime, SandboxPool pool, int maxLogLines, boolean enabled, MeterRegistry registry) {
    this.enabled = enabled;
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    this.pool = Objects.requireNonNull(pool, "pool");
    this.maxLogLines = maxLogLines;
    this.published = counter(registry, Reason.PUBLISHED);
    this.firstSeen = counter(registry, Reason.FIRST_SEEN);
  }

  private static Counter counter(MeterRegistry registry, Reason reason) {
    return Counter.builder("cs.invoker.prepared").tag("reason", reason.tag())
        .description("versions whose first context the sandbox reported ready (or not preparable)")
        .register(registry);
  }

  /** Starts preparing; never fails the caller (a version that cannot be prepared is run the ordinary way). */
  void prepare(String tenant, String namespace, String function, VersionMeta meta, BundleFiles bundle,
               Reason reason) {
    if (!enabled) {
      return;
    }
    ExecutionRequest request = request(tenant, namespace, function, meta, bundle);
    String name = tenant + '/' + namespace + '/' + function + '/' + meta.version();
    pool.run(() -> runtime.prepare(request))
        .onSuccess(stage -> stage.whenComplete((v, failure) -> {
          (reason == Reason.PUBLISHED ? published : firstSeen).increment();
          LOG.debug("version {} prepared ({})", name, reason.tag());
        }))
        .onFailure(failure -> LOG.warn("version {} not prepared: {}", name, failure.toString()));
  }

  private ExecutionRequest request(String tenant, String namespace, String function, VersionMeta meta,
                                   BundleFiles bundle) {
    var limits = meta.manifest().limits();
    JsonObject manifest = meta.manifest().document();
    InvocationInfo info = new InvocationInfo("prepare", "prepare", tenant, namespace, function, meta.version(),
        "prepare", null);
    // the same limits SandboxExecution gives the version's activations: contexts are kept per shape
    return new ExecutionRequest(meta.sha256(), bundle.files(), meta.manifest().entry(), "{}", info,
        limits.timeoutMs(),
        ActivationLimits.of(limits, maxLogLines),
        manifest.getString("isolation", ExecutionRequest.ISOLATION_STRICT), HostBindings.NONE)
        .withEnv(meta.manifest().env())
        .withInitTimeoutMs(limits.initTimeoutMs());
  }
}
