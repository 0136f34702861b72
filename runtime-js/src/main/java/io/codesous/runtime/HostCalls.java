package io.codesous.runtime;

import static io.codesous.runtime.HostCallArguments.fetchRequest;
import static io.codesous.runtime.HostCallArguments.key;
import static io.codesous.runtime.HostCallArguments.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import io.codesous.runtime.HostCallArguments.Refusal;
import org.graalvm.polyglot.Value;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code cs.*} capability calls of one activation: checks sizes, calls {@link HostBindings}, and settles the
 * guest's promise on the activation's thread when the binding's stage completes, whatever thread completes it.
 *
 * <p>The guest calls {@code hostCall(op, a, b, c, d, e, onOk, onErr)} (see {@code cs-runtime.js}); types are checked
 * there, sizes here. Completions are posted to the activation's queue, so a completion after the activation ended
 * is dropped with the queue and never touches the context. Everything but the completion callbacks runs on the
 * activation's thread.
 */
final class HostCalls {

  private static final Logger LOG = LoggerFactory.getLogger(HostCalls.class);
  private static final Object[] NO_VALUES = new Object[0];

  private final HostBindings bindings;
  private final HostCallObserver observer;
  private final Consumer<Runnable> post;
  private final boolean cadence;
  private final LongSupplier remainingMs;
  private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
  /** Calls whose promise has not settled; touched on the activation's thread only. */
  private int inFlight;

  /**
   * @param post    queues work for the activation's thread (dropped once the activation has ended)
   * @param cadence whether {@code cs.cadence} exists for this activation
   * @param remainingMs the activation's time left, handed to calls that would otherwise run on their own clock
   */
  HostCalls(HostBindings bindings, Consumer<Runnable> post, boolean cadence, LongSupplier remainingMs) {
    this.bindings = bindings;
    this.observer = bindings.observer();
    this.post = post;
    this.cadence = cadence;
    this.remainingMs = remainingMs;
  }

  /** Starts one call; returns why it is refused, or {@code null} when it is under way. */
  String start(Value[] arguments) {
    String op = arguments[0].asString();
    Value onOk = arguments[6];
    Value onErr = arguments[7];
    if (inFlight >= HostCallLimits.MAX_PENDING_CALLS) {
      return "cs." + op + ": more than " + HostCallLimits.MAX_PENDING_CALLS + " calls are pending";
    }
    StageCall binding;
    Function<Object, Object[]> toGuest;
    try {
      switch (op) {
        case "kv.get" -> {
          String key = key(op, arguments[1]);
          binding = observed -> bindings.kvGet(key);
          toGuest = value -> new Object[] {value};
        }
        case "kv.set" -> {
          String key = key(op, arguments[1]);
          String value = text(op, "value", arguments[2], HostCallLimits.MAX_KV_VALUE_BYTES, true);
          binding = observed -> bindings.kvSet(key, value);
          toGuest = done -> NO_VALUES;
        }
        case "kv.del" -> {
          String key = key(op, arguments[1]);
          binding = observed -> bindings.kvDel(key);
          toGuest = deleted -> new Object[] {Boolean.TRUE.equals(deleted)};
        }
        case "kv.list" -> {
          String prefix = text(op, "prefix", arguments[1], HostCallLimits.MAX_KV_KEY_BYTES, true);
          binding = observed -> bindings.kvList(prefix);
          toGuest = keys -> new Object[] {jsonArray((List<?>) keys)};
        }
        case "codeq.publish" -> {
          String topic = text(op, "topic", arguments[1], HostCallLimits.MAX_CODEQ_TOPIC_BYTES, false);
          String message = text(op, "message", arguments[2], HostCallLimits.MAX_CODEQ_MESSAGE_BYTES, true);
          binding = observed -> bindings.codeqPublish(topic, message);
          toGuest = value -> NO_VALUES;
        }
        case "http.fetch" -> {
          HostFetchRequest request = fetchRequest(arguments, remainingMs.getAsLong());
          binding = observed -> bindings.httpFetch(request.withHeaders(observed.outgoingHeaders()));
          toGuest = response -> fetchResponse((HostFetchResponse) response);
        }
        case "cadence.heartbeat" -> {
          if (!cadence) {
            return "cs.cadence.heartbeat: only a Cadence activity can heartbeat";
          }
          String details = text(op, "details", arguments[1], HostCallLimits.MAX_HEARTBEAT_DETAILS_BYTES, true);
          binding = observed -> bindings.cadenceHeartbeat(details);
          toGuest = value -> NO_VALUES;
        }
        default -> {
          return "unknown host call " + op;
        }
      }
    } catch (Refusal refusal) {
      return refusal.getMessage();
    } catch (RuntimeException e) {
      // An argument of an unexpected kind (the script checks types, so this is a bug): refuse without details.
      LOG.warn("cs." + op + " could not be started", e);
      return "cs." + op + " failed";
    }
    HostCallObserver.Call observed = observer.started(op);
    CompletionStage<?> stage = call(binding, observed);
    inFlight++;
    CompletableFuture<?> future = stage instanceof CompletableFuture<?> f ? f : null;
    if (future != null) {
      pending.add(future);
    }
    stage.whenComplete((value, failure) -> {
      if (future != null) {
        pending.remove(future);
      }
      // here, not in the posted task: that one is dropped when the activation has ended
      observed.ended(outcome(failure));
      post.accept(() -> deliver(op, onOk, onErr, value, failure, toGuest));
    });
    return null;
  }

