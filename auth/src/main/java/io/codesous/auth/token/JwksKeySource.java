package io.codesous.auth.token;

import com.nimbusds.jose.jwk.JWKSet;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The issuer's JWK set, fetched from its URL with the Vert.x HTTP client (so no thread ever blocks
 * on the network) and cached.
 *
 * <p>Fetch rules:
 *
 * <ul>
 *   <li>The first use fetches. A fetched set is used for {@code jwksCacheTtlSeconds}; the first use
 *       after that refetches.
 *   <li>A token naming a key id the set lacks asks for a refetch ({@link #refreshForUnknownKey()}),
 *       which is how a key rotation at the issuer is picked up.
 *   <li>Whatever asks, at most one fetch starts per {@code jwksMinRefreshIntervalSeconds}; a request
 *       inside that interval gets the cached set. Tokens with made-up key ids therefore cost the key
 *       server at most one request per interval.
 *   <li>Concurrent requests share the fetch in flight.
 *   <li>A failed fetch (network, status, size, parse) keeps the previous set: an issuer outage does
 *       not lock out holders of tokens signed with known keys.
 * </ul>
 *
 * <p>Thread-safe. The returned futures complete on the event loop that runs the fetch, which may
 * not be the caller's: {@link TokenVerifier} hops back to the caller's context.
 */
final class JwksKeySource {

  private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

  private final Vertx vertx;
  private final HttpClientAgent client;
  private final String url;
  private final long cacheTtlNanos;
  private final long minRefreshIntervalNanos;
  private final int fetchTimeoutMs;
  private final int maxBytes;
  private final LongSupplier nanoClock;

  private final Object lock = new Object();
  private List<VerificationKey> keys = List.of();
  private boolean everFetched;
  private long fetchedAtNanos;
  private boolean everAttempted;
  private long lastAttemptNanos;
  private Future<List<VerificationKey>> inFlight;

  JwksKeySource(Vertx vertx, TokenVerifierOptions options, LongSupplier nanoClock) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.url = Objects.requireNonNull(options.getJwksUrl(), "jwksUrl");
    this.cacheTtlNanos = TimeUnit.SECONDS.toNanos(options.getJwksCacheTtlSeconds());
    this.minRefreshIntervalNanos = TimeUnit.SECONDS.toNanos(options.getJwksMinRefreshIntervalSeconds());
    this.fetchTimeoutMs = options.getJwksFetchTimeoutMs();
    this.maxBytes = options.getJwksMaxBytes();
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
    this.client = vertx.createHttpClient(new HttpClientOptions()
        .setConnectTimeout(fetchTimeoutMs)
        .setIdleTimeout(fetchTimeoutMs)
        .setIdleTimeoutUnit(TimeUnit.MILLISECONDS));
  }

  /** The cached keys, refetched first when none were fetched yet or the cache is older than its TTL. */
  Future<List<VerificationKey>> keys() {
    synchronized (lock) {
      if (everFetched && nanoClock.getAsLong() - fetchedAtNanos < cacheTtlNanos) {
        return Future.succeededFuture(keys);
      }
    }
    return refreshIfAllowed("cache empty or expired");
  }

  /** Refetches (unless rate-limited) because a token named a key id the cache does not hold. */
  Future<List<VerificationKey>> refreshForUnknownKey() {
    return refreshIfAllowed("unknown key id");
  }

  Future<Void> close() {
    return client.close();
  }

  private Future<List<VerificationKey>> refreshIfAllowed(String why) {
    Promise<List<VerificationKey>> promise;
    synchronized (lock) {
      if (inFlight != null) {
        return inFlight;
      }
      long now = nanoClock.getAsLong();
      if (everAttempted && now - lastAttemptNanos < minRefreshIntervalNanos) {
        LOG.debug("JWKS refresh ({}) skipped: rate-limited", why);
        return Future.succeededFuture(keys);
      }
      everAttempted = true;
      lastAttemptNanos = now;
      promise = Promise.promise();
      inFlight = promise.future();
    }
    // started outside the lock: a fetch that fails at once must not find the lock held
    LOG.debug("fetching JWKS from {} ({})", url, why);
    fetch().onComplete(result -> {
      List<VerificationKey> current;
      synchronized (lock) {
        if (result.succeeded()) {
          LOG.debug("fetched {} usable keys from {}", result.result().size(), url);
          keys = List.copyOf(result.result());
          everFetched = true;
          fetchedAtNanos = nanoClock.getAsLong();
        } else {
          LOG.warn("JWKS fetch from {} failed, keeping {} cached keys: {}",
              url, keys.size(), result.cause().getMessage());
        }
        inFlight = null;
        current = keys;
      }
      promise.complete(current);
    });
    return promise.future();
  }

  private Future<List<VerificationKey>> fetch() {
    Promise<Buffer> body = Promise.promise();
    AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
    long timer = vertx.setTimer(fetchTimeoutMs, id -> {
      if (body.tryFail(new IllegalStateException("timed out after " + fetchTimeoutMs + " ms"))) {
        HttpClientRequest stalled = sent.get();
        if (stalled != null) {
          stalled.reset();
        }
      }
    });
    RequestOptions request = new RequestOptions()
        .setMethod(HttpMethod.GET)
        .setAbsoluteURI(url)
        .putHeader(HttpHeaders.ACCEPT, "application/jwk-set+json, application/json");
    client.request(request)
        // the body handlers go on inside send()'s own callback: that runs as the response head is
        // delivered, before any chunk; a callback further down the chain may run later, and the
        // response drops chunks that arrive while it has no handler
        .compose(req -> {
          sent.set(req);
          return req.send().compose(this::readBody);
        })
        .onComplete(result -> {
          vertx.cancelTimer(timer);
          if (result.succeeded()) {
            body.tryComplete(result.result());
          } else {
            body.tryFail(result.cause());
          }
        });
    return body.future().map(buffer -> {
      try {
        return VerificationKeys.fromFetchedJwks(JWKSet.parse(buffer.toString(StandardCharsets.UTF_8)));
      } catch (java.text.ParseException e) {
        throw new IllegalStateException("not a JWK set: " + e.getMessage(), e);
      }
    });
  }

  private Future<Buffer> readBody(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      response.request().reset();
      return Future.failedFuture(new IllegalStateException("HTTP status " + response.statusCode()));
    }
    Promise<Buffer> body = Promise.promise();
    Buffer collected = Buffer.buffer();
    response.exceptionHandler(body::tryFail);
    response.handler(chunk -> {
      if (collected.length() + chunk.length() > maxBytes) {
        response.request().reset();
        body.tryFail(new IllegalStateException("JWK set larger than " + maxBytes + " bytes"));
        return;
      }
      collected.appendBuffer(chunk);
    });
    response.endHandler(v -> body.tryComplete(collected));
    return body.future();
  }
}
