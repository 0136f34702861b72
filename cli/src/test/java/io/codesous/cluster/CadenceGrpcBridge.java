package io.codesous.cluster;

import com.google.protobuf.ByteString;
import com.google.protobuf.Duration;
import com.uber.cadence.EntityNotExistsError;
import com.uber.cadence.WorkflowExecutionAlreadyCompletedError;
import com.uber.cadence.api.v1.ActivityType;
import com.uber.cadence.api.v1.HealthRequest;
import com.uber.cadence.api.v1.HealthResponse;
import com.uber.cadence.api.v1.MetaAPIGrpc;
import com.uber.cadence.api.v1.Payload;
import com.uber.cadence.api.v1.PollForActivityTaskRequest;
import com.uber.cadence.api.v1.PollForActivityTaskResponse;
import com.uber.cadence.api.v1.RecordActivityTaskHeartbeatRequest;
import com.uber.cadence.api.v1.RecordActivityTaskHeartbeatResponse;
import com.uber.cadence.api.v1.RespondActivityTaskCanceledRequest;
import com.uber.cadence.api.v1.RespondActivityTaskCanceledResponse;
import com.uber.cadence.api.v1.RespondActivityTaskCompletedRequest;
import com.uber.cadence.api.v1.RespondActivityTaskCompletedResponse;
import com.uber.cadence.api.v1.RespondActivityTaskFailedRequest;
import com.uber.cadence.api.v1.RespondActivityTaskFailedResponse;
import com.uber.cadence.api.v1.WorkerAPIGrpc;
import com.uber.cadence.api.v1.WorkflowExecution;
import com.uber.cadence.serviceclient.IWorkflowService;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The Cadence client's in-memory {@code TestWorkflowService} served over Cadence's gRPC API on a local port, for the
 * calls an activity worker makes (activity polls, answers, heartbeats, and the health check): so a poller in another
 * process, connecting as it would to a Cadence frontend, works against the service a test drives with real
 * workflows. Each request is mapped to the service's own types and back. A poll whose caller went away (its process
 * was killed) is interrupted, so it cannot take a task for a poller that no longer exists.
 */
final class CadenceGrpcBridge implements AutoCloseable {

  private final Server server;

  private CadenceGrpcBridge(Server server) {
    this.server = server;
  }

