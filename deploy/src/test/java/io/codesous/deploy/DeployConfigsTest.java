package io.codesous.deploy;

import io.codesous.platform.ConfigLoader;
import io.codesous.platform.BackendNames;
import io.codesous.platform.PlatformOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ready configurations in deploy/config/ go through the loader the server uses, so they cannot rot. */
class DeployConfigsTest {

  /** Each shipped file and the components it must run. */
  private static final Map<String, Set<String>> SHAPES = Map.of(
      "single-node.yaml", Set.of("control", "gateway", "invoker", "scheduler"),
      "gateway.yaml", Set.of("control", "gateway"),
      "invoker.yaml", Set.of("invoker"),
      "scheduler.yaml", Set.of("scheduler"),
      "cadence-poller.yaml", Set.of("cadence-poller"));

  /** The management port the compose file's Prometheus targets and the chart's default use too. */
  static final int MANAGEMENT_PORT = 9464;

  @Test
  void everyShippedConfigurationIsOneOfTheKnownShapes() {
    List<String> shipped = DeployFiles.list(DeployFiles.CONFIG, ".yaml").stream()
        .map(p -> p.getFileName().toString()).toList();
    assertEquals(Set.copyOf(shipped), SHAPES.keySet(), "deploy/config/ and the shapes checked here differ");
  }

  @Test
  void everyConfigurationIsAcceptedByTheRealLoaderAndRunsItsComponents() {
    for (Map.Entry<String, Set<String>> shape : SHAPES.entrySet()) {
      PlatformOptions options = ConfigLoader.load(DeployFiles.CONFIG.resolve(shape.getKey()), Map.of());
      assertEquals(shape.getValue(), options.getComponents(), shape.getKey());
      assertEquals(BackendNames.KV_REDIS, options.getKvBackend(), shape.getKey());
      assertEquals(BackendNames.CODEQ_KAFKA, options.getCodeqBackend(), shape.getKey());
      assertEquals("0.0.0.0", options.getHost(), shape.getKey() + " must be reachable from outside its container");
      assertEquals("0.0.0.0", options.getObservability().getManagementHost(), shape.getKey() + ": Prometheus scrapes it");
      assertEquals(MANAGEMENT_PORT, options.getObservability().getManagementPort(), shape.getKey());
    }
  }

  @Test
  void processesThatSplitGatewaysFromInvokersJoinTheCluster() {
    for (String file : List.of("gateway.yaml", "invoker.yaml", "cadence-poller.yaml")) {
      PlatformOptions options = ConfigLoader.load(DeployFiles.CONFIG.resolve(file), Map.of("CS_CLUSTER__HOST", "10.0.0.7"));
      assertTrue(options.getCluster().isEnabled(), file);
      assertEquals("10.0.0.7", options.getCluster().getHost(), file + ": the documented override must take");
      assertFalse(options.getCluster().getMembers().isEmpty(), file);
    }
    assertFalse(ConfigLoader.load(DeployFiles.CONFIG.resolve("single-node.yaml"), Map.of()).getCluster().isEnabled(),
        "one process needs no cluster");
  }

  @Test
  void theDocumentedAddressOverridesAreSettings() {
    Path file = DeployFiles.CONFIG.resolve("single-node.yaml");
    PlatformOptions options = ConfigLoader.load(file, Map.of(
        "CS_KV__REDIS__CONNECTIONSTRING", "redis://10.0.0.5:6666",
        "CS_CODEQ__KAFKA__BOOTSTRAPSERVERS", "10.0.0.6:9092"));
    assertEquals("redis://10.0.0.5:6666", options.getRedis().getString("connectionString"));
    assertEquals("10.0.0.6:9092", options.getKafka().getString("bootstrapServers"));
  }

  @Test
  void thePollerFindsTheComposeCadenceAndTheDocumentedOverrideMovesIt() {
    Path file = DeployFiles.CONFIG.resolve("cadence-poller.yaml");
    assertEquals("cadence", ConfigLoader.load(file, Map.of()).getCadence().getHost());
    assertEquals(7833, ConfigLoader.load(file, Map.of()).getCadence().getPort());
    assertEquals("cadence-frontend.cadence.svc",
        ConfigLoader.load(file, Map.of("CS_CADENCE__HOST", "cadence-frontend.cadence.svc")).getCadence().getHost());
  }

  @Test
  void theSchedulerElectsThroughTheKvAndTheDocumentedOverrideSwitchesToALease() {
    Path file = DeployFiles.CONFIG.resolve("scheduler.yaml");
    assertEquals("kv", ConfigLoader.load(file, Map.of()).getScheduler().election());
    var lease = ConfigLoader.load(file, Map.of("CS_SCHEDULER__ELECTION", "kubernetes",
        "CS_SCHEDULER__KUBERNETES__NAMESPACE", "functions")).getScheduler();
    assertEquals("kubernetes", lease.election());
    assertEquals("functions", lease.leaseNamespace());
  }
}
