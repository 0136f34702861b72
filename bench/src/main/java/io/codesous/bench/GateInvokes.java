package io.codesous.bench;

import io.vertx.core.json.JsonObject;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load gate's HTTP invokes of one function, open loop: what was sent, and the activation id of every request
 * the gateway accepted (its {@code x-cs-activation-id}), which the gate then looks for on {@code cs.results}.
 */
final class GateInvokes {

  private final AtomicLong sent = new AtomicLong();
  private final Set<String> accepted = ConcurrentHashMap.newKeySet();
  private final Map<String, AtomicLong> answers = new TreeMap<>();

  /** Sends {@code rate × seconds} invokes on schedule, then waits for their answers. */
  static GateInvokes sustain(GateApi api, String function, int rate, long seconds) throws Exception {
    GateInvokes load = new GateInvokes();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    GatePace.run(rate, seconds, () -> {
      load.sent.incrementAndGet();
      inFlight.add(api.invoke(function).whenComplete(load::answered));
    });
    for (CompletableFuture<?> f : inFlight) {
      try {
        f.get(120, TimeUnit.SECONDS);
      } catch (Exception failed) {
        // not accepted: the row "accepted / sent" shows it
      }
    }
    return load;
  }

  /** Invokes until one answers 200: the function is deployed and warm before the load starts. */
  static void awaitFirstAnswer(GateApi api, String function) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (api.invoke(function).get(30, TimeUnit.SECONDS).statusCode() != 200) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException("the function never answered 200");
      }
      Thread.sleep(250);
    }
  }

  long sent() {
    return sent.get();
  }

  Set<String> accepted() {
    return accepted;
  }

  /** How many answers of each kind: {@code 2xx}, {@code 503 CS_…}, or the failure. */
  synchronized String answers() {
    return answers.toString();
  }

  private synchronized void answered(HttpResponse<String> response, Throwable failure) {
    if (failure != null) {
      Throwable cause = failure instanceof CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      count(cause.getClass().getSimpleName() + ": " + cause.getMessage());
      return;
    }
    count(response.statusCode() / 100 == 2 ? "2xx" : response.statusCode() + " " + errorCode(response.body()));
    response.headers().firstValue("x-cs-activation-id").ifPresent(accepted::add);
  }

  private void count(String what) {
    answers.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
  }

  /** The {@code CS_*} code of an error answer (its request id differs every time), else the status alone. */
  private static String errorCode(String body) {
    try {
      return new JsonObject(body).getJsonObject("error").getString("code");
    } catch (RuntimeException notAnError) {
      return "";
    }
  }
}
