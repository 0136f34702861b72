package io.codesous.platform;

import com.uber.cadence.serviceclient.ClientOptions;
import com.uber.cadence.serviceclient.IWorkflowService;
import com.uber.cadence.serviceclient.WorkflowServiceGrpc;
import io.codesous.cadence.CadenceOptions;

/** The Cadence service the poller talks to: the one the options carry, or one this process opens and closes. */
final class CadenceConnection implements AutoCloseable {

  private final IWorkflowService service;
  private final boolean own;

  private CadenceConnection(IWorkflowService service, boolean own) {
    this.service = service;
    this.own = own;
  }

  /** @throws IllegalArgumentException when the configuration has no {@code cadence} section */
  static CadenceConnection open(CadenceOptions cadence) {
    if (cadence == null) {
      throw new IllegalArgumentException(
          "the cadence-poller component needs a cadence section (host, port) in the configuration");
    }
    if (cadence.getService() != null) {
      return new CadenceConnection(cadence.getService(), false);
    }
    // the client's default port is the old Thrift one; its gRPC transport needs the port set explicitly
    return new CadenceConnection(new WorkflowServiceGrpc(ClientOptions.newBuilder().setHost(cadence.getHost())
        .setPort(cadence.getPort()).build()), true);
  }

  IWorkflowService service() {
    return service;
  }

  @Override
  public void close() {
    if (own) {
      service.close();
    }
  }
}
