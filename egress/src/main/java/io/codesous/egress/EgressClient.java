package io.codesous.egress;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.internal.VertxInternal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The engine behind {@code cs.http.fetch}: outbound HTTP that cannot reach the platform's own
 * network, whatever URL, redirect or DNS answer a function comes up with.
 *
 * <p>Every hop of a fetch goes through the same gate: http/https only, no credentials in the URL,
 * the host normalized and matched against the function's allow-list, a literal address or every
 * DNS answer judged by the {@link AddressPolicy}, and the connection made to exactly the address
 * judged. Time (one deadline for the whole fetch), request size and response size are bounded;
 * a response past its cap is cut off as it streams in.
 *
 * <p>Non-blocking: safe to call from any thread, including event loops.
 */
public final class EgressClient {

  /** The methods a function may use; CONNECT and TRACE have no business in a function. */
  public static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  private final Vertx vertx;
  private final EgressOptions options;
  private final HostResolver resolver;
  private final DialGuard dialGuard;
  private final HttpClient http;
  private volatile boolean closed;

  /** A client resolving names with the JDK resolver. */
  public EgressClient(Vertx vertx, EgressOptions options) {
    this(vertx, options, new JdkHostResolver(vertx));
  }

  public EgressClient(Vertx vertx, EgressOptions options, HostResolver resolver) {
    this(vertx, options, resolver, DialGuard.NONE);
  }

  EgressClient(Vertx vertx, EgressOptions options, HostResolver resolver, DialGuard dialGuard) {
    this.dialGuard = Objects.requireNonNull(dialGuard, "dialGuard");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = new EgressOptions(Objects.requireNonNull(options, "options"));
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    HttpClientOptions clientOptions = new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_1_1)
        // no connection outlives its fetch: a pooled connection shared between functions would
        // let one tenant's odd request desynchronize the stream another tenant reads next
        .setKeepAlive(false)
        .setPipelining(false)
        // bodies are counted as they arrive on the wire; decompressing would let a small
        // compressed body inflate past every cap
        .setDecompressionSupported(false)
        .setVerifyHost(true)
        .setTrustAll(false)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, this.options.getConnectTimeoutMs()));
    // no proxy is ever configured: a proxy would resolve names itself and undo the address checks
    this.http = vertx.createHttpClient(clientOptions, new PoolOptions().setHttp1MaxSize(32));
  }

  /**
   * Fetches a URL on behalf of a function.
   *
   * @return the final response, or a failed future holding an {@link EgressException}
   */
  public Future<FetchResponse> fetch(FetchRequest request, EgressPolicy policy) {
    return fetch(request, policy, Promise.<Void>promise().future());
  }

  /**
   * Fetches a URL on behalf of a function that may stop waiting for it.
   *
   * @param cancelled once it completes (either way), the fetch fails with {@link EgressFailure#CANCELLED} and its
   *                  request is reset, closing the connection: a caller that has gone away (an activation that
   *                  ended) does not leave the request running to its own deadline
   * @return the final response, or a failed future holding an {@link EgressException}
   */
  public Future<FetchResponse> fetch(FetchRequest request, EgressPolicy policy, Future<?> cancelled) {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(cancelled, "cancelled");
    if (closed) {
      return Future.failedFuture(
          new EgressException(EgressFailure.CLIENT_CLOSED, "outbound HTTP is shutting down"));
    }
    Hop first;
    try {
      first = firstHop(request);
    } catch (EgressException e) {
      return Future.failedFuture(e);
    }
    long timeoutMs = request.timeoutMs() > 0
        ? Math.min(request.timeoutMs(), options.getTotalTimeoutMs())
        : options.getTotalTimeoutMs();
    return new FetchExchange(vertx, eventLoopContext(), http, resolver, dialGuard, options, policy,
        request.redirectMode(), timeoutMs).start(first, cancelled);
  }

  private Hop firstHop(FetchRequest request) {
    String method = request.method().toUpperCase(Locale.ROOT);
    if (!METHODS.contains(method)) {
      throw new EgressException(EgressFailure.INVALID_METHOD,
          "method must be one of " + String.join(", ", METHODS.stream().sorted().toList()));
    }
    byte[] body = request.bodyUnsafe();
    if (body != null && (method.equals("GET") || method.equals("HEAD"))) {
      throw new EgressException(EgressFailure.BODY_NOT_ALLOWED,
          method + " requests cannot have a body");
    }
    if (request.bodyLength() > options.getMaxRequestBodyBytes()) {
      throw new EgressException(EgressFailure.REQUEST_TOO_LARGE,
          "the request body is larger than " + options.getMaxRequestBodyBytes() + " bytes");
    }
    List<Map.Entry<String, String>> headers =
        OutboundHeaders.sanitize(request.headers(), options);
    EgressUrl url = EgressUrl.parse(request.url());
    return new Hop(url, method, headers, body);
  }

  /**
   * The context a fetch runs on: the caller's if it is an event loop, a fresh event-loop context
   * otherwise. A worker context runs its tasks one at a time, so a caller waiting there for the
   * fetch would stop the fetch's own callbacks (and its deadline) from ever running.
   */
  private Context eventLoopContext() {
    Context current = vertx.getOrCreateContext();
    if (current.isEventLoopContext()) {
      return current;
    }
    return ((VertxInternal) vertx).createEventLoopContext();
  }

  public EgressOptions options() {
    return new EgressOptions(options);
  }

  /** Refuses new fetches and closes the connections of running ones. */
  public Future<Void> close() {
    closed = true;
    return http.close();
  }
}