  private static String outcome(Throwable failure) {
    if (failure == null) {
      return HostCallObserver.OK;
    }
    Throwable cause = unwrap(failure);
    if (cause instanceof CancellationException) {
      return HostCallObserver.CANCELLED;
    }
    return cause instanceof HostCallException e ? e.code() : HostCallException.HOST_ERROR;
  }

  /** Cancels the stages still pending once the activation has ended, so that a binding may stop their work. */
  void cancelPending() {
    for (CompletableFuture<?> future : pending) {
      future.cancel(false);
    }
    pending.clear();
  }

  private void deliver(String op, Value onOk, Value onErr, Object value, Throwable failure,
                       Function<Object, Object[]> toGuest) {
    inFlight--;
    if (failure == null) {
      Object[] values;
      try {
        values = toGuest.apply(value);
      } catch (RuntimeException e) {
        LOG.warn("the host answer to cs." + op + " cannot be given to the function", e);
        onErr.executeVoid(HostCallException.HOST_ERROR, "cs." + op + " failed");
        return;
      }
      onOk.executeVoid(values);
      return;
    }
    Throwable cause = unwrap(failure);
    if (cause instanceof HostCallException denied) {
      onErr.executeVoid(denied.code(), denied.getMessage());
      return;
    }
    if (!(cause instanceof CancellationException)) {
      LOG.warn("cs." + op + " failed in its binding", cause);
    }
    onErr.executeVoid(HostCallException.HOST_ERROR, "cs." + op + " failed");
  }

  /** One binding's call; {@code observed} gives the headers a fetch carries onward. */
  private interface StageCall {
    CompletionStage<?> start(HostCallObserver.Call observed);
  }

  /** A binding that throws or returns nothing fails the call like a failed stage. */
  private static CompletionStage<?> call(StageCall binding, HostCallObserver.Call observed) {
    try {
      CompletionStage<?> stage = binding.start(observed);
      return stage != null ? stage : CompletableFuture.failedFuture(new IllegalStateException("no stage returned"));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * status, url, headers as JSON (lower-cased names, values joined), body bytes one per char, and the
   * {@code Set-Cookie} values one per line: joined by commas they cannot be told apart again (an {@code Expires}
   * date holds one), and {@code Headers.getSetCookie()} and node:http's {@code set-cookie} list give them one by one.
   */
  private static Object[] fetchResponse(HostFetchResponse response) {
    Map<String, String> joined = new LinkedHashMap<>();
    List<String> cookies = new ArrayList<>();
    response.headers().forEach((name, values) -> {
      if (name != null && values != null && !values.isEmpty()) {
        String lower = name.toLowerCase(Locale.ROOT);
        joined.merge(lower, String.join(", ", values), (a, b) -> a + ", " + b);
        if (lower.equals("set-cookie")) {
          cookies.addAll(values);
        }
      }
    });
    StringBuilder json = new StringBuilder("{");
    joined.forEach((name, value) -> {
      if (json.length() > 1) {
        json.append(',');
      }
      Json.quote(json, name).append(':');
      Json.quote(json, value);
    });
    json.append('}');
    return new Object[] {response.status(), response.url(), json.toString(),
        new String(response.body(), StandardCharsets.ISO_8859_1), String.join("\n", cookies)};
  }

  private static String jsonArray(List<?> values) {
    StringBuilder json = new StringBuilder("[");
    if (values != null) {
      for (Object value : values) {
        if (json.length() > 1) {
          json.append(',');
        }
        if (value == null) {
          json.append("null");
        } else {
          Json.quote(json, value.toString());
        }
      }
    }
    return json.append(']').toString();
  }
}
