package io.codesous.runtime;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One runtime with the default options for all the tests of a class, closed after them:
 * {@code @RegisterExtension static final SharedRuntime runtime = new SharedRuntime();}. A runtime costs an engine, so
 * the tests of a class share one, as activations on a server do.
 */
final class SharedRuntime implements BeforeAllCallback, AfterAllCallback {

  private JsRuntime runtime;

  @Override
  public void beforeAll(ExtensionContext context) {
    runtime = new JsRuntime(new RuntimeOptions());
  }

  @Override
  public void afterAll(ExtensionContext context) {
    runtime.close();
  }

  JsRuntime get() {
    return runtime;
  }

  ExecutionResult execute(ExecutionRequest request) {
    return runtime.execute(request);
  }

  /** Runs the request built. */
  ExecutionResult run(TestRequest request) {
    return runtime.execute(request.build());
  }

  boolean cancel(String tenant, String namespace, String activationId) {
    return runtime.cancel(tenant, namespace, activationId);
  }
}
