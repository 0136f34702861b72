package io.codesous.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The platform side of the function's capabilities: {@code cs.kv}, {@code cs.codeq}, {@code cs.http} and
 * {@code cs.cadence} are the only ways out of the sandbox, and each call ends up here.
 *
 * <p>The runtime validates the arguments' types and sizes (see {@link HostCallLimits}) before calling; deciding what
 * the function may reach (key prefixes, topics, hosts, the tenant) is the implementation's job. Methods must not
 * block: they return a stage that may complete on any thread, at any time. A stage that completes after the
 * activation has ended is ignored, and when an activation ends with calls still pending their stages are cancelled
 * (when they are {@link CompletableFuture}s), so an implementation may stop the work. To fail a call, complete the
 * stage exceptionally with a {@link HostCallException}; any other failure reaches the function as
 * {@link HostCallException#HOST_ERROR} with a generic message.
 *
 * <p>One instance may serve many activations at once; the runtime calls it from the activation's thread.
 */
public interface HostBindings {

  /** Refuses every call with {@link HostCallException#CAPABILITY_DENIED}. */
  HostBindings NONE = new HostBindings() {
    @Override
    public CompletionStage<String> kvGet(String key) {
      return denied("kv");
    }

    @Override
    public CompletionStage<Void> kvSet(String key, String value) {
      return denied("kv");
    }

    @Override
    public CompletionStage<Boolean> kvDel(String key) {
      return denied("kv");
    }

    @Override
    public CompletionStage<List<String>> kvList(String prefix) {
      return denied("kv");
    }

    @Override
    public CompletionStage<Void> codeqPublish(String topic, String message) {
      return denied("codeq");
    }

    @Override
    public CompletionStage<HostFetchResponse> httpFetch(HostFetchRequest request) {
      return denied("http");
    }

    @Override
    public CompletionStage<Void> cadenceHeartbeat(String detailsJson) {
      return denied("cadence");
    }

    private <T> CompletionStage<T> denied(String capability) {
      return CompletableFuture.failedFuture(new HostCallException(HostCallException.CAPABILITY_DENIED,
          "the function has no " + capability + " capability"));
    }
  };

  /** The value under {@code key}, or {@code null} when there is none. */
  CompletionStage<String> kvGet(String key);

  CompletionStage<Void> kvSet(String key, String value);

  /** Whether a value was deleted. */
  CompletionStage<Boolean> kvDel(String key);

  /** Keys that start with {@code prefix} (possibly empty). */
  CompletionStage<List<String>> kvList(String prefix);

  /** Publishes {@code message} (a JSON document) to {@code topic}. */
  CompletionStage<Void> codeqPublish(String topic, String message);

  CompletionStage<HostFetchResponse> httpFetch(HostFetchRequest request);

  /** Records a heartbeat of the Cadence activity that runs the function; {@code detailsJson} is a JSON document. */
  CompletionStage<Void> cadenceHeartbeat(String detailsJson);

  /** Who watches the calls made through these bindings: none by default. */
  default HostCallObserver observer() {
    return HostCallObserver.NONE;
  }
}
