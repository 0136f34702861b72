package io.codesous.platform;

import com.uber.cadence.activity.ActivityOptions;
import com.uber.cadence.common.RetryOptions;
import com.uber.cadence.workflow.ActivityFailureException;
import com.uber.cadence.workflow.ActivityStub;
import com.uber.cadence.workflow.CancellationScope;
import com.uber.cadence.workflow.Promise;
import com.uber.cadence.workflow.Workflow;
import com.uber.cadence.workflow.WorkflowMethod;
import io.codesous.spec.cadence.CapabilityDenied;
import io.codesous.spec.cadence.Forbidden;
import io.codesous.spec.cadence.NonRetryableError;
import io.codesous.spec.cadence.NotFound;
import io.codesous.spec.cadence.ValidationFailed;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * A real Java workflow, as a Cadence user writes one: it calls the activity type {@code SousInvokeActivity} on a
 * task list that code-sous serves, with the timeouts and retry policy of its {@link Plan}, and returns what came
 * back, or the failure's reason class and message.
 */
public interface SousWorkflow {

  String ACTIVITY = "SousInvokeActivity";

  @WorkflowMethod
  String run(Plan plan);

  /** What the workflow asks of its activity. */
  final class Plan {
    public String tasklist;
    public Map<String, Object> input;
    public int scheduleToCloseSeconds = 30;
    public int heartbeatTimeoutSeconds;
    /** 0: no retry policy. */
    public int maximumAttempts;
    /** 0: the activity runs to its end; otherwise the workflow cancels it after this many milliseconds. */
    public long cancelAfterMs;

    public Plan() {
    }

    Plan(String tasklist, Map<String, Object> input) {
      this.tasklist = tasklist;
      this.input = input;
    }

    Plan heartbeatTimeout(int seconds) {
      heartbeatTimeoutSeconds = seconds;
      return this;
    }

    Plan cancelAfter(long ms) {
      cancelAfterMs = ms;
      return this;
    }

    Plan attempts(int n) {
      maximumAttempts = n;
      return this;
    }
  }

  final class Impl implements SousWorkflow {
    @Override
    public String run(Plan plan) {
      ActivityOptions.Builder options = new ActivityOptions.Builder().setTaskList(plan.tasklist)
          .setScheduleToCloseTimeout(Duration.ofSeconds(plan.scheduleToCloseSeconds));
      if (plan.heartbeatTimeoutSeconds > 0) {
        options.setHeartbeatTimeout(Duration.ofSeconds(plan.heartbeatTimeoutSeconds));
      }
      if (plan.maximumAttempts > 0) {
        // the RetryPolicy spec/cadence.md recommends: code-sous's non-retryable reasons are never retried
        options.setRetryOptions(new RetryOptions.Builder().setInitialInterval(Duration.ofSeconds(1))
            .setBackoffCoefficient(1).setMaximumAttempts(plan.maximumAttempts)
            .setExpiration(Duration.ofSeconds(plan.scheduleToCloseSeconds))
            .setDoNotRetry(NonRetryableError.class, ValidationFailed.class, Forbidden.class, CapabilityDenied.class,
                NotFound.class)
            .build());
      }
      ActivityStub activity = Workflow.newUntypedActivityStub(options.build());
      if (plan.cancelAfterMs > 0) {
        return runAndCancel(activity, plan);
      }
      try {
        return "ok " + activity.execute(ACTIVITY, String.class, plan.input);
      } catch (ActivityFailureException failed) {
        Throwable cause = failed.getCause();
        return "failed " + (cause == null ? "" : cause.getClass().getName() + " " + cause.getMessage());
      }
    }

    /** Starts the activity in a cancellation scope, cancels the scope after a while, and says how it ended. */
    private static String runAndCancel(ActivityStub activity, Plan plan) {
      List<Promise<String>> result = new ArrayList<>();
      CancellationScope scope = Workflow.newCancellationScope(
          () -> result.add(activity.executeAsync(ACTIVITY, String.class, plan.input)));
      scope.run();
      Workflow.sleep(Duration.ofMillis(plan.cancelAfterMs));
      scope.cancel();
      try {
        return "ok " + result.get(0).get();
      } catch (CancellationException cancelled) {
        return "cancelled";
      } catch (RuntimeException failed) {
        return "failed " + failed.getClass().getName() + " " + failed.getMessage();
      }
    }
  }
}
