package io.codesous.deploy;

import io.codesous.platform.ConfigLoader;
import io.codesous.platform.PlatformOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The compose dev cluster, checked without a container engine: every file it mounts exists, every
 * code-sous process's configuration goes through the real loader with the environment compose gives
 * it, and the addresses in those configurations are the ones compose gives the services.
 */
class ComposeWiringTest {

  private static final Path FILE = DeployFiles.COMPOSE.resolve("compose.yaml");
  private static final Map<String, Object> COMPOSE = DeployFiles.readMap(FILE);

  @Test
  void everyFileTheClusterMountsExists() {
    for (Map.Entry<String, Map<String, Object>> service : services().entrySet()) {
      for (Object volume : list(service.getValue().get("volumes"))) {
        String source = String.valueOf(volume).split(":")[0];
        if (source.startsWith(".")) {
          assertTrue(Files.exists(DeployFiles.COMPOSE.resolve(source)), service.getKey() + " mounts " + source);
        }
      }
    }
    map(COMPOSE.get("configs")).forEach((name, config) -> assertTrue(
        Files.isRegularFile(DeployFiles.COMPOSE.resolve(String.valueOf(map(config).get("file")))), "config " + name));
  }

  @Test
  void everyProcessRunsADeployConfigurationTheLoaderAccepts() {
    Map<String, Map<String, Object>> processes = processes();
    assertEquals(Set.of("gateway-1", "gateway-2", "invoker-1", "invoker-2", "scheduler", "cadence-poller"),
        processes.keySet());
    for (Map.Entry<String, Map<String, Object>> process : processes.entrySet()) {
      String name = process.getKey();
      PlatformOptions options = options(process.getValue());
      Set<String> expected = name.startsWith("gateway") ? Set.of("control", "gateway")
          : name.startsWith("invoker") ? Set.of("invoker")
          : name.equals("cadence-poller") ? Set.of("cadence-poller") : Set.of("scheduler");
      assertEquals(expected, options.getComponents(), name);
      for (Object port : list(process.getValue().get("ports"))) {
        assertEquals(String.valueOf(options.getPort()), String.valueOf(port).split(":")[1],
            name + " publishes a port its process does not listen on");
      }
    }
  }

  @Test
  void theClusterMembersAreTheGatewaysAndInvokersAtTheirOwnAddresses() {
    Map<String, String> clustered = new TreeMap<>();
    Set<String> members = new TreeSet<>();
    for (Map.Entry<String, Map<String, Object>> process : processes().entrySet()) {
      PlatformOptions options = options(process.getValue());
      if (!options.getCluster().isEnabled()) {
        continue;
      }
      String address = address(process.getKey());
      assertEquals(address, options.getCluster().getHost(), process.getKey() + " announces another address");
      clustered.put(process.getKey(), address + ":" + options.getCluster().getPort());
      members.addAll(options.getCluster().getMembers());
    }
    assertEquals(Set.of("gateway-1", "gateway-2", "invoker-1", "invoker-2", "cadence-poller"), clustered.keySet());
    assertEquals(new TreeSet<>(clustered.values()), members, "the members listed and the clustered processes differ");
  }

  @Test
  void theBackendAddressesAreTheComposeServices() {
    for (Map.Entry<String, Map<String, Object>> process : processes().entrySet()) {
      PlatformOptions options = options(process.getValue());
      String redis = options.getRedis().getString("connectionString").replaceFirst("^redis://", "");
      String[] kv = redis.split(":");
      Map<String, Object> kvrocks = service(kv[0]);
      assertTrue(list(kvrocks.get("command")).contains(kv[1]), process.getKey() + ": " + kv[0] + " does not listen on " + kv[1]);
      for (String server : options.getKafka().getString("bootstrapServers").split(",")) {
        Map<String, Object> kafka = service(server.split(":")[0]);
        String advertised = String.valueOf(map(kafka.get("environment")).get("KAFKA_ADVERTISED_LISTENERS"));
        assertTrue(advertised.contains("://" + server), process.getKey() + ": kafka advertises " + advertised);
      }
    }
  }

