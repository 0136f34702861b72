package io.codesous.gateway;

import io.codesous.codeq.CodeQ;
import io.codesous.codeq.TypedMessage;
import io.codesous.codeq.CodeQException;
import io.codesous.auth.Principal;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.http.AccessControl;
import io.codesous.http.Authentication;
import io.codesous.http.HttpErrors;
import io.codesous.http.RequestIds;
import io.codesous.component.Lifecycle;
import io.codesous.observe.InvokeMeters;
import io.codesous.observe.LogContext;
import io.codesous.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.codesous.spec.error.CsException;
import io.codesous.spec.error.ErrorCode;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.results.ReplyRoute;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.Trigger;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.VersionMeta;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * The HTTP gateway: {@code /v1/web/{tenant}/{namespace}/{function}/{ref}/{proxyPath*}}, any method.
 * It resolves the ref, publishes an InvocationRequest, and waits — without blocking — for the
 * result carrying the activation id it minted, then answers with exactly the function's response. When the wait
 * ends first it answers 202 {@code CS_RESULT_PENDING} with the activation id; the activation
 * completes anyway.
 *
 * <p>One gateway per HTTP verticle instance, started on that instance's event loop: its reply route
 * ({@code cs.reply.<route>}), its waiters and its ref cache belong to that loop, so a result reaches the request
 * that waits for it without a thread hop and nothing here is shared across threads.
 */
