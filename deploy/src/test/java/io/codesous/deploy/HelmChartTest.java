package io.codesous.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.codesous.platform.PlatformOptions;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Helm chart, checked without a cluster: {@code helm lint}, then {@code helm template} with the
 * default values, the production values and test values that turn the optional parts on; every
 * object parsed strictly into the Kubernetes model ({@link RenderedChart}).
 */
class HelmChartTest {

  private static final Path PRODUCTION = DeployFiles.ROOT.resolve("helm/values-production.yaml");
  private static final Path MANAGEMENT = Path.of("src/test/resources/helm/values-management.yaml").toAbsolutePath();
  private static final Path LEASE = Path.of("src/test/resources/helm/values-scheduler-lease.yaml").toAbsolutePath();
  private static final Path NO_MANAGEMENT = Path.of("src/test/resources/helm/values-no-management.yaml").toAbsolutePath();
  private static final Path CADENCE = Path.of("src/test/resources/helm/values-cadence-poller.yaml").toAbsolutePath();
  private static final String PREFIX = RenderedChart.RELEASE + "-code-sous-";

  @TempDir
  Path scratch;

  @Test
  void theChartPassesStrictLint() {
    LintResult lint = new Helm(DeployFiles.CHART).lint().strict().call();
    assertFalse(lint.isFailed(), String.join("\n", lint.getMessages()));
  }

  @Test
  void theDefaultValuesRenderOneDeploymentPerEnabledRole() {
    RenderedChart chart = RenderedChart.render();
    Set<String> deployments = chart.all(Deployment.class).stream()
        .map(d -> d.getMetadata().getName()).collect(Collectors.toSet());
    assertEquals(Set.of(PREFIX + "gateway", PREFIX + "invoker", PREFIX + "scheduler"), deployments,
        "the cadence poller is off until enabled");
    assertTrue(chart.all(HorizontalPodAutoscaler.class).isEmpty());
    assertTrue(chart.all(ServiceMonitor.class).isEmpty());
    assertTrue(chart.all(Role.class).isEmpty(), "no Kubernetes API rights unless the scheduler's lease asks for them");
    assertEquals(3, chart.all(PodDisruptionBudget.class).size());
  }

  @Test
  void everyRenderedCsYamlIsAcceptedByTheRealLoader() {
    for (Path[] values : List.of(new Path[0], new Path[] {PRODUCTION}, new Path[] {LEASE}, new Path[] {MANAGEMENT},
        new Path[] {NO_MANAGEMENT}, new Path[] {CADENCE})) {
      RenderedChart chart = RenderedChart.render(values);
      boolean management = values.length == 0 || values[0] != NO_MANAGEMENT;
      ConfigMap config = chart.get(ConfigMap.class, PREFIX + "config");
      for (Deployment deployment : chart.all(Deployment.class)) {
        String role = deployment.getMetadata().getLabels().get("app.kubernetes.io/component");
        String csYaml = config.getData().get(role + ".yaml");
        assertNotNull(csYaml, "no cs.yaml for " + role);
        PlatformOptions options = DeployFiles.loadConfig(csYaml, environment(container(deployment)), scratch, role + ".yaml");
        assertEquals(Set.copyOf(components(chart, role)), options.getComponents(), role);
        assertEquals(8080, options.getPort(), role);
        if (management) {
          assertEquals("0.0.0.0", options.getObservability().getManagementHost(), role + ": probes and Prometheus reach it");
          assertEquals(9464, options.getObservability().getManagementPort(), role);
        }
        boolean clustered = !role.equals("scheduler");
        assertEquals(clustered, options.getCluster().isEnabled(), role);
        if (clustered) {
          assertEquals(PREFIX + "cluster." + RenderedChart.NAMESPACE + ".svc.cluster.local",
              options.getCluster().getKubernetesServiceDns(), role);
          assertEquals("10.1.2.3", options.getCluster().getHost(), role + " announces its pod IP");
        }
      }
    }
  }

  @Test
  void theProductionValuesMergeOverTheSharedConfiguration() {
    RenderedChart chart = RenderedChart.render(PRODUCTION);
    ConfigMap config = chart.get(ConfigMap.class, PREFIX + "config");
    PlatformOptions invoker = DeployFiles.loadConfig(config.getData().get("invoker.yaml"),
        environment(container(chart.get(Deployment.class, PREFIX + "invoker"))), scratch, "invoker.yaml");
    assertEquals(4, invoker.getInvoker().getWorkerPoolSize(), "the role's own setting");
    assertEquals(24, invoker.getKafka().getInteger("partitions"), "the shared setting");
    HorizontalPodAutoscaler hpa = chart.get(HorizontalPodAutoscaler.class, PREFIX + "invoker");
    assertEquals(PREFIX + "invoker", hpa.getSpec().getScaleTargetRef().getName());
    assertEquals(null, chart.get(Deployment.class, PREFIX + "invoker").getSpec().getReplicas(),
        "the autoscaler owns the replica count");
    for (PodDisruptionBudget pdb : chart.all(PodDisruptionBudget.class)) {
      assertTrue(pdb.getSpec().getMinAvailable() == null ^ pdb.getSpec().getMaxUnavailable() == null,
          pdb.getMetadata().getName() + " must set exactly one of minAvailable and maxUnavailable");
    }
  }

