package io.codesous.bench;

import com.uber.cadence.WorkflowExecution;
import com.uber.cadence.client.WorkflowClient;
import com.uber.cadence.client.WorkflowClientOptions;
import com.uber.cadence.client.WorkflowOptions;
import com.uber.cadence.client.WorkflowStub;
import com.uber.cadence.internal.testservice.TestWorkflowService;
import com.uber.cadence.worker.WorkerFactory;
import io.codesous.cadence.CadenceOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load gate's Cadence activities: the Cadence client's in-memory service in the gate's JVM, a Java worker
 * running {@link EchoWorkflow}, and workflows started open loop, each calling one activity that the platform's
 * binding {@value #BINDING} serves. After the load, every workflow's history names its activity's activation, which
 * the gate counts like an HTTP invoke's.
 */
final class GateActivities implements AutoCloseable {

  static final String BINDING = "gate";
  private static final String DOMAIN = "gate";
  private static final String WORKFLOWS = "gate-workflows";
  private static final String TASKLIST = "gate-activities";
  /** The binding's long-poll loops: enough that a poll is always waiting at the gate's rates. */
  private static final int POLLERS = 4;

  private final TestWorkflowService cadence = new TestWorkflowService();
  private final WorkflowClient client;
  private final WorkerFactory workers;
  private final AtomicLong sent = new AtomicLong();
  private final List<WorkflowExecution> started = new ArrayList<>();
  private final List<CompletableFuture<String>> results = new ArrayList<>();
  private Thread load;
  private volatile Exception loadFailure;

  GateActivities() {
    // no time skipping: the service's clock must run as the platform's does, or timeouts fire early
    cadence.lockTimeSkipping("gate");
    client = WorkflowClient.newInstance(cadence, WorkflowClientOptions.newBuilder().setDomain(DOMAIN).build());
    workers = WorkerFactory.newInstance(client);
    workers.newWorker(WORKFLOWS).registerWorkflowImplementationTypes(EchoWorkflow.Impl.class);
    workers.start();
  }

  /** The platform's {@code cadence} section: its poller talks to this JVM's service. */
  CadenceOptions cadenceOptions() {
    return new CadenceOptions().setService(cadence);
  }

  /** Deploys the activity's function and binds it to the task list. */
  void bind(GateApi api, String function) throws Exception {
    api.deploy(function, EchoWorkflow.FUNCTION_SOURCE);
    GateApi.expect(200, api.send("PUT", api.namespacePath() + "/bindings/" + BINDING,
        EchoWorkflow.binding(DOMAIN, TASKLIST, function, POLLERS)));
  }

  /** Starts {@code rate × seconds} workflows on schedule, on a thread of its own. */
  void startLoad(int rate, long seconds) {
    load = new Thread(() -> {
      try {
        GatePace.run(rate, seconds, this::startOne);
      } catch (Exception failed) {
        loadFailure = failed;
      }
    }, "gate-activities");
    load.setDaemon(true);
    load.start();
  }

  private void startOne() {
    sent.incrementAndGet();
    EchoWorkflow echo = client.newWorkflowStub(EchoWorkflow.class, new WorkflowOptions.Builder()
        .setTaskList(WORKFLOWS).setExecutionStartToCloseTimeout(Duration.ofSeconds(300)).build());
    try {
      WorkflowExecution execution = WorkflowClient.start(echo::run, TASKLIST, "w" + sent.get());
      synchronized (this) {
        started.add(execution);
        results.add(WorkflowStub.fromTyped(echo).getResultAsync(String.class));
      }
    } catch (RuntimeException refused) {
      // not started: the row "workflows started / sent" shows it
    }
  }

  void awaitLoad() throws Exception {
    load.join();
    if (loadFailure != null) {
      throw loadFailure;
    }
  }

  long sent() {
    return sent.get();
  }

  synchronized List<WorkflowExecution> started() {
    return List.copyOf(started);
  }

  /** Waits until every started workflow closed or the deadline passed; how many are still open. */
  long awaitClosed(long deadlineMs) throws InterruptedException {
    List<CompletableFuture<String>> pending;
    synchronized (this) {
      pending = List.copyOf(results);
    }
    long open = 0;
    for (CompletableFuture<String> result : pending) {
      try {
        result.get(Math.max(1, deadlineMs - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.ExecutionException failedWorkflow) {
        // closed, but not completed: its activity's history tells how
      } catch (java.util.concurrent.TimeoutException stillOpen) {
        open++;
      }
    }
    return open;
  }

  /** What each started workflow's history says of its activity. */
  List<ActivityHistory> histories() throws Exception {
    List<ActivityHistory> histories = new ArrayList<>();
    for (WorkflowExecution execution : started()) {
      histories.add(ActivityHistory.read(cadence, DOMAIN, execution));
    }
    return histories;
  }

  /** The worker first (it polls the service), then the service. */
  @Override
  public void close() {
    workers.shutdownNow();
    cadence.close();
  }
}
