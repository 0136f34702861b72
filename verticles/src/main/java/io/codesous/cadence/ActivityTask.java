package io.codesous.cadence;

import com.uber.cadence.PollForActivityTaskResponse;
import io.codesous.auth.ServicePrincipals;
import io.codesous.spec.message.InvocationRequest;
import io.codesous.spec.message.Trigger;
import io.codesous.store.VersionMeta;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One activity task as the poller took it, with the binding it came through, and how it becomes an invocation.
 *
 * <p>The activation id is derived from the task, not drawn: {@code cad-} and 32 hex digits of the SHA-256 of
 * domain, workflow id, run id and activity id, then the attempt (1-based). A task Cadence hands out twice maps to
 * one activation, which runs once; the previous attempt's id is known without a lookup, so every attempt names
 * its parent. The prefix lets the results consumer pass over every other activation without a KV read.
 */
record ActivityTask(String binding, String tenant, String namespace, String domain, String tasklist,
                    String workflowId, String runId, String activityId, String activityType, int attempt,
                    byte[] token, byte[] input, int heartbeatTimeoutSeconds, int scheduleToCloseSeconds) {

  static final String ID_PREFIX = "cad-";

  static ActivityTask of(String binding, String tenant, String namespace, String tasklist,
                         PollForActivityTaskResponse task, String domain) {
    return new ActivityTask(binding, tenant, namespace, domain, tasklist,
        task.getWorkflowExecution().getWorkflowId(), task.getWorkflowExecution().getRunId(), task.getActivityId(),
        task.getActivityType().getName(), task.getAttempt() + 1, task.getTaskToken(),
        task.getInput() == null ? new byte[0] : task.getInput(), task.getHeartbeatTimeoutSeconds(),
        task.getScheduleToCloseTimeoutSeconds());
  }

  String tokenHash() {
    return HexFormat.of().formatHex(sha256(token));
  }

  String activationId() {
    return activationId(attempt);
  }

  /** The previous attempt's activation, or {@code null} for the first. */
  String parentActivationId() {
    return attempt <= 1 ? null : activationId(attempt - 1);
  }

  private String activationId(int n) {
    return activationId(domain, workflowId, runId, activityId, n);
  }

  static String activationId(String domain, String workflowId, String runId, String activityId, int n) {
    byte[] identity = String.join("\n", domain, workflowId, runId, activityId).getBytes(StandardCharsets.UTF_8);
    return ID_PREFIX + HexFormat.of().formatHex(sha256(identity)).substring(0, 32) + "-" + n;
  }

  /** What logs and the trigger name the task by. */
  JsonObject identifiers() {
    return new JsonObject().put("domain", domain).put("tasklist", tasklist).put("workflowId", workflowId)
        .put("runId", runId).put("activityId", activityId).put("activityType", activityType).put("attempt", attempt);
  }

  /**
   * The invocation, as spec/cadence.md describes it: trigger {@code cadence} with the Cadence identifiers, the
   * attempt and its parent; the event with the input's bytes in base64 and, when they are JSON, parsed too.
   */
  InvocationRequest request(String function, String ref, VersionMeta meta, String replyTo, long nowMs,
                            long marginMs) {
    JsonObject payload = new JsonObject().put("raw_base64", Base64.getEncoder().encodeToString(input));
    if (input.length > 0) {
      try {
        payload.put("json", Json.decodeValue(new String(input, StandardCharsets.UTF_8)));
      } catch (DecodeException notJson) {
        // the bytes are the workflow's own encoding: raw_base64 alone carries them
      }
    }
    JsonObject event = new JsonObject().put("type", "cadence.activity").put("cadence", identifiers())
        .put("input", payload);
    JsonObject source = identifiers().put("binding", binding).put("parent_activation_id", parentActivationId());
    long timeoutMs = meta.manifest().limits().timeoutMs();
    String id = activationId();
    return new InvocationRequest(id, id, tenant, namespace, function, ref, meta.version(),
        new Trigger(Trigger.CADENCE, source), ServicePrincipals.CADENCE_POLLER.toJson(), event,
        nowMs + timeoutMs + marginMs, timeoutMs, replyTo, null, null, nowMs, 1);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException impossible) {
      throw new IllegalStateException("SHA-256 is part of every JVM", impossible);
    }
  }
}