  @Test
  void noContainerRunsAsRootOrCanWriteItsImage() {
    for (Path[] values : List.of(new Path[0], new Path[] {PRODUCTION})) {
      for (Deployment deployment : RenderedChart.render(values).all(Deployment.class)) {
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(pod.getSecurityContext().getRunAsUser() > 0);
        for (Container container : concat(pod.getInitContainers(), pod.getContainers())) {
          SecurityContext security = container.getSecurityContext();
          String where = deployment.getMetadata().getName() + "/" + container.getName();
          assertTrue(security.getRunAsNonRoot(), where);
          assertTrue(security.getReadOnlyRootFilesystem(), where);
          assertFalse(security.getAllowPrivilegeEscalation(), where);
          assertEquals(List.of("ALL"), security.getCapabilities().getDrop(), where);
        }
      }
    }
  }

  @Test
  void withoutAManagementPortTheProbesUseTheApiPort() {
    RenderedChart chart = RenderedChart.render(NO_MANAGEMENT);
    assertTrue(chart.all(Service.class).stream().noneMatch(s -> s.getMetadata().getName().equals(PREFIX + "management")));
    for (Deployment deployment : chart.all(Deployment.class)) {
      Container cs = container(deployment);
      assertProbe(cs.getLivenessProbe(), "/healthz", "http");
      assertProbe(cs.getStartupProbe(), "/healthz", "http");
      assertProbe(cs.getReadinessProbe(), "/readyz", "http");
      assertEquals(8080, port(cs, "http"));
    }
  }

  @Test
  void theProbesAndTheMetricsUseTheManagementPortByDefault() {
    assertEquals(9464, port(container(RenderedChart.render().get(Deployment.class, PREFIX + "gateway")), "management"));
    RenderedChart chart = RenderedChart.render(MANAGEMENT);
    for (Deployment deployment : chart.all(Deployment.class)) {
      Container cs = container(deployment);
      assertProbe(cs.getLivenessProbe(), "/healthz", "management");
      assertProbe(cs.getReadinessProbe(), "/readyz", "management");
      assertEquals(9464, port(cs, "management"));
      String role = deployment.getMetadata().getLabels().get("app.kubernetes.io/component");
      String csYaml = chart.get(ConfigMap.class, PREFIX + "config").getData().get(role + ".yaml");
      Map<String, Object> parsed = DeployFiles.yaml().load(csYaml);
      assertEquals(Map.of("host", "0.0.0.0", "port", 9464), parsed.get("management"), role);
    }
    Service management = chart.get(Service.class, PREFIX + "management");
    assertEquals(9464, management.getSpec().getPorts().get(0).getPort());
    ServiceMonitor monitor = chart.get(ServiceMonitor.class, RenderedChart.RELEASE + "-code-sous");
    assertEquals("management", monitor.getSpec().getEndpoints().get(0).getPort());
    assertEquals("/metrics", monitor.getSpec().getEndpoints().get(0).getPath());
    assertEquals(management.getMetadata().getLabels().get("code-sous.io/metrics"),
        monitor.getSpec().getSelector().getMatchLabels().get("code-sous.io/metrics"));
  }

  @Test
  void theSchedulerLeaseGrantsLeasesToTheSchedulerOnly() {
    RenderedChart chart = RenderedChart.render(LEASE);
    Role role = chart.get(Role.class, PREFIX + "scheduler-lease");
    assertEquals(List.of("coordination.k8s.io"), role.getRules().get(0).getApiGroups());
    assertEquals(List.of("leases"), role.getRules().get(0).getResources());
    RoleBinding binding = chart.get(RoleBinding.class, PREFIX + "scheduler-lease");
    assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
    for (Deployment deployment : chart.all(Deployment.class)) {
      boolean scheduler = deployment.getMetadata().getName().endsWith("-scheduler");
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertEquals(binding.getSubjects().get(0).getName(), pod.getServiceAccountName());
      assertEquals(scheduler, pod.getAutomountServiceAccountToken(), deployment.getMetadata().getName());
    }
    PlatformOptions options = DeployFiles.loadConfig(chart.get(ConfigMap.class, PREFIX + "config").getData()
        .get("scheduler.yaml"), Map.of(), scratch, "scheduler.yaml");
    assertEquals("kubernetes", options.getScheduler().election());
    assertEquals(RenderedChart.NAMESPACE, options.getScheduler().leaseNamespace());
    assertEquals(PREFIX + "scheduler", options.getScheduler().leaseName());
  }

