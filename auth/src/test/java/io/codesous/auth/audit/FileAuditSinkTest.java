package io.codesous.auth.audit;

import static io.codesous.testsupport.Await.await;
import static io.codesous.testsupport.Await.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.codesous.auth.Principal;
import io.codesous.auth.PrincipalKind;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAuditSinkTest {

  private static final Principal AGENT = new Principal("agent-7", "acme", Set.of("developer"), PrincipalKind.USER, null);

  @TempDir
  Path dir;

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    await(vertx.close());
  }

  private static AuditEvent event(int i) {
    return AuditEvent.success(AGENT, "acme", Action.FUNCTION_INVOKE, Resource.function("default", "fn-" + i), "req-" + i);
  }

  @Test
  void writesOneJsonLinePerEventInOrder() throws Exception {
    Path file = dir.resolve("audit/audit.jsonl");
    FileAuditSink sink = new FileAuditSink(vertx, file);
    await(sink.start());
    List<AuditEvent> sent = new ArrayList<>();
    List<Future<Void>> emitted = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      AuditEvent event = event(i);
      sent.add(event);
      emitted.add(sink.emit(event));
    }
    // a line break inside a value must not split the event
    AuditEvent awkward = AuditEvent.failure(AGENT, "acme", Action.FUNCTION_READ, Resource.function("default", "x"),
        "req\nwith\nbreaks", "CS_NOT_FOUND");
    sent.add(awkward);
    emitted.add(sink.emit(awkward));
    for (Future<Void> each : emitted) {
      await(each);
    }

    // readable as soon as emit completes, before stop
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(sent.size(), lines.size());
    for (int i = 0; i < sent.size(); i++) {
      assertEquals(sent.get(i), AuditEvent.fromJson(new JsonObject(lines.get(i))));
    }
    await(sink.stop());
  }

  @Test
  void sinksOfSeveralProcessesSharingTheFileKeepEveryLine() throws Exception {
    // two sinks on one file, as two processes sharing a data directory have: interleaved, nothing overwritten
    Path file = dir.resolve("shared.jsonl");
    Vertx other = Vertx.vertx();
    try {
      FileAuditSink first = new FileAuditSink(vertx, file);
      FileAuditSink second = new FileAuditSink(other, file);
      await(first.start());
      await(second.start());
      List<Future<Void>> emitted = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        emitted.add((i % 2 == 0 ? first : second).emit(event(i)));
      }
      for (Future<Void> each : emitted) {
        await(each);
      }
      await(first.stop());
      await(second.stop());
      Set<String> ids = new java.util.HashSet<>();
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        ids.add(new JsonObject(line).getString("request_id"));
      }
      assertEquals(200, ids.size());
    } finally {
      await(other.close());
    }
  }

  @Test
  void appendsAcrossRestarts() throws Exception {
    Path file = dir.resolve("audit.jsonl");
    FileAuditSink first = new FileAuditSink(vertx, file);
    await(first.start());
    await(first.emit(event(1)));
    await(first.stop());

    FileAuditSink second = new FileAuditSink(vertx, file);
    await(second.start());
    await(second.emit(event(2)));
    await(second.stop());

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(2, lines.size());
    assertEquals("req-1", new JsonObject(lines.get(0)).getString("request_id"));
    assertEquals("req-2", new JsonObject(lines.get(1)).getString("request_id"));
  }

  @Test
  void emitWhileNotStartedFails() {
    FileAuditSink sink = new FileAuditSink(vertx, dir.resolve("never.jsonl"));
    assertInstanceOf(IllegalStateException.class, awaitFailure(sink.emit(event(1))));
  }

  @Test
  void newFileIsOwnerOnly() {
    assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
    Path file = dir.resolve("private.jsonl");
    FileAuditSink sink = new FileAuditSink(vertx, file);
    await(sink.start());
    await(sink.emit(event(1)));
    await(sink.stop());
    try {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void stopWritesEveryAcceptedEventAndLaterEmitsFail() throws Exception {
    Path file = dir.resolve("stopping.jsonl");
    FileAuditSink sink = new FileAuditSink(vertx, file);
    await(sink.start());
    List<Future<Void>> emitted = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      emitted.add(sink.emit(event(i)));
    }
    // stop without waiting for the writes: an event the sink accepted must not be lost
    await(sink.stop());
    for (Future<Void> each : emitted) {
      await(each);
    }
    // and one offered after stop is refused, not acknowledged and dropped
    assertInstanceOf(IllegalStateException.class, awaitFailure(sink.emit(event(99))));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertEquals(20, lines.size());
    for (int i = 0; i < 20; i++) {
      assertEquals("req-" + i, new JsonObject(lines.get(i)).getString("request_id"));
    }
  }
}
