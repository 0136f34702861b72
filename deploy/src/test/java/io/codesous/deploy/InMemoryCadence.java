package io.codesous.deploy;

import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowClientOptions;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.internal.testservice.TestWorkflowService;
import com.uber.cadence.worker.WorkerFactory;
import io.codesous.cadence.CadenceOptions;
import io.codesous.platform.SousWorkflow;

import java.time.Duration;
import java.util.Map;

/**
 * The Cadence client's in-memory service with a Java worker running {@link SousWorkflow}: what a platform's
 * Cadence poller needs to take a task and so register its meters, without a Cadence server.
 */
final class InMemoryCadence implements AutoCloseable {

  static final String DOMAIN = "dash";
  private static final String WORKFLOWS = "dash-workflows";

  private final TestWorkflowService service = new TestWorkflowService();
  private final WorkflowClient client;
  private final WorkerFactory workers;

  InMemoryCadence() {
    // real time: the service would otherwise skip ahead past the activity's timeout while the platform runs it
    service.lockTimeSkipping("code-sous");
    client = WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().setDomain(DOMAIN).build());
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(SousWorkflow.Impl.class);
    workers.start();
  }

  /** The platform's {@code cadence} section: its poller talks to this service. */
  CadenceOptions options() {
    return new CadenceOptions().setService(service);
  }

  /** Runs one workflow whose activity goes to {@code tasklist}; what the workflow returned. */
  String run(String tasklist) {
    SousWorkflow.Plan plan = new SousWorkflow.Plan();
    plan.tasklist = tasklist;
    plan.input = Map.of();
    SousWorkflow workflow = client.newWorkflowStub(SousWorkflow.class, new WorkflowOptions.Builder()
        .setTaskList(WORKFLOWS).setExecutionStartToCloseTimeout(Duration.ofSeconds(60)).build());
    return workflow.run(plan);
  }

  @Override
  public void close() {
    workers.shutdownNow();
    service.close();
  }
}
