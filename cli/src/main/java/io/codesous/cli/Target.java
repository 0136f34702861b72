package io.codesous.cli;

import picocli.CommandLine.Option;

/** The tenant and namespace a command works in. */
final class Target {

  @Option(names = "--tenant", required = true, paramLabel = "TENANT", description = "Tenant")
  String tenant;

  @Option(names = "--namespace", defaultValue = "default", paramLabel = "NAMESPACE",
      description = "Namespace (default: ${DEFAULT-VALUE})")
  String namespace;

  /** {@code /v1/tenants/{tenant}/namespaces/{namespace}}, encoded. */
  String path() {
    return ApiClient.namespacePath(tenant, namespace);
  }
}
