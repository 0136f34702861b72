package io.codesous.invoker;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.ServicePrincipals;
import io.codesous.auth.authz.Authorizer;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.codesous.egress.EgressClient;
import io.codesous.egress.EgressOptions;
import io.codesous.invoker.host.HostServices;
import io.codesous.observe.ActivationMeters;
import io.codesous.observe.ObservabilityOptions;
import io.codesous.observe.Tracing;
import io.codesous.invoker.host.SilentServer;
import io.codesous.kv.memory.InMemoryKvStore;
import io.codesous.component.ComponentVerticle;
import io.codesous.runtime.JsRuntime;
import io.codesous.runtime.RuntimeOptions;
import io.codesous.spec.bundle.BundleFiles;
import io.codesous.spec.kv.KvKeys;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.InvocationResult;
import io.codesous.spec.message.MessageCodec;
import io.codesous.spec.message.Topics;
import io.codesous.spec.message.Trigger;
import io.codesous.spec.model.Manifest;
import io.codesous.spec.model.ActivationOutcome;
import io.codesous.spec.model.ActivationRecord;
import io.codesous.spec.model.ActivationStatus;
import io.codesous.store.ActivationStore;
import io.codesous.store.FunctionStore;
import io.codesous.store.SecretStore;
import io.codesous.auth.secret.SecretBox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The invoker against the embedded backends: once-per-activation execution, lost attempts, dead letters, slots. */
class InvokerTest {

  static final String T = "acme";
  static final String NS = "default";