  @Test
  void thePollerReachesTheComposeCadenceOnItsGrpcPort() {
    PlatformOptions options = options(processes().get("cadence-poller"));
    Map<String, Object> cadence = service(options.getCadence().getHost());
    assertTrue(list(cadence.get("ports")).contains(options.getCadence().getPort() + ":" + options.getCadence().getPort()),
        "cadence does not publish " + options.getCadence().getPort());
    assertEquals(list(cadence.get("profiles")), list(processes().get("cadence-poller").get("profiles")),
        "the poller starts with the Cadence server it needs");
  }

  @Test
  void prometheusScrapesEveryProcessOnOneManagementPort() {
    Path prometheusFile = DeployFiles.COMPOSE.resolve("prometheus.yml");
    Map<String, Object> prometheus = DeployFiles.readMap(prometheusFile);
    Set<String> hosts = new HashSet<>();
    Set<String> ports = new HashSet<>();
    for (Object job : list(prometheus.get("scrape_configs"))) {
      for (Object group : list(map(job).get("static_configs"))) {
        for (Object target : list(map(group).get("targets"))) {
          String[] hostPort = String.valueOf(target).split(":");
          hosts.add(hostPort[0]);
          ports.add(hostPort[1]);
        }
      }
    }
    assertEquals(processes().keySet(), hosts);
    assertEquals(1, ports.size(), "one management port for every process: " + ports);
    String port = ports.iterator().next();
    for (Map.Entry<String, Map<String, Object>> process : processes().entrySet()) {
      PlatformOptions options = options(process.getValue());
      assertEquals(port, String.valueOf(options.getObservability().getManagementPort()),
          process.getKey() + " serves /metrics on another port");
      assertEquals("0.0.0.0", options.getObservability().getManagementHost(), process.getKey() + " is not reachable");
      assertFalse(Set.of(String.valueOf(options.getPort()), String.valueOf(options.getCluster().getPort()),
          String.valueOf(options.getCluster().getEventBusPort())).contains(port), port + " is taken in " + process.getKey());
    }
    List<Object> rules = list(prometheus.get("rule_files"));
    assertTrue(list(service("prometheus").get("volumes")).stream()
        .anyMatch(v -> String.valueOf(v).contains("../prometheus/alerts.yml:" + rules.get(0))), "alert rules not mounted");
  }

  @Test
  void grafanaProvisionsTheDashboardFromWhereItIsMounted() {
    Map<String, Object> provider = map(list(DeployFiles.readMap(
        DeployFiles.COMPOSE.resolve("grafana/provisioning/dashboards/code-sous.yaml")).get("providers")).get(0));
    String path = String.valueOf(map(provider.get("options")).get("path"));
    assertTrue(list(service("grafana").get("volumes")).stream()
        .anyMatch(v -> String.valueOf(v).startsWith("../grafana/code-sous.json:" + path + "/")), "dashboard not under " + path);
  }

  private static PlatformOptions options(Map<String, Object> process) {
    List<Object> command = list(process.get("command"));
    String target = String.valueOf(command.get(command.indexOf("--config") + 1));
    Map<String, Object> mounted = list(process.get("configs")).stream().map(ComposeWiringTest::map)
        .filter(c -> target.equals(c.get("target"))).findFirst()
        .orElseThrow(() -> new AssertionError("nothing mounted at " + target));
    Path file = DeployFiles.COMPOSE.resolve(String.valueOf(map(map(COMPOSE.get("configs")).get(mounted.get("source"))).get("file")));
    Map<String, String> env = new HashMap<>();
    map(process.get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
    return ConfigLoader.load(file, env);
  }

  private static String address(String service) {
    Map<String, Object> networks = map(service(service).get("networks"));
    return String.valueOf(map(networks.get("cs")).get("ipv4_address"));
  }

  /** The services that run the code-sous image. */
  private static Map<String, Map<String, Object>> processes() {
    Map<String, Map<String, Object>> processes = new TreeMap<>();
    services().forEach((name, service) -> {
      if (String.valueOf(service.get("image")).startsWith("code-sous:")) {
        processes.put(name, service);
      }
    });
    return processes;
  }

  private static Map<String, Map<String, Object>> services() {
    Map<String, Map<String, Object>> services = new TreeMap<>();
    map(COMPOSE.get("services")).forEach((name, service) -> services.put(name, map(service)));
    return services;
  }

  private static Map<String, Object> service(String name) {
    Map<String, Object> service = services().get(name);
    assertNotNull(service, "no compose service " + name);
    return service;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value == null ? Map.of() : (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return value == null ? List.of() : (List<Object>) value;
  }
}
