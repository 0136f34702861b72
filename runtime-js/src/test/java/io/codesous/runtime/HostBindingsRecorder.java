package io.codesous.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The platform side of {@code fetch()} for runtime tests: records each request and answers it with one response, or
 * refuses it as the egress policy refuses an address when there is none. The egress policy itself is tested with
 * the real egress client (verticles' end-to-end tests).
 */
final class HostBindingsRecorder implements HostBindings {

  static final String DENIED = HostCallException.CAPABILITY_DENIED;

  final List<HostFetchRequest> requests = new CopyOnWriteArrayList<>();
  private final HostFetchResponse answer;

  /** @param answer the response to every fetch; {@code null} to refuse every fetch */
  HostBindingsRecorder(HostFetchResponse answer) {
    this.answer = answer;
  }

  @Override
  public CompletionStage<HostFetchResponse> httpFetch(HostFetchRequest request) {
    requests.add(request);
    if (answer == null) {
      return CompletableFuture.failedFuture(new HostCallException(DENIED, "the address of " + request.url()
          + " is not allowed"));
    }
    return CompletableFuture.completedFuture(answer);
  }

  @Override
  public CompletionStage<String> kvGet(String key) {
    return HostBindings.NONE.kvGet(key);
  }

  @Override
  public CompletionStage<Void> kvSet(String key, String value) {
    return HostBindings.NONE.kvSet(key, value);
  }

  @Override
  public CompletionStage<Boolean> kvDel(String key) {
    return HostBindings.NONE.kvDel(key);
  }

  @Override
  public CompletionStage<List<String>> kvList(String prefix) {
    return HostBindings.NONE.kvList(prefix);
  }

  @Override
  public CompletionStage<Void> codeqPublish(String topic, String message) {
    return HostBindings.NONE.codeqPublish(topic, message);
  }

  @Override
  public CompletionStage<Void> cadenceHeartbeat(String detailsJson) {
    return HostBindings.NONE.cadenceHeartbeat(detailsJson);
  }
}
