package io.codesous.gateway;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.audit.AuditSink;
import io.codesous.auth.authz.Authorizer;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.http.AccessControl;
import io.codesous.observe.InvokeMeters;
import io.codesous.observe.Tracing;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.codesous.http.RequestIds;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.spec.model.Manifest;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A gateway serves the requests of the HTTP verticle that started it: the result of a request, sent by an
 * invoker from another thread, completes the request's waiter on the event loop that received the request.
 */
class GatewayEventLoopTest {

  private static final String T = "gwloop";
  private static final String NS = "default";
  private static final Principal CALLER = new Principal("caller", T, Set.of("invoker"), PrincipalKind.USER, null);

  private Vertx vertx;
  private InJvmCodeQ codeq;
  private FunctionStore functions;
  private ActivationStore activations;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    InMemoryKvStore kv = new InMemoryKvStore(vertx);
    kv.start().await(20, TimeUnit.SECONDS);
    codeq = new InJvmCodeQ(vertx);
    codeq.start().await(20, TimeUnit.SECONDS);
    functions = new FunctionStore(kv, System::currentTimeMillis);
    activations = new ActivationStore(kv, System::currentTimeMillis, Duration.ofHours(1));
    functions.create(T, NS, "fn").await(20, TimeUnit.SECONDS);
    BundleFiles bundle = BundleFiles.fromUpload(new JsonObject().put("index.mjs",
        "export const handler = () => ({ statusCode: 200, body: 'x' });"), 1 << 20);
    JsonObject draft = functions.putDraft(T, NS, "fn", bundle, Manifest.parse(null), Duration.ofMinutes(5))
        .await(20, TimeUnit.SECONDS);
    functions.publish(T, NS, "fn", draft.getString("draft_id"), null).await(20, TimeUnit.SECONDS);
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
  }

  /** One HTTP verticle instance with its own gateway, recording which thread takes and which answers a request. */
  private final class HttpInstance extends VerticleBase {
    final CompletableFuture<Thread> received = new CompletableFuture<>();
    final CompletableFuture<Thread> answered = new CompletableFuture<>();
    Gateway gateway;
    HttpServer server;

    @Override
    public Future<?> start() {
      gateway = new Gateway(vertx, functions, activations, codeq,
          new AccessControl(Authorizer.withBuiltInRoles(), AuditSink.NONE), new GatewayOptions(),
          "gw-loop-test", System::currentTimeMillis, new InvokeMeters(new SimpleMeterRegistry()), Tracing.OFF);
      return gateway.start().compose(v -> {
        Router router = Router.router(vertx);
        router.route().handler(RequestIds::assign);
        router.route().handler(ctx -> {
          // stands for Authentication: the caller's verified principal
          ctx.put("cs.principal", CALLER);
          received.complete(Thread.currentThread());
          ctx.addHeadersEndHandler(v2 -> answered.complete(Thread.currentThread()));
          ctx.next();
        });
        gateway.mount(router);
        return vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1");
      }).onSuccess(s -> server = s);
    }

    @Override
    public Future<?> stop() {
      return gateway.stop();
    }
  }

  @Test
  void theResultCompletesTheWaiterOnTheEventLoopThatReceivedTheRequest() throws Exception {
    // the invoker's side: takes the request off the queue and answers from a worker thread
    codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE).setGroup("loop-test"), message -> {
      InvocationRequest request = MessageCodec.decodeRequest(message.payload());
      InvocationResult result = new InvocationResult(request.activationId(), request.requestId(), request.replyTo(),
          T, NS, "fn", request.version(), ActivationStatus.SUCCESS, new JsonObject().put("statusCode", 200)
          .put("headers", new JsonObject()).put("body", "answered").put("isBase64Encoded", false), null, 1, 2);
      vertx.executeBlocking(() -> {
        vertx.eventBus().send(Topics.reply(request.replyTo()), MessageCodec.encode(result));
        return null;
      }).onComplete(sent -> message.ack());
    }).await(20, TimeUnit.SECONDS);
    HttpInstance instance = new HttpInstance();
    vertx.deployVerticle(instance).await(20, TimeUnit.SECONDS);

    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + instance.server.actualPort() + "/v1/web/" + T + "/" + NS + "/fn/1"))
        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());

    assertEquals(200, response.statusCode(), response.body());
    assertEquals("answered", response.body());
    Thread received = instance.received.get(20, TimeUnit.SECONDS);
    assertTrue(received.getName().startsWith("vert.x-eventloop-thread-"), received.getName());
    assertSame(received, instance.answered.get(20, TimeUnit.SECONDS),
        "answered on the loop that received the request");
  }
}
