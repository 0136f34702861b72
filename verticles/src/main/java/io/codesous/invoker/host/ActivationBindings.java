package io.codesous.invoker.host;

import io.codesous.runtime.HostBindings;
import io.codesous.runtime.HostCallException;
import io.codesous.runtime.HostFetchRequest;
import io.codesous.runtime.HostFetchResponse;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.vertx.core.Future;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One activation's way out of the sandbox: the host services, bound to the activation's tenant
 * and its version's grants. Platform failures reach the function as a catalog code and a safe
 * message, never as a Java exception.
 */
public final class ActivationBindings implements HostBindings {

  private final HostServices host;
  private final String tenant;
  private final Capabilities caps;

  public ActivationBindings(HostServices host, String tenant, Capabilities caps) {
    this.host = Objects.requireNonNull(host, "host");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.caps = Objects.requireNonNull(caps, "caps");
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

  @Override
  public CompletionStage<HostFetchResponse> httpFetch(HostFetchRequest request) {
    return stage(host.fetch(caps, request.url(), request.method(), request.headers(), request.body())
        .map(r -> new HostFetchResponse(r.status(), r.headers(), r.body(), r.url())));
  }

  @Override
  public CompletionStage<Void> cadenceHeartbeat(String detailsJson) {
    return CompletableFuture.failedFuture(new HostCallException(ErrorCode.CS_CAPABILITY_DENIED.name(),
        "heartbeats are available to Cadence activities only"));
  }

  private static <T> CompletionStage<T> stage(Future<T> future) {
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
