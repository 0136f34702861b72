package io.codesous.platform;

import static io.codesous.testsupport.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.audit.AuditEvent;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.codesous.codeq.CodeQMessage;
import io.codesous.codeq.SubscribeOptions;
import io.codesous.codeq.jvm.InJvmCodeQ;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CodeQAuditSinkTest {

  private Vertx vertx;
  private InJvmCodeQ codeQ;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    codeQ = new InJvmCodeQ(vertx);
    await(codeQ.start());
  }

  @AfterEach
  void stop() {
    await(codeQ.stop());
    await(vertx.close());
  }

  @Test
  void publishesEachEventToTheAuditTopicKeyedByTenant() throws InterruptedException {
    CodeQAuditSink sink = new CodeQAuditSink(codeQ);
    await(sink.start());
    List<AuditEvent> sent = new ArrayList<>();
    for (String tenant : List.of("acme", "globex", "acme")) {
      Principal principal = new Principal("agent-" + tenant, tenant, Set.of("admin"), PrincipalKind.USER, null);
      AuditEvent event = AuditEvent.success(principal, tenant, Action.SECRET_ROTATE, Resource.secret("default", "db"), "r-" + sent.size());
      sent.add(event);
      await(sink.emit(event));
    }

    BlockingQueue<CodeQMessage> received = new LinkedBlockingQueue<>();
    await(codeQ.subscribe(new SubscribeOptions().setTopic(CodeQAuditSink.TOPIC).setGroup("ledger"), message -> {
      received.add(message);
      message.ack();
    }));
    for (AuditEvent expected : sent) {
      CodeQMessage message = received.poll(20, TimeUnit.SECONDS);
      if (message == null) {
        throw new AssertionError("no message on " + CodeQAuditSink.TOPIC);
      }
      assertEquals("cs.audit", message.topic());
      assertEquals(expected.tenant(), message.key());
      assertEquals(expected, AuditEvent.fromJson(new JsonObject(message.payload())));
    }
    await(sink.stop());
  }
}
