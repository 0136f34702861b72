package io.codesous.bench;

import com.uber.cadence.activity.ActivityOptions;
import com.uber.cadence.workflow.Workflow;
import com.uber.cadence.workflow.WorkflowMethod;
import io.vertx.core.json.JsonObject;

import java.time.Duration;

/** The workflow the Cadence benchmark and the load gate run: one {@code SousInvokeActivity} call, its result returned. */
public interface EchoWorkflow {

  /** The activity type the platform's binding maps to a function. */
  String ACTIVITY = "SousInvokeActivity";

  /** The function the activity runs: {@code hello} and the workflow's input. */
  String FUNCTION_SOURCE = "export const handler = async (event) => 'hello ' + event.input.json;";

  @WorkflowMethod
  String run(String tasklist, String input);

  /** The worker binding that serves {@link #ACTIVITY} from {@code function}'s {@code prod} alias. */
  static JsonObject binding(String domain, String tasklist, String function, int pollers) {
    return new JsonObject().put("domain", domain).put("tasklist", tasklist)
        .put("pollers", new JsonObject().put("activity", pollers))
        .put("limits", new JsonObject().put("max_inflight_tasks", 256))
        .put("activity_map", new JsonObject().put(ACTIVITY, new JsonObject().put("function", function).put("alias", "prod")));
  }

  /** Calls the activity on the task list the platform's binding polls; no retry, so one task is one activation. */
  final class Impl implements EchoWorkflow {
    @Override
    public String run(String tasklist, String input) {
      return Workflow.newUntypedActivityStub(new ActivityOptions.Builder().setTaskList(tasklist)
          .setScheduleToCloseTimeout(Duration.ofSeconds(60)).build())
          .execute(ACTIVITY, String.class, input);
    }
  }
}
