package io.codesous.egress;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One fetch from start to final response: every hop checked, one deadline over all of them.
 *
 * <p>All of its state is touched only on its own event-loop context (callbacks of the resolver,
 * the HTTP client and the deadline timer all land there), so it needs no locking; the result
 * promise is completed at most once and everything arriving after that is dropped.
 */
final class FetchExchange {

  private final Vertx vertx;
  private final Context context;
  private final HttpClient http;
  private final HopDestination destination;
  private final DialGuard dialGuard;
  private final EgressOptions options;
  private final RedirectMode redirectMode;
  private final long timeoutMs;
  private final long deadlineNanos;

  private final Promise<FetchResponse> result = Promise.promise();
  private long deadlineTimer = -1;
  private HttpClientRequest inFlight;
  private int redirects;

  FetchExchange(Vertx vertx, Context context, HttpClient http, HostResolver resolver,
      DialGuard dialGuard, EgressOptions options, EgressPolicy policy, RedirectMode redirectMode,
      long timeoutMs) {
    this.vertx = vertx;
    this.context = context;
    this.http = http;
    this.destination = new HopDestination(resolver, options, policy);
    this.dialGuard = dialGuard;
    this.options = options;
    this.redirectMode = redirectMode;
    this.timeoutMs = timeoutMs;
    this.deadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
  }

  Future<FetchResponse> start(Hop first, Future<?> cancelled) {
    context.runOnContext(v -> {
      deadlineTimer = vertx.setTimer(Math.max(1, remainingMs()), id -> fail(
          new EgressException(EgressFailure.DEADLINE_EXCEEDED,
              "the fetch did not complete within " + timeoutMs + " ms")));
      // a fetch cancelled before it got here fails at once and never dials
      cancelled.onComplete(ignored -> onOwnContext(() -> fail(
          new EgressException(EgressFailure.CANCELLED, "the fetch was cancelled"))));
      run(first);
    });
    return result.future();
  }

  private boolean finished() {
    return result.future().isComplete();
  }

  private long remainingMs() {
    return TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
  }

  private void run(Hop hop) {
    if (finished()) {
      return;
    }
    Future<InetAddress> address;
    try {
      address = destination.check(hop.url());
    } catch (EgressException e) {
      fail(e);
      return;
    }
    // a resolver may complete on any thread; the rest of the hop belongs on this fetch's context
    address.onComplete(checked -> onOwnContext(() -> {
      if (checked.failed()) {
        fail(NetworkErrors.describe(checked.cause(), hop.url()));
      } else {
        send(hop, checked.result());
      }
    }));
  }

  private void onOwnContext(Runnable action) {
    if (Vertx.currentContext() == context) {
      action.run();
    } else {
      context.runOnContext(v -> action.run());
    }
  }

  private void send(Hop hop, InetAddress address) {
    if (finished()) {
      return;
    }
    EgressUrl url = hop.url();
    // rebuilt from the bytes alone: an InetAddress from a resolver carries the name too, and
    // nothing downstream should ever be handed a name it could look up again
    InetSocketAddress target =
        new InetSocketAddress(IpLiteral.of(address).toInetAddress(), url.port());
    try {
      dialGuard.beforeDial(target);
    } catch (EgressException e) {
      fail(e);
      return;
    }
    RequestOptions request = HopRequest.options(hop, target,
        Math.max(1, Math.min(options.getConnectTimeoutMs(), remainingMs())));
    http.request(request)
        .compose(req -> {
          if (finished()) {
            req.reset();
            return Future.failedFuture("fetch already finished");
          }
          inFlight = req;
          return hop.body() == null ? req.send() : req.send(Buffer.buffer(hop.body()));
        })
        .onComplete(response -> {
          if (finished()) {
            return;
          }
          if (response.failed()) {
            fail(NetworkErrors.describe(response.cause(), url));
          } else {
            receive(hop, response.result());
          }
        });
  }

  private void receive(Hop hop, HttpClientResponse response) {
    int status = response.statusCode();
    String location = response.getHeader("location");
    if (redirectMode == RedirectMode.MANUAL || !RedirectFollower.isRedirect(status)
        || location == null) {
      readBody(hop, response);
      return;
    }
    // the redirect's own body is never read: dropping the connection is cheaper and bounded
    response.exceptionHandler(ignored -> { });
    abortInFlight();
    if (redirectMode == RedirectMode.ERROR) {
      fail(new EgressException(EgressFailure.REDIRECT_REFUSED,
          "the server redirected and the fetch's redirect mode is \"error\""));
      return;
    }
    if (redirects >= options.getMaxRedirects()) {
      fail(new EgressException(EgressFailure.TOO_MANY_REDIRECTS,
          "more than " + options.getMaxRedirects() + " redirects"));
      return;
    }
    Hop next;
    try {
      next = RedirectFollower.next(hop, status, location);
    } catch (EgressException e) {
      fail(e);
      return;
    }
    redirects++;
    run(next);
  }

  private void readBody(Hop hop, HttpClientResponse response) {
    long max = options.getMaxResponseBytes();
    String declared = response.getHeader("content-length");
    if (declared != null && declaredLength(declared) > max) {
      // refuse before reading a byte of it
      response.exceptionHandler(ignored -> { });
      fail(tooLarge(max));
      return;
    }
    Buffer body = Buffer.buffer();
    response.exceptionHandler(error -> fail(NetworkErrors.describe(error, hop.url())));
    response.handler(chunk -> {
      if (finished()) {
        return;
      }
      if ((long) body.length() + chunk.length() > max) {
        fail(tooLarge(max));
        return;
      }
      body.appendBuffer(chunk);
    });
    response.endHandler(v -> {
      if (finished()) {
        return;
      }
      inFlight = null;
      complete(new FetchResponse(response.statusCode(),
          response.statusMessage() == null ? "" : response.statusMessage(),
          headersOf(response), body.getBytes(), hop.url().toString(), redirects));
    });
  }

  private static long declaredLength(String value) {
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // malformed: the streamed count still enforces the cap
    }
  }

  private static EgressException tooLarge(long max) {
    return new EgressException(EgressFailure.RESPONSE_TOO_LARGE,
        "the response body is larger than " + max + " bytes");
  }

  private static Map<String, List<String>> headersOf(HttpClientResponse response) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> header : response.headers()) {
      headers.computeIfAbsent(header.getKey().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(header.getValue());
    }
    headers.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(headers);
  }

  private void complete(FetchResponse response) {
    if (result.tryComplete(response)) {
      vertx.cancelTimer(deadlineTimer);
    }
  }

  /** Fails the fetch once; later failures (a reset echoing back, a late timer) are dropped. */
  private void fail(Throwable error) {
    if (result.tryFail(error)) {
      vertx.cancelTimer(deadlineTimer);
      abortInFlight();
    }
  }

  /** Resetting an HTTP/1.1 request closes its connection: no more bytes are read or buffered. */
  private void abortInFlight() {
    HttpClientRequest request = inFlight;
    inFlight = null;
    if (request != null) {
      request.reset();
    }
  }
}
