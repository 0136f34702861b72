package io.codesous.runtime;

import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
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
import org.graalvm.polyglot.Value;

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

  private static final System.Logger LOG = System.getLogger(HostCalls.class.getName());
  private static final Object[] NO_VALUES = new Object[0];

  /** A size check failed: the guest rejects with a {@code RangeError} carrying this message. */
  private static final class Refusal extends Exception {
    Refusal(String message) {
      super(message, null, false, false);
    }
  }

  private final HostBindings bindings;
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
    CompletionStage<?> stage;
    Function<Object, Object[]> toGuest;
    try {
      switch (op) {
        case "kv.get" -> {
          String key = key(op, arguments[1]);
          stage = call(() -> bindings.kvGet(key));
          toGuest = value -> new Object[] {value};
        }
        case "kv.set" -> {
          String key = key(op, arguments[1]);
          String value = text(op, "value", arguments[2], HostCallLimits.MAX_KV_VALUE_BYTES, true);
          stage = call(() -> bindings.kvSet(key, value));
          toGuest = done -> NO_VALUES;
        }
        case "kv.del" -> {
          String key = key(op, arguments[1]);
          stage = call(() -> bindings.kvDel(key));
          toGuest = deleted -> new Object[] {Boolean.TRUE.equals(deleted)};
        }
        case "kv.list" -> {
          String prefix = text(op, "prefix", arguments[1], HostCallLimits.MAX_KV_KEY_BYTES, true);
          stage = call(() -> bindings.kvList(prefix));
          toGuest = keys -> new Object[] {jsonArray((List<?>) keys)};
        }
        case "codeq.publish" -> {
          String topic = text(op, "topic", arguments[1], HostCallLimits.MAX_CODEQ_TOPIC_BYTES, false);
          String message = text(op, "message", arguments[2], HostCallLimits.MAX_CODEQ_MESSAGE_BYTES, true);
          stage = call(() -> bindings.codeqPublish(topic, message));
          toGuest = value -> NO_VALUES;
        }
        case "http.fetch" -> {
          HostFetchRequest request = fetchRequest(arguments);
          stage = call(() -> bindings.httpFetch(request));
          toGuest = response -> fetchResponse((HostFetchResponse) response);
        }
        case "cadence.heartbeat" -> {
          if (!cadence) {
            return "cs.cadence.heartbeat: only a Cadence activity can heartbeat";
          }
          String details = text(op, "details", arguments[1], HostCallLimits.MAX_HEARTBEAT_DETAILS_BYTES, true);
          stage = call(() -> bindings.cadenceHeartbeat(details));
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
      LOG.log(Level.WARNING, "cs." + op + " could not be started", e);
      return "cs." + op + " failed";
    }
    inFlight++;
    CompletableFuture<?> future = stage instanceof CompletableFuture<?> f ? f : null;
    if (future != null) {
      pending.add(future);
    }
    stage.whenComplete((value, failure) -> {
      if (future != null) {
        pending.remove(future);
      }
      post.accept(() -> deliver(op, onOk, onErr, value, failure, toGuest));
    });
    return null;
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
        LOG.log(Level.WARNING, "the host answer to cs." + op + " cannot be given to the function", e);
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
      LOG.log(Level.WARNING, "cs." + op + " failed in its binding", cause);
    }
    onErr.executeVoid(HostCallException.HOST_ERROR, "cs." + op + " failed");
  }

  private interface StageCall {
    CompletionStage<?> start();
  }

  /** A binding that throws or returns nothing fails the call like a failed stage. */
  private static CompletionStage<?> call(StageCall binding) {
    try {
      CompletionStage<?> stage = binding.start();
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

  private static String key(String op, Value value) throws Refusal {
    return text(op, "key", value, HostCallLimits.MAX_KV_KEY_BYTES, false);
  }

  private static String text(String op, String what, Value value, int maxBytes, boolean mayBeEmpty) throws Refusal {
    String s = value.asString();
    if (!mayBeEmpty && s.isEmpty()) {
      throw new Refusal("cs." + op + ": " + what + " must not be empty");
    }
    checkSize(op, what, s, maxBytes);
    return s;
  }

  private static void checkSize(String op, String what, String s, long maxBytes) throws Refusal {
    // A string has at least one UTF-8 byte per char: very long ones are refused without counting.
    long bytes = s.length() > maxBytes ? s.length() : Utf8.length(s);
    if (bytes > maxBytes) {
      throw new Refusal("cs." + op + ": " + what + " is larger than " + maxBytes + " bytes");
    }
  }

  private HostFetchRequest fetchRequest(Value[] arguments) throws Refusal {
    String op = "http.fetch";
    String url = arguments[1].asString();
    if (url.isEmpty() || url.length() > HostCallLimits.MAX_FETCH_URL_CHARS) {
      throw new Refusal("cs.http.fetch: url must have 1.." + HostCallLimits.MAX_FETCH_URL_CHARS + " characters");
    }
    String method = arguments[2].asString();
    String encodedHeaders = arguments[3].asString();
    Map<String, String> headers = new LinkedHashMap<>();
    if (!encodedHeaders.isEmpty()) {
      String[] parts = encodedHeaders.split("\0", -1);
      if (parts.length / 2 > HostCallLimits.MAX_FETCH_HEADERS) {
        throw new Refusal("cs.http.fetch: more than " + HostCallLimits.MAX_FETCH_HEADERS + " headers");
      }
      for (int i = 0; i + 1 < parts.length; i += 2) {
        checkSize(op, "header " + parts[i], parts[i] + parts[i + 1], HostCallLimits.MAX_FETCH_HEADER_BYTES);
        headers.merge(parts[i], parts[i + 1], (first, second) -> first + ", " + second);
      }
    }
    byte[] body = switch (arguments[4].asString()) {
      case "text" -> {
        String text = arguments[5].asString();
        checkSize(op, "body", text, HostCallLimits.MAX_FETCH_BODY_BYTES);
        yield text.getBytes(StandardCharsets.UTF_8);
      }
      case "bytes" -> {
        Value buffer = arguments[5];
        long size = buffer.getBufferSize();
        if (size > HostCallLimits.MAX_FETCH_BODY_BYTES) {
          throw new Refusal("cs.http.fetch: body is larger than " + HostCallLimits.MAX_FETCH_BODY_BYTES + " bytes");
        }
        byte[] bytes = new byte[(int) size];
        buffer.readBuffer(0, bytes, 0, bytes.length);
        yield bytes;
      }
      default -> new byte[0];
    };
    return new HostFetchRequest(url, method, headers, body, remainingMs.getAsLong());
  }

  /** status, url, headers as JSON (lower-cased names, values joined), body bytes one per char. */
  private static Object[] fetchResponse(HostFetchResponse response) {
    Map<String, String> joined = new LinkedHashMap<>();
    response.headers().forEach((name, values) -> {
      if (name != null && values != null && !values.isEmpty()) {
        joined.merge(name.toLowerCase(Locale.ROOT), String.join(", ", values), (a, b) -> a + ", " + b);
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
        new String(response.body(), StandardCharsets.ISO_8859_1)};
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