  static CadenceGrpcBridge start(IWorkflowService cadence, int port) throws IOException {
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new Worker(cadence)).addService(new Meta()).build().start();
    return new CadenceGrpcBridge(server);
  }

  int port() {
    return server.getPort();
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static final class Meta extends MetaAPIGrpc.MetaAPIImplBase {
    @Override
    public void health(HealthRequest request, StreamObserver<HealthResponse> observer) {
      observer.onNext(HealthResponse.newBuilder().setOk(true).setMessage("test service").build());
      observer.onCompleted();
    }
  }

  private static final class Worker extends WorkerAPIGrpc.WorkerAPIImplBase {
    private final IWorkflowService cadence;

    Worker(IWorkflowService cadence) {
      this.cadence = cadence;
    }

    @Override
    public void pollForActivityTask(PollForActivityTaskRequest request,
                                    StreamObserver<PollForActivityTaskResponse> observer) {
      Thread polling = Thread.currentThread();
      ((ServerCallStreamObserver<PollForActivityTaskResponse>) observer).setOnCancelHandler(polling::interrupt);
      answer(observer, () -> {
        com.uber.cadence.PollForActivityTaskResponse task = cadence.PollForActivityTask(
            new com.uber.cadence.PollForActivityTaskRequest().setDomain(request.getDomain())
                .setTaskList(new com.uber.cadence.TaskList().setName(request.getTaskList().getName()))
                .setIdentity(request.getIdentity()));
        return task == null || task.getTaskToken() == null ? PollForActivityTaskResponse.getDefaultInstance()
            : toProto(task);
      });
    }

    @Override
    public void respondActivityTaskCompleted(RespondActivityTaskCompletedRequest request,
                                             StreamObserver<RespondActivityTaskCompletedResponse> observer) {
      answer(observer, () -> {
        cadence.RespondActivityTaskCompleted(new com.uber.cadence.RespondActivityTaskCompletedRequest()
            .setTaskToken(request.getTaskToken().toByteArray()).setResult(bytes(request.getResult()))
            .setIdentity(request.getIdentity()));
        return RespondActivityTaskCompletedResponse.getDefaultInstance();
      });
    }

    @Override
    public void respondActivityTaskFailed(RespondActivityTaskFailedRequest request,
                                          StreamObserver<RespondActivityTaskFailedResponse> observer) {
      answer(observer, () -> {
        cadence.RespondActivityTaskFailed(new com.uber.cadence.RespondActivityTaskFailedRequest()
            .setTaskToken(request.getTaskToken().toByteArray()).setReason(request.getFailure().getReason())
            .setDetails(request.getFailure().getDetails().toByteArray()).setIdentity(request.getIdentity()));
        return RespondActivityTaskFailedResponse.getDefaultInstance();
      });
    }

    @Override
    public void respondActivityTaskCanceled(RespondActivityTaskCanceledRequest request,
                                            StreamObserver<RespondActivityTaskCanceledResponse> observer) {
      answer(observer, () -> {
        cadence.RespondActivityTaskCanceled(new com.uber.cadence.RespondActivityTaskCanceledRequest()
            .setTaskToken(request.getTaskToken().toByteArray()).setDetails(bytes(request.getDetails()))
            .setIdentity(request.getIdentity()));
        return RespondActivityTaskCanceledResponse.getDefaultInstance();
      });
    }

    @Override
    public void recordActivityTaskHeartbeat(RecordActivityTaskHeartbeatRequest request,
                                            StreamObserver<RecordActivityTaskHeartbeatResponse> observer) {
      answer(observer, () -> RecordActivityTaskHeartbeatResponse.newBuilder().setCancelRequested(
          cadence.RecordActivityTaskHeartbeat(new com.uber.cadence.RecordActivityTaskHeartbeatRequest()
              .setTaskToken(request.getTaskToken().toByteArray()).setDetails(bytes(request.getDetails()))
              .setIdentity(request.getIdentity())).isCancelRequested()).build());
    }

    private static PollForActivityTaskResponse toProto(com.uber.cadence.PollForActivityTaskResponse task) {
      PollForActivityTaskResponse.Builder b = PollForActivityTaskResponse.newBuilder()
          .setTaskToken(ByteString.copyFrom(task.getTaskToken()))
          .setWorkflowExecution(WorkflowExecution.newBuilder().setWorkflowId(task.getWorkflowExecution().getWorkflowId())
              .setRunId(task.getWorkflowExecution().getRunId()))
          .setActivityId(task.getActivityId())
          .setActivityType(ActivityType.newBuilder().setName(task.getActivityType().getName()))
          .setScheduleToCloseTimeout(seconds(task.getScheduleToCloseTimeoutSeconds()))
          .setStartToCloseTimeout(seconds(task.getStartToCloseTimeoutSeconds()))
          .setHeartbeatTimeout(seconds(task.getHeartbeatTimeoutSeconds()))
          .setAttempt(task.getAttempt());
      if (task.getInput() != null) {
        b.setInput(Payload.newBuilder().setData(ByteString.copyFrom(task.getInput())));
      }
      if (task.getWorkflowDomain() != null) {
        b.setWorkflowDomain(task.getWorkflowDomain());
      }
      return b.build();
    }

    private static Duration seconds(int seconds) {
      return Duration.newBuilder().setSeconds(seconds).build();
    }

    private static byte[] bytes(Payload payload) {
      return payload == null || payload.getData().isEmpty() ? null : payload.getData().toByteArray();
    }

    /** The service's answer, or the gRPC status the Cadence client maps back to the same error. */
    private static <T> void answer(StreamObserver<T> observer, Callable<T> call) {
      try {
        T response = call.call();
        observer.onNext(response);
        observer.onCompleted();
      } catch (EntityNotExistsError | WorkflowExecutionAlreadyCompletedError gone) {
        observer.onError(Status.NOT_FOUND.withDescription(gone.getMessage()).asRuntimeException());
      } catch (Exception failed) {
        observer.onError(Status.INTERNAL.withDescription(String.valueOf(failed)).asRuntimeException());
      }
    }
  }
}
