package io.codesous.invoker.host;

import io.codesous.runtime.HostBindings;
import io.codesous.runtime.HostCallException;
import io.codesous.runtime.HostFetchRequest;
import io.codesous.runtime.HostFetchResponse;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import io.codesous.runtime.HostCallObserver;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One activation's way out of the sandbox: the host services, bound to the activation's tenant
 * and its version's grants. Platform failures reach the function as a catalog code and a safe
 * message, never as a Java exception.
 */
public final class ActivationBindings implements HostBindings {

  /**
   * How far past the activation's deadline a fetch's own deadline lies. The activation's end cancels the fetch
   * (which resets the request), so this only bounds a fetch whose cancellation went astray; and it keeps the
   * activation's timeout, not a fetch failing a moment before it, the thing that decides how the activation ends.
   */
  static final long FETCH_DEADLINE_GRACE_MS = 250;

  private final HostServices host;
  private final String tenant;
  private final Capabilities caps;
  /** Who watches the activation's calls: their spans ({@link HostCallSpans}), or none. */
  private final HostCallObserver observer;

  /** The activation a heartbeat belongs to: set for Cadence activations only. */
  private final String namespace;
  private final String cadenceActivationId;

  public ActivationBindings(HostServices host, String tenant, Capabilities caps) {
    this(host, tenant, caps, HostCallObserver.NONE, null, null);
  }

  public ActivationBindings(HostServices host, String tenant, Capabilities caps, HostCallObserver observer) {
    this(host, tenant, caps, observer, null, null);
  }

  private ActivationBindings(HostServices host, String tenant, Capabilities caps, HostCallObserver observer,
                             String namespace, String cadenceActivationId) {
    this.observer = Objects.requireNonNull(observer, "observer");
    this.host = Objects.requireNonNull(host, "host");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.caps = Objects.requireNonNull(caps, "caps");
    this.namespace = namespace;
    this.cadenceActivationId = cadenceActivationId;
  }

  /** The same bindings for a Cadence activation, whose heartbeats go to the poller that holds its task. */
  public ActivationBindings forCadence(String namespace, String activationId) {
    return new ActivationBindings(host, tenant, caps, observer, Objects.requireNonNull(namespace, "namespace"),
        Objects.requireNonNull(activationId, "activationId"));
  }

  @Override
  public CompletionStage<String> kvGet(String key) {
    return stage(host.kvGet(tenant, caps, key));
  }

  @Override
  public CompletionStage<Void> kvSet(String key, String value) {
    return stage(host.kvSet(tenant, caps, key, value));
  }

  @Override
  public CompletionStage<Boolean> kvDel(String key) {
    return stage(host.kvDel(tenant, caps, key));
  }

  @Override
  public CompletionStage<List<String>> kvList(String prefix) {
    return stage(host.kvList(tenant, caps, prefix));
  }

  @Override
  public CompletionStage<Void> codeqPublish(String topic, String message) {
    return stage(host.publish(tenant, caps, topic, message));
  }

  /**
   * The fetch ends with the activation: its deadline is the activation's (see {@link #FETCH_DEADLINE_GRACE_MS}),
   * and the runtime cancelling the stage when the activation ends resets the request there and then, instead of
   * leaving it to run to the egress client's own timeout.
   */
  @Override
  public CompletionStage<HostFetchResponse> httpFetch(HostFetchRequest request) {
    Promise<Void> cancelled = Promise.promise();
    CompletableFuture<HostFetchResponse> result = stage(host.fetch(caps, request.url(), request.method(),
        request.headers(), request.body(), request.remainingMs() + FETCH_DEADLINE_GRACE_MS, cancelled.future())
        .map(r -> new HostFetchResponse(r.status(), r.headers(), r.body(), r.url())));
    result.whenComplete((response, failure) -> {
      if (failure instanceof CancellationException) {
        cancelled.tryComplete();
      }
    });
    return result;
  }

  @Override
  public CompletionStage<Void> cadenceHeartbeat(String detailsJson) {
    if (cadenceActivationId == null) {
      return CompletableFuture.failedFuture(new HostCallException(ErrorCode.CS_CAPABILITY_DENIED.name(),
          "heartbeats are available to Cadence activities only"));
    }
    return stage(host.cadenceHeartbeat(tenant, namespace, cadenceActivationId, detailsJson));
  }

  @Override
  public HostCallObserver observer() {
    return observer;
  }

  private static <T> CompletableFuture<T> stage(Future<T> future) {
    CompletableFuture<T> result = new CompletableFuture<>();
    future.onComplete(ar -> {
      if (ar.succeeded()) {
        result.complete(ar.result());
      } else if (ar.cause() instanceof CsException cs) {
        result.completeExceptionally(new HostCallException(cs.code().name(), cs.getMessage()));
      } else {
        result.completeExceptionally(new HostCallException(ErrorCode.CS_UNAVAILABLE.name(),
            "the platform could not complete the call"));
      }
    });
    return result;
  }
}