  Vertx vertx;
  InMemoryKvStore kv;
  InJvmCodeQ codeq;
  JsRuntime runtime;
  FunctionStore functions;
  ActivationStore activations;
  SimpleMeterRegistry registry;
  BlockingQueue<InvocationResult> results = new LinkedBlockingQueue<>();
  BlockingQueue<JsonObject> deadLetters = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    kv = new InMemoryKvStore(vertx);
    codeq = new InJvmCodeQ(vertx);
    runtime = new JsRuntime(new RuntimeOptions());
    registry = new SimpleMeterRegistry();
    functions = new FunctionStore(kv, System::currentTimeMillis);
    activations = new ActivationStore(kv, System::currentTimeMillis, Duration.ofHours(1));
    await(kv.start());
    await(codeq.start());
    Invoker invoker = new Invoker(vertx, functions, activations, codeq, runtime,
        new InvokerOptions().setWorkerPoolSize(2).setMaxInFlight(8).setRetryDelayMs(50), "test-invoker",
        System::currentTimeMillis, registry, new ActivationMeters(registry, new ObservabilityOptions()), Tracing.OFF,
        // loopback reachable: an explicit test configuration, so functions can fetch from a local test server
        new HostServices(kv, codeq, new EgressClient(vertx, new EgressOptions()), true), Authorizer.withBuiltInRoles(),
        new SecretStore(kv, new SecretBox(new byte[SecretBox.KEY_BYTES]), System::currentTimeMillis));
    await(vertx.deployVerticle(new ComponentVerticle(invoker)));
    await(codeq.subscribe(new SubscribeOptions().setTopic(Topics.RESULTS).setGroup("test"), (CodeQMessage m) -> {
      results.add(MessageCodec.decodeResult(m.payload()));
      m.ack();
    }));
    await(codeq.subscribe(new SubscribeOptions().setTopic(Topics.INVOKE_DEAD_LETTER).setGroup("test"),
        (CodeQMessage m) -> {
          deadLetters.add(new JsonObject(m.payload()));
          m.ack();
        }));
  }

  @AfterEach
  void stop() throws Exception {
    vertx.close().await(20, TimeUnit.SECONDS);
    runtime.close();
  }

  long publishVersion(String fn, String code, JsonObject manifest) throws Exception {
    await(functions.create(T, NS, fn));
    BundleFiles bundle = BundleFiles.fromUpload(new JsonObject().put("index.mjs", code), 1 << 20);
    JsonObject draft = await(functions.putDraft(T, NS, fn, bundle, Manifest.parse(manifest), Duration.ofMinutes(5)));
    return await(functions.publish(T, NS, fn, draft.getString("draft_id"), null)).getLong("version");
  }

  /** A caller of the tenant allowed to invoke, as the gateway would have put it in the request. */
  static final Principal CALLER = new Principal("caller", T, Set.of("invoker"), PrincipalKind.USER, null);
  /** The scheduler's service identity: every tenant, one service role. */
  static final Principal SCHEDULER = ServicePrincipals.SCHEDULER;

  static InvocationRequest request(String fn, long version, String activationId) {
    return request(fn, version, activationId, Trigger.HTTP, CALLER);
  }

  static InvocationRequest request(String fn, long version, String activationId, String trigger, Principal principal) {
    return request(fn, version, activationId, trigger, principal, null, null);
  }

  static InvocationRequest request(String fn, long version, String activationId, String trigger, Principal principal,
                                   String traceparent, String tracestate) {
    long now = System.currentTimeMillis();
    return new InvocationRequest(activationId, "req-" + activationId, T, NS, fn, Long.toString(version), version,
        new Trigger(trigger, null), principal == null ? null : principal.toJson(), new JsonObject(), now + 30_000,
        5_000, "test-route", traceparent, tracestate, now, 1);
  }

  InvocationResult nextResult() throws InterruptedException {
    InvocationResult r = results.poll(20, TimeUnit.SECONDS);
    assertNotNull(r, "a result arrives");
    return r;
  }

  @Test
  void redeliveredRequestIsAnsweredFromTheRecordWithoutRunningAgain() throws Exception {
    long v = publishVersion("once", """
        export const handler = () => { console.log('ran'); return { statusCode: 200, body: String(Math.random()) }; };
        """, null);
    InvocationRequest req = request("once", v, UUID.randomUUID().toString());
    await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));
    InvocationResult first = nextResult();
    await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));
    InvocationResult second = nextResult();

    assertEquals("success", first.status().wire());
    assertEquals(first.response().getString("body"), second.response().getString("body"),
        "the second delivery returns the recorded result");
    JsonObject record = await(activations.get(T, NS, req.activationId())).toJson();
    assertEquals(1, record.getJsonArray("attempts").size());
    assertEquals(1, await(activations.logs(T, NS, req.activationId())).getJsonArray("logs").size());
    assertEquals(1.0, registry.counter("cs.activations", "trigger", "http", "status", "success").count());
  }

  @Test
  void aRequestThatWaitedInTheQueuePastTheMaxAgeEndsExpiredWithoutRunning() throws Exception {
    long v = publishVersion("stale", """
        export const handler = () => { console.log('ran'); return { statusCode: 200, body: 'ran' }; };
        """, null);
    InvocationRequest fresh = request("stale", v, UUID.randomUUID().toString());
    // the same request, enqueued one millisecond more than the default maximum age ago
    long enqueued = System.currentTimeMillis() - InvokerOptions.DEFAULT_MAX_REQUEST_AGE_MS - 1;
    InvocationRequest old = new InvocationRequest(UUID.randomUUID().toString(), "req-old", T, NS, "stale",
        fresh.ref(), v, fresh.trigger(), fresh.principal(), fresh.event(), fresh.deadlineMs(), fresh.timeoutMs(),
        fresh.replyTo(), null, null, enqueued, 1);

    await(codeq.publish(Topics.INVOKE, old.activationId(), MessageCodec.encode(old)));
    InvocationResult expired = nextResult();
    await(codeq.publish(Topics.INVOKE, fresh.activationId(), MessageCodec.encode(fresh)));
    InvocationResult ran = nextResult();

    assertEquals(old.activationId(), expired.activationId());
    assertEquals("expired", expired.status().wire());
    assertEquals("CS_EXPIRED", expired.error().getString("code"));
    assertTrue(expired.error().getString("message").contains("past the maximum age of 900000 ms"),
        expired.error().getString("message"));
    JsonObject record = await(activations.get(T, NS, old.activationId())).toJson();
    assertEquals("expired", record.getString("status"));
    assertEquals("CS_EXPIRED", record.getJsonObject("error").getString("code"));
    assertEquals(0, record.getJsonObject("logs").getInteger("count"), "the function never ran");
    assertEquals("success", ran.status().wire(), "a request younger than the max age runs");
  }

  @Test
  void anAttemptLeftRunningIsRecordedAsLostAndTheNextOneCompletes() throws Exception {
    long v = publishVersion("lost", "export const handler = () => ({ statusCode: 200, body: 'ok' });", null);
    InvocationRequest req = request("lost", v, UUID.randomUUID().toString());
    // an invoker that claimed the activation and then died: its lease has run out
    await(activations.claim(req, "dead-invoker", 0, false));
    await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));
    assertEquals("success", nextResult().status().wire());

    JsonObject record = await(activations.get(T, NS, req.activationId())).toJson();
    assertEquals("success", record.getString("status"));
    assertEquals(2, record.getInteger("attempt"));
    JsonArray attempts = record.getJsonArray("attempts");
    assertEquals(2, attempts.size());
    assertEquals("dead-invoker", attempts.getJsonObject(0).getString("invoker"));
    assertEquals("lost", attempts.getJsonObject(0).getString("outcome"));
    assertEquals("success", attempts.getJsonObject(1).getString("outcome"));
  }

  @Test
  void aCopyDeliveredWhileAnotherInvokerStillRunsTheActivationWaitsForItsRecordInsteadOfRunning() throws Exception {
    long v = publishVersion("owned", """
        export const handler = () => { console.log('ran here'); return { statusCode: 200, body: 'here' }; };
        """, null);
    InvocationRequest req = request("owned", v, UUID.randomUUID().toString());
    // a live invoker holds the activation with a lease far in the future
    ActivationRecord running = ((ActivationStore.Claim.Owned) await(activations.claim(req, "live-invoker", 60_000,
        false))).record();
    await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));
    assertEquals(null, results.poll(500, TimeUnit.MILLISECONDS), "no answer while the owner runs it");

    long now = System.currentTimeMillis();
    await(activations.complete(running, new ActivationOutcome(ActivationStatus.SUCCESS, now, now,
        new JsonObject().put("statusCode", 200).put("headers", new JsonObject()).put("body", "there")
            .put("isBase64Encoded", false), null, ActivationOutcome.Logs.NONE)));
    InvocationResult result = nextResult();
    assertEquals("there", result.response().getString("body"), "answered from the owner's record");
    JsonObject record = await(activations.get(T, NS, req.activationId())).toJson();
    assertEquals(1, record.getJsonArray("attempts").size(), record.encode());
    assertEquals("live-invoker", record.getJsonArray("attempts").getJsonObject(0).getString("invoker"));
    assertEquals(0.0, registry.counter("cs.activations", "trigger", "http", "status", "success").count(), "never ran here");
  }

  @Test
  void malformedMessagesAreDeadLetteredAndTheQueueKeepsMoving() throws Exception {
    long v = publishVersion("dlq", "export const handler = () => ({ statusCode: 200 });", null);
    await(codeq.publish(Topics.INVOKE, "k1", Buffer.buffer("not json")));
    await(codeq.publish(Topics.INVOKE, "k2", new JsonObject().put("schema", "cs.invoke.v9").toBuffer()));
    InvocationRequest good = request("dlq", v, UUID.randomUUID().toString());
    await(codeq.publish(Topics.INVOKE, good.activationId(), MessageCodec.encode(good)));

    assertEquals(good.activationId(), nextResult().activationId());
    JsonObject first = deadLetters.poll(20, TimeUnit.SECONDS);
    JsonObject second = deadLetters.poll(20, TimeUnit.SECONDS);
    assertNotNull(first);
    assertNotNull(second);
    assertEquals("not a JSON object", first.getString("reason"));
    assertTrue(second.getString("reason").contains("cs.invoke.v9"), second.encode());
    assertEquals(Topics.INVOKE, second.getString("topic"));
  }

  @Test
  void aVersionNeverRunsMoreThanItsMaxConcurrency() throws Exception {
    long v = publishVersion("slots", """
        export function handler() {
          const until = Date.now() + 150;
          while (Date.now() < until) {}
          return { statusCode: 200 };
        }
        """, new JsonObject().put("limits", new JsonObject().put("maxConcurrency", 1)));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      InvocationRequest req = request("slots", v, UUID.randomUUID().toString());
      ids.add(req.activationId());
      await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));
    }
    for (int i = 0; i < 4; i++) {
      assertEquals("success", nextResult().status().wire());
    }
    List<JsonObject> records = new ArrayList<>();
    for (String id : ids) {
      records.add(await(activations.get(T, NS, id)).toJson());
    }
    records.sort(Comparator.comparingLong(r -> r.getLong("start_ms")));
    for (int i = 1; i < records.size(); i++) {
      assertTrue(records.get(i).getLong("start_ms") >= records.get(i - 1).getLong("end_ms"),
          "executions of one version with maxConcurrency 1 never overlap: " + records);
    }
  }

  @Test
  void twoInvocationsOfOneVersionCountOneBundleMissAndOneHit() throws Exception {
    long v = publishVersion("cache", "export const handler = () => ({ statusCode: 200 });", null);
    for (int i = 0; i < 2; i++) {
      InvocationRequest req = request("cache", v, UUID.randomUUID().toString());
      await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));
      nextResult();
    }
    assertEquals(1.0, registry.counter("cs.cache.requests", "cache", "bundle", "result", "miss").count());
    assertEquals(1.0, registry.counter("cs.cache.requests", "cache", "bundle", "result", "hit").count());
    assertEquals(1.0, registry.counter("cs.cache.requests", "cache", "manifest", "result", "miss").count());
    assertEquals(1.0, registry.counter("cs.cache.requests", "cache", "manifest", "result", "hit").count());
  }

  @Test
  void invocationsArrivingTogetherForAVersionNotYetLoadedReadItAndLoadItsBundleOnce() throws Exception {
    long v = publishVersion("herd", "export const handler = () => ({ statusCode: 200 });", null);
    int together = 6;
    for (int i = 0; i < together; i++) {
      InvocationRequest req = request("herd", v, UUID.randomUUID().toString());
      codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req));
    }
    for (int i = 0; i < together; i++) {
      assertEquals("success", nextResult().status().wire());
    }
    // one read and decode of the stored bundle, one read of the version; the others waited for those instead of
    // reading (and decoding) again
    assertEquals(1.0, registry.counter("cs.cache.requests", "cache", "bundle", "result", "miss").count());
    assertEquals(together - 1.0, registry.counter("cs.cache.requests", "cache", "bundle", "result", "hit").count());
    assertEquals(1.0, registry.counter("cs.cache.requests", "cache", "manifest", "result", "miss").count());
    assertEquals(together - 1.0, registry.counter("cs.cache.requests", "cache", "manifest", "result", "hit").count());
  }

  @Test
  void aTamperedBundleEndsTheActivationWithoutRunningAnything() throws Exception {
    long v = publishVersion("tampered", "export const handler = () => ({ statusCode: 200, body: 'published' });",
        null);
    // other bytes under the version's bundle key: a well-formed bundle, just not the one the version recorded
    BundleFiles substitute = BundleFiles.fromUpload(new JsonObject().put("index.mjs", """
        export const handler = () => { console.log('substitute ran'); return { statusCode: 200, body: 'substitute' }; };
        """), 1 << 20);
    await(kv.put(KvKeys.versionBundle(T, NS, "tampered", Long.toString(v)),
        Base64.getEncoder().encodeToString(substitute.tar())));

    InvocationRequest req = request("tampered", v, UUID.randomUUID().toString());
    await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));
    InvocationResult result = nextResult();

    assertEquals(req.activationId(), result.activationId());
    assertEquals("error", result.status().wire());
    assertEquals("CS_INTERNAL", result.error().getString("code"));
    assertEquals("version " + v + " could not be loaded", result.error().getString("message"));
    assertNull(result.response());
    JsonObject record = await(activations.get(T, NS, req.activationId())).toJson();
    assertEquals("error", record.getString("status"));
    assertEquals(0, record.getJsonObject("logs").getInteger("count"), "neither bundle's code ran");
    assertEquals(0.0, registry.counter("cs.activations", "trigger", "http", "status", "success").count());
  }

  @Test
  void aFetchThatNeverAnswersEndsWithTheActivationsTimeout() throws Exception {
    try (SilentServer server = SilentServer.start(vertx)) {
      long v = publishVersion("hang", """
          export const handler = async () => {
            await cs.http.fetch('%s');
            return { statusCode: 200, body: 'answered' };
          };
          """.formatted(server.url("/hang")), new JsonObject()
          .put("limits", new JsonObject().put("timeoutMs", 1000))
          .put("capabilities", new JsonObject().put("http", new JsonObject()
              .put("allow", new JsonArray().add("127.0.0.1")))));
      InvocationRequest req = request("hang", v, UUID.randomUUID().toString());
      await(codeq.publish(Topics.INVOKE, req.activationId(), MessageCodec.encode(req)));

      server.requested().await(20, TimeUnit.SECONDS);
      InvocationResult result = nextResult();
      assertEquals("timeout", result.status().wire(), () -> String.valueOf(result.error()));
      assertEquals("CS_TIMEOUT", result.error().getString("code"));
      // the egress client's own timeout is 10 s: only the activation's end can close the connection this soon
      server.connectionClosed().await(4, TimeUnit.SECONDS);
    }
  }

  @Test
  void theTraceContextOfTheRequestReachesCtx() throws Exception {
    long v = publishVersion("traced", """
        export const handler = (event, ctx) =>
          ({ statusCode: 200, body: JSON.stringify([ctx.traceparent, ctx.tracestate]) });
        """, null);
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    String tracestate = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";
    InvocationRequest traced = request("traced", v, UUID.randomUUID().toString(), Trigger.HTTP, CALLER,
        traceparent, tracestate);
    await(codeq.publish(Topics.INVOKE, traced.activationId(), MessageCodec.encode(traced)));
    assertEquals(new JsonArray().add(traceparent).add(tracestate).encode(),
        nextResult().response().getString("body"));

    InvocationRequest untraced = request("traced", v, UUID.randomUUID().toString());
    await(codeq.publish(Topics.INVOKE, untraced.activationId(), MessageCodec.encode(untraced)));
    assertEquals("[null,null]", nextResult().response().getString("body"));
  }

  @Test
  void nonHttpTriggersRunOnlyForPrincipalsTheVersionListsAndNeverWithoutOne() throws Exception {
    String fn = "sched-" + UUID.randomUUID().toString().substring(0, 8);
    long version = publishVersion(fn, "export const handler = () => ({statusCode: 200, body: 'ran'});",
        new JsonObject().put("invoke_schedule_roles", new JsonArray().add("service:scheduler")));
    Principal developer = new Principal("dev", T, Set.of("developer"), PrincipalKind.USER, null);
    Principal otherTenantScheduler = new Principal("scheduler", "globex", Set.of("service:scheduler"),
        PrincipalKind.SERVICE, null);

    await(codeq.publish(Topics.INVOKE, "a1", MessageCodec.encode(request(fn, version, "sched-ok", "schedule", SCHEDULER))));
    InvocationResult allowed = nextResult();
    assertEquals("sched-ok", allowed.activationId());
    assertEquals("success", allowed.status().wire());

    for (var refused : List.of(
        request(fn, version, "sched-dev", "schedule", developer),
        request(fn, version, "sched-none", "schedule", null),
        request(fn, version, "sched-globex", "schedule", otherTenantScheduler),
        request(fn, version, "sched-poller", "schedule", ServicePrincipals.CADENCE_POLLER))) {
      assertRefusedWithoutRunning(refused);
    }
  }

  @Test
  void cadenceActivationsRunOnlyForPrincipalsTheVersionsCadenceRolesList() throws Exception {
    String fn = "cadence-" + UUID.randomUUID().toString().substring(0, 8);
    long version = publishVersion(fn, "export const handler = () => 'ran';",
        new JsonObject()
            .put("invoke_cadence_roles", new JsonArray().add("service:cadence-poller"))
            .put("invoke_schedule_roles", new JsonArray().add("service:scheduler")));
    Principal developer = new Principal("dev", T, Set.of("developer"), PrincipalKind.USER, null);

    await(codeq.publish(Topics.INVOKE, "c1",
        MessageCodec.encode(request(fn, version, "cadence-ok", "cadence", ServicePrincipals.CADENCE_POLLER))));
    InvocationResult allowed = nextResult();
    assertEquals("cadence-ok", allowed.activationId());
    assertEquals("success", allowed.status().wire());
    // a Cadence activity returns any JSON value; the body is its JSON
    assertEquals("\"ran\"", allowed.response().getString("body"));

    // each holds function:invoke; none holds the role the cadence list names (the scheduler's list is another)
    for (var refused : List.of(
        request(fn, version, "cadence-dev", "cadence", developer),
        request(fn, version, "cadence-scheduler", "cadence", SCHEDULER),
        request(fn, version, "cadence-none", "cadence", null))) {
      assertRefusedWithoutRunning(refused);
    }
  }

  /** The invoker answers {@code refused} with a CS_FORBIDDEN error activation, and the function never ran. */
  private void assertRefusedWithoutRunning(InvocationRequest refused) throws Exception {
    await(codeq.publish(Topics.INVOKE, refused.activationId(), MessageCodec.encode(refused)));
    InvocationResult result = nextResult();
    assertEquals(refused.activationId(), result.activationId());
    assertEquals("error", result.status().wire());
    assertEquals("CS_FORBIDDEN", result.error().getString("code"));
    JsonObject record = await(activations.get(T, NS, refused.activationId())).toJson();
    assertEquals("CS_FORBIDDEN", record.getJsonObject("error").getString("code"));
    assertEquals(0, record.getJsonObject("logs").getInteger("count"), "the function never ran");
  }
}
