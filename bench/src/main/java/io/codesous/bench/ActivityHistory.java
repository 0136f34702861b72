package io.codesous.bench;

import com.uber.cadence.EventType;
import com.uber.cadence.GetWorkflowExecutionHistoryRequest;
import com.uber.cadence.HistoryEvent;
import com.uber.cadence.WorkflowExecution;
import com.uber.cadence.serviceclient.IWorkflowService;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * What a workflow's history says of the one activity it calls: when Cadence scheduled it, how and when it closed,
 * and which activation ran it. The activation id is computed as spec/cadence.md defines it ({@code cad-}, 32 hex
 * digits of the SHA-256 of domain, workflow id, run id and activity id, {@code -} the 1-based attempt), as any
 * client of the platform can: the benchmarks read it from Cadence's side, not from the platform they check.
 *
 * @param activationId the activation of the attempt that started (the first when none did), or {@code null} when
 *                     the workflow never scheduled its activity
 * @param closedAs     {@code ActivityTaskCompleted}, {@code ActivityTaskFailed}, … or {@code null} while open
 */
record ActivityHistory(String activationId, long scheduledNanos, long closedNanos, EventType closedAs) {

  static ActivityHistory read(IWorkflowService cadence, String domain, WorkflowExecution execution) throws Exception {
    String activityId = null;
    int attempt = 0;
    long scheduled = -1;
    long closed = -1;
    EventType closedAs = null;
    for (HistoryEvent event : cadence.GetWorkflowExecutionHistory(new GetWorkflowExecutionHistoryRequest()
        .setDomain(domain).setExecution(execution)).getHistory().getEvents()) {
      switch (event.getEventType()) {
        case ActivityTaskScheduled -> {
          activityId = event.getActivityTaskScheduledEventAttributes().getActivityId();
          scheduled = event.getTimestamp();
        }
        case ActivityTaskStarted -> attempt = event.getActivityTaskStartedEventAttributes().getAttempt();
        case ActivityTaskCompleted, ActivityTaskFailed, ActivityTaskTimedOut, ActivityTaskCanceled -> {
          closedAs = event.getEventType();
          closed = event.getTimestamp();
        }
        default -> {
          // the workflow's own events say nothing of the activity
        }
      }
    }
    String activationId = activityId == null ? null
        : activationId(domain, execution.getWorkflowId(), execution.getRunId(), activityId, attempt + 1);
    return new ActivityHistory(activationId, scheduled, closed, closedAs);
  }

  boolean completed() {
    return closedAs == EventType.ActivityTaskCompleted;
  }

  /** Scheduled to completed, in µs, or -1 when the activity did not complete. */
  long scheduleToCloseMicros() {
    return completed() && closedNanos >= scheduledNanos ? TimeUnit.NANOSECONDS.toMicros(closedNanos - scheduledNanos)
        : -1;
  }

  static String activationId(String domain, String workflowId, String runId, String activityId, int attempt)
      throws Exception {
    byte[] identity = String.join("\n", domain, workflowId, runId, activityId).getBytes(StandardCharsets.UTF_8);
    return "cad-" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(identity)).substring(0, 32)
        + "-" + attempt;
  }
}