public class Gateway implements Lifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  public static final String ACTIVATION_HEADER = "x-cs-activation-id";

  private final Vertx vertx;
  private final FunctionStore functions;
  private final ActivationStore activations;
  private final CodeQ codeq;
  private final GatewayOptions options;
  private final String route;
  private final LongSupplier clockMs;
  private final RefCache refs;
  private final AccessControl access;
  private final InvokeMeters meters;
  private final Tracing tracing;
  private final WebAnswers answers;
  private ReplyRoute replies;

  /** @param route this gateway's reply route, unique among all gateways of the cluster */
  public Gateway(Vertx vertx, FunctionStore functions, ActivationStore activations, CodeQ codeq,
                 AccessControl access, GatewayOptions options, String route, LongSupplier clockMs,
                 InvokeMeters meters, Tracing tracing) {
    this.access = Objects.requireNonNull(access, "access");
    this.meters = Objects.requireNonNull(meters, "meters");
    this.tracing = Objects.requireNonNull(tracing, "tracing");
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.functions = Objects.requireNonNull(functions, "functions");
    this.activations = Objects.requireNonNull(activations, "activations");
    this.codeq = Objects.requireNonNull(codeq, "codeq");
    this.options = Objects.requireNonNull(options, "options");
    this.route = Objects.requireNonNull(route, "route");
    this.clockMs = Objects.requireNonNull(clockMs, "clockMs");
    this.refs = new RefCache(functions, options.getRefCacheTtlMs(), clockMs);
    this.answers = new WebAnswers(activations, route, clockMs);
  }

  /** Listens on this gateway's reply route; call on the event loop whose HTTP server mounts it. */
  @Override
  public Future<Void> start() {
    return ReplyRoute.open(vertx, route).onSuccess(opened -> replies = opened).mapEmpty();
  }

  /** Requests still waiting are answered as pending; their activations complete anyway. */
  @Override
  public Future<Void> stop() {
    return replies == null ? Future.succeededFuture() : replies.close();
  }

  public void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(options.getMaxBodyBytes());
    router.route(WebPath.ROUTE).handler(body).handler(this::invoke);
    if (options.getWebHostSuffix() != null) {
      new WebHosts(options.getWebHostSuffix()).mount(router);
    }
  }

  private void invoke(RoutingContext ctx) {
    WebPath path = WebPath.parse(ctx.normalizedPath());
    if (path == null) {
      // not a function's path, and no other route serves /v1/web/: the router's own 404, with the API's error body
      ctx.fail(404);
      return;
    }
    long startedNanos = System.nanoTime();
    String traceparent = ctx.request().getHeader("traceparent");
    Span span = tracing.startRemote("cs.gateway", SpanKind.SERVER, traceparent, ctx.request().getHeader("tracestate"));
    Tracing.setCurrent(span, traceparent);
    ctx.addEndHandler(ended -> {
      String outcome = WebAnswers.outcome(ctx);
      meters.record(Trigger.HTTP, outcome, System.nanoTime() - startedNanos);
      if (span != null) {
        span.setAttribute("http.response.status_code", ctx.response().getStatusCode());
        span.setAttribute("cs.outcome", outcome);
        span.end();
      }
    });
    WebCall call;
    try {
      call = WebCall.of(ctx, path, RequestIds.of(ctx));
    } catch (CsException invalid) {
      HttpErrors.send(ctx, invalid);
      return;
    }
    LogContext.put(LogContext.TENANT, call.tenant());
    LogContext.put(LogContext.FUNCTION, call.function());
    Principal caller = Authentication.principalIfAny(ctx);
    if (caller != null) {
      try {
        access.require(caller, call.tenant(), Resource.function(call.namespace(), call.function()),
            Action.FUNCTION_INVOKE, "function " + call.function());
      } catch (CsException denied) {
        HttpErrors.send(ctx, denied);
        return;
      }
    }
    refs.resolve(call.tenant(), call.namespace(), call.function(), call.rawRef(), call.ref())
        // without credentials, an unknown function reads like a known one that is not public: no oracle
        .recover(failure -> caller == null ? Future.failedFuture(PublicWeb.refusal(ctx)) : Future.failedFuture(failure))
        .compose(meta -> {
          Principal principal = caller != null ? caller : PublicWeb.anonymous(ctx, call.tenant(), meta);
          if (!meta.manifest().publicOnWeb()) {
            AccessControl.requireInvokeRole(principal, meta.manifest().invokeRoles(Trigger.HTTP), Trigger.HTTP);
          }
          return call.idempotencyKey() == null
              ? publishAndWait(ctx, call, principal, meta, UUID.randomUUID().toString())
              : idempotent(ctx, call, principal, meta);
        })
        .onFailure(failure -> {
          if (!ctx.response().ended()) {
            ctx.fail(failure);
          }
        });
  }

  private Future<Void> publishAndWait(RoutingContext ctx, WebCall call, Principal principal, VersionMeta meta,
                                      String activationId) {
    LogContext.put(LogContext.ACTIVATION_ID, activationId);
    long now = clockMs.getAsLong();
    long timeoutMs = meta.manifest().limits().timeoutMs();
    // a version's first activation on an invoker may evaluate its module first, under the init budget
    long waitMs = Math.min(options.getWaitMs(),
        timeoutMs + meta.manifest().limits().initTimeoutMs() + options.getWaitMarginMs());
    JsonObject event = HttpEvents.event(ctx.request(), ctx.queryParams(), call.proxyPath(), ctx.body().buffer(),
        call.requestId(), activationId);
    Trigger trigger = new Trigger(Trigger.HTTP, new JsonObject()
        .put("method", ctx.request().method().name())
        .put("path", ctx.request().path()));
    Span gatewaySpan = Tracing.current();
    Span publishSpan = tracing.startChild("cs.publish", SpanKind.PRODUCER, gatewaySpan);
    String traceparent = ctx.request().getHeader("traceparent");
    String tracestate = ctx.request().getHeader("tracestate");
    if (publishSpan != null) {
      // the invoker's spans continue the trace as children of the publish
      gatewaySpan.setAttribute(Tracing.ACTIVATION_ID, activationId);
      publishSpan.setAttribute(Tracing.ACTIVATION_ID, activationId);
      Map<String, String> headers = Tracing.headers(publishSpan);
      traceparent = headers.get("traceparent");
      tracestate = headers.get("tracestate");
    }
    InvocationRequest request = new InvocationRequest(activationId, call.requestId(), call.tenant(),
        call.namespace(), call.function(), call.rawRef(), meta.version(), trigger, principal.toJson(), event, now + waitMs, timeoutMs, route,
        traceparent, tracestate, now, 1);
    if (LOG.isDebugEnabled()) {
      LOG.debug("invoking {}/{}/{} version {} as activation {}", call.tenant(), call.namespace(), call.function(),
          meta.version(), activationId);
    }
    if (call.preference() == AsyncPreference.RESPOND_ASYNC) {
      // nobody waits: no waiter is registered, and the result the invoker sends to this route finds none
      return publish(request)
          .andThen(published -> {
            if (publishSpan != null) {
              publishSpan.end();
            }
          })
          .compose(published -> {
            ctx.response().putHeader(ACTIVATION_HEADER, activationId);
            ctx.response().putHeader(AsyncPreference.APPLIED_HEADER, "respond-async");
            return answers.pending(ctx, request, "the activation was accepted; read activation " + activationId);
          });
    }
    Future<Optional<InvocationResult>> outcome = replies.register(activationId, waitMs);
    return publish(request)
        .andThen(published -> {
          if (publishSpan != null) {
            publishSpan.end();
          }
        })
        .recover(failure -> {
          replies.cancel(activationId);
          return Future.failedFuture(failure);
        })
        .compose(published -> {
          // only an activation that was enqueued gets an id the caller can read
          ctx.response().putHeader(ACTIVATION_HEADER, activationId);
          return outcome;
        })
        .compose(result -> result.isPresent() ? answers.answer(ctx, result.get()) : answers.pending(ctx, request,
            "the activation is still running; read activation " + activationId));
  }

  /**
   * A call with an {@code Idempotency-Key}: the first call with the key starts the activation as any other; a later
   * one with the same request answers that activation (its result when it ended, 202 while it has not) and starts
   * nothing; a later one with a different request is 409. A first call whose request the queue refuses frees the key.
   */
  private Future<Void> idempotent(RoutingContext ctx, WebCall call, Principal principal, VersionMeta meta) {
    String minted = UUID.randomUUID().toString();
    String method = ctx.request().method().name();
    String uri = ctx.request().uri();
    String contentType = ctx.request().getHeader("content-type");
    Buffer body = ctx.body().buffer();
    return vertx.executeBlocking(() -> IdempotencyKey.of(call.idempotencyKey(), method, uri, contentType, body), false)
        .compose(hashed -> activations.claimIdempotencyKey(call.tenant(), call.namespace(), call.function(),
                hashed.keySha256(), hashed.requestSha256(), minted, IdempotencyKey.TTL)
            .compose(claim -> {
              if (claim.first()) {
                return publishAndWait(ctx, call, principal, meta, minted)
                    .recover(failure -> ctx.response().headers().contains(ACTIVATION_HEADER)
                        ? Future.failedFuture(failure)
                        : activations.releaseIdempotencyKey(call.tenant(), call.namespace(), call.function(),
                                hashed.keySha256())
                            .transform(released -> Future.failedFuture(failure)));
              }
              if (!claim.sameRequest()) {
                return Future.failedFuture(new CsException(ErrorCode.CS_IDEMPOTENCY_CONFLICT,
                    "idempotency-key was used with a different request for activation " + claim.activationId(),
                    new JsonObject().put("activation_id", claim.activationId())));
              }
              return answers.earlier(ctx, call.requestId(), principal, call.tenant(), call.namespace(),
                  call.function(), call.rawRef(), meta, claim.activationId());
            }));
  }

  private Future<Void> publish(InvocationRequest request) {
    return codeq.publish(Topics.INVOKE, request.activationId(),
            TypedMessage.of(request, MessageCodec::encode, request.heapBytes()))
        .recover(failure -> Future.failedFuture(failure instanceof CodeQException
            ? new CsException(ErrorCode.CS_UNAVAILABLE, "invocation queue unavailable", null, failure)
            : failure));
  }
}