  @Test
  void theCadencePollerRoleRendersTheCadenceAddressItIsGiven() {
    RenderedChart chart = RenderedChart.render(CADENCE);
    Deployment poller = chart.get(Deployment.class, PREFIX + "cadence-poller");
    PlatformOptions options = DeployFiles.loadConfig(chart.get(ConfigMap.class, PREFIX + "config").getData()
        .get("cadence-poller.yaml"), environment(container(poller)), scratch, "cadence-poller.yaml");
    assertEquals(Set.of("cadence-poller"), options.getComponents());
    assertEquals("cadence-frontend.cadence.svc", options.getCadence().getHost());
    assertEquals(7833, options.getCadence().getPort());
    assertProbe(container(poller).getReadinessProbe(), "/readyz", "management");
  }

  @Test
  void gatewaysAndInvokersFindEachOtherThroughTheHeadlessService() {
    RenderedChart chart = RenderedChart.render();
    Service cluster = chart.get(Service.class, PREFIX + "cluster");
    assertEquals("None", cluster.getSpec().getClusterIP());
    assertTrue(cluster.getSpec().getPublishNotReadyAddresses(), "starting members must find each other");
    for (Deployment deployment : chart.all(Deployment.class)) {
      Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
      boolean selected = cluster.getSpec().getSelector().entrySet().stream()
          .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
      boolean clustered = !deployment.getMetadata().getName().endsWith("-scheduler");
      assertEquals(clustered, selected, deployment.getMetadata().getName());
      if (clustered) {
        assertEquals(5701, port(container(deployment), "hazelcast"));
        assertEquals(5702, port(container(deployment), "eventbus"));
      }
    }
    Service api = chart.get(Service.class, RenderedChart.RELEASE + "-code-sous");
    assertEquals("true", api.getSpec().getSelector().get("code-sous.io/api"));
    assertEquals("true", chart.get(Deployment.class, PREFIX + "gateway").getSpec().getTemplate().getMetadata()
        .getLabels().get("code-sous.io/api"), "the API Service reaches the gateways");
  }

  @Test
  void secretsReachTheProcessFromTheNamedSecret() {
    Deployment gateway = RenderedChart.render().get(Deployment.class, PREFIX + "gateway");
    Map<String, EnvVar> env = container(gateway).getEnv().stream()
        .collect(Collectors.toMap(EnvVar::getName, e -> e));
    assertEquals("code-sous-secrets", env.get("CS_SECRETS__KEY").getValueFrom().getSecretKeyRef().getName());
    assertEquals("secrets-key", env.get("CS_SECRETS__KEY").getValueFrom().getSecretKeyRef().getKey());
    assertTrue(env.get("CS_KV__REDIS__CONNECTIONSTRING").getValueFrom().getSecretKeyRef().getOptional());
    assertEquals("code-sous-secrets", gateway.getSpec().getTemplate().getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals("keys")).findFirst().orElseThrow().getSecret().getSecretName());
  }

  private static void assertProbe(Probe probe, String path, String port) {
    assertEquals(path, probe.getHttpGet().getPath());
    assertEquals(port, probe.getHttpGet().getPort().getStrVal());
  }

  private static int port(Container container, String name) {
    return container.getPorts().stream().filter(p -> p.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(container.getName() + " has no port " + name)).getContainerPort();
  }

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
        .filter(c -> c.getName().equals("cs")).findFirst().orElseThrow();
  }

  @SuppressWarnings("unchecked")
  private static List<String> components(RenderedChart chart, String role) {
    String csYaml = chart.get(ConfigMap.class, PREFIX + "config").getData().get(role + ".yaml");
    return (List<String>) ((Map<String, Object>) DeployFiles.yaml().load(csYaml)).get("components");
  }

  /**
   * The container's environment as the process would see it: literal values as they are, the pod IP
   * and secret references as stand-in values of the right shape. Every {@code CS_} variable goes
   * through the loader, which refuses a name that is no setting.
   */
  private static Map<String, String> environment(Container container) {
    Map<String, String> env = new HashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValue() != null) {
        env.put(var.getName(), var.getValue());
      } else if (var.getValueFrom().getFieldRef() != null) {
        assertEquals("status.podIP", var.getValueFrom().getFieldRef().getFieldPath());
        env.put(var.getName(), "10.1.2.3");
      } else {
        env.put(var.getName(), switch (var.getValueFrom().getSecretKeyRef().getKey()) {
          case "secrets-key" -> "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
          case "redis-connection-string" -> "redis://:password@kvrocks:6666";
          case "kafka-client-properties" -> "{\"security.protocol\":\"SASL_SSL\"}";
          default -> throw new AssertionError("unexpected secret key " + var.getValueFrom().getSecretKeyRef().getKey());
        });
      }
    }
    return env;
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
