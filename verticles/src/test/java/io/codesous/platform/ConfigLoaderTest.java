package io.codesous.platform;

import io.codesous.scheduler.SchedulerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

  @TempDir
  Path dir;

  Path yaml(String text) throws Exception {
    Path file = dir.resolve("cs.yaml");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void noFileAndNoEnvironmentIsTheEmbeddedShape() {
    PlatformOptions options = ConfigLoader.load(null, Map.of());
    assertEquals(BackendNames.EMBEDDED, options.getKvBackend());
    assertEquals(BackendNames.EMBEDDED, options.getCodeqBackend());
    assertEquals(Components.DEFAULTS, options.getComponents());
    assertFalse(options.getCluster().isEnabled());
    assertEquals(PlatformDefaults.DEFAULT_PORT, options.getPort());
    assertNull(options.getCadence());
  }

  @Test
  void aCadenceSectionAddsThePollerToTheDefaultComponentsAndDefaultsToTheGrpcPort() throws Exception {
    PlatformOptions options = ConfigLoader.load(yaml("""
        cadence:
          host: cadence-frontend
        """), Map.of());
    assertTrue(options.runs(Components.CADENCE_POLLER), options.getComponents().toString());
    assertTrue(options.getComponents().containsAll(Components.DEFAULTS));
    assertEquals("cadence-frontend", options.getCadence().getHost());
    assertEquals(7833, options.getCadence().getPort());
    assertEquals(options.toJson(), new PlatformOptions(options.toJson()).toJson());
    assertMessage("config.cadence.port", () -> ConfigLoader.load(yaml("cadence: {port: 0}"), Map.of()));
  }

  @Test
  void theEarlierNamesOfTheEmbeddedBackendsStillLoadAsEmbedded() throws Exception {
    PlatformOptions options = ConfigLoader.load(yaml("""
        kv:
          backend: memory
        codeq:
          backend: jvm
        """), Map.of());
    assertEquals(BackendNames.EMBEDDED, options.getKvBackend());
    assertEquals(BackendNames.EMBEDDED, options.getCodeqBackend());
    assertTrue(options.embedded());
    PlatformOptions fromEnvironment = ConfigLoader.load(null, Map.of("CS_KV__BACKEND", "embedded",
        "CS_CODEQ__BACKEND", "embedded"));
    assertTrue(fromEnvironment.embedded());
  }

  @Test
  void aFileChoosesBackendsComponentsAndCluster() throws Exception {
    PlatformOptions options = ConfigLoader.load(yaml("""
        port: 9090
        components: [gateway, invoker]
        kv:
          backend: redis
          redis:
            connectionString: redis://127.0.0.1:6379
        codeq:
          backend: kafka
          kafka:
            bootstrapServers: 127.0.0.1:9092
        cluster:
          enabled: true
          port: 5801
          members: ["127.0.0.1:5801", "127.0.0.1:5802"]
        gateway:
          waitMs: 5000
        """), Map.of());
    assertEquals(9090, options.getPort());
    assertEquals(Set.of("gateway", "invoker"), options.getComponents());
    assertEquals("redis", options.getKvBackend());
    assertEquals("redis://127.0.0.1:6379", options.getRedis().getString("connectionString"));
    assertEquals("kafka", options.getCodeqBackend());
    assertEquals("127.0.0.1:9092", options.getKafka().getString("bootstrapServers"));
    assertTrue(options.getCluster().isEnabled());
    assertEquals(List.of("127.0.0.1:5801", "127.0.0.1:5802"), options.getCluster().getMembers());
    assertEquals(5000, options.getGateway().getWaitMs());
  }

  @Test
  void environmentOverridesTheFile() throws Exception {
    PlatformOptions options = ConfigLoader.load(yaml("port: 9090\n"), Map.of(
        "CS_PORT", "7070",
        "CS_COMPONENTS", "invoker",
        "CS_INVOKER__WORKERPOOLSIZE", "3",
        "CS_CLUSTER__ENABLED", "true",
        "CS_CLUSTER__MEMBERS", "127.0.0.1:5701,127.0.0.1:5702",
        "CS_KV__REDIS__COMMANDTIMEOUTMS", "750",
        "CS_CODEQ__KAFKA__LINGERMS", "1",
        "HOME", "/ignored"));
    assertEquals(7070, options.getPort());
    assertEquals(Set.of("invoker"), options.getComponents());
    assertEquals(3, options.getInvoker().getWorkerPoolSize());
    assertTrue(options.getCluster().isEnabled());
    assertEquals(2, options.getCluster().getMembers().size());
    assertEquals(750, options.getRedis().getInteger("commandTimeoutMs"));
    assertEquals(1, options.getKafka().getInteger("lingerMs"));
  }

  @Test
  void theTimeoutCapIsAnOperatorSettingBetweenFiveMinutesAndADay() throws Exception {
    assertEquals(300_000, ConfigLoader.load(null, Map.of()).getControl().getMaxTimeoutMs());
    assertEquals(7_200_000, ConfigLoader.load(yaml("limits: {maxTimeoutMs: 7200000}\n"), Map.of())
        .getControl().getMaxTimeoutMs());
    assertEquals(3_600_000, ConfigLoader.load(null, Map.of("CS_LIMITS__MAXTIMEOUTMS", "3600000"))
        .getControl().getMaxTimeoutMs());
    assertMessage("config.limits.maxTimeoutMs",
        () -> ConfigLoader.load(yaml("limits: {maxTimeoutMs: 1000}\n"), Map.of()));
    assertMessage("config.limits.maxTimeoutMs",
        () -> ConfigLoader.load(yaml("limits: {maxTimeoutMs: 86400001}\n"), Map.of()));
  }

  @Test
  void unknownAndWrongSettingsAreRefusedWithTheirPath() throws Exception {
    assertMessage("config.bogus", () -> ConfigLoader.load(yaml("bogus: 1\n"), Map.of()));
    assertMessage("config.port", () -> ConfigLoader.load(yaml("port: 70000\n"), Map.of()));
    assertMessage("config.gateway.waitMs", () -> ConfigLoader.load(yaml("gateway: {waitMs: nope}\n"), Map.of()));
    assertMessage("config.components", () -> ConfigLoader.load(yaml("components: [scheduler-x]\n"), Map.of()));
    // required when chosen
    assertMessage("config.kv", () -> ConfigLoader.load(yaml("kv: {backend: redis}\n"), Map.of()));
    assertMessage("config.codeq", () -> ConfigLoader.load(yaml("codeq: {backend: kafka, kafka: {}}\n"), Map.of()));
    assertMessage("config.cluster", () -> ConfigLoader.load(yaml("cluster: {enabled: true}\n"), Map.of()));
    assertMessage("config.kv.redis.poolSize", () -> ConfigLoader.load(
        yaml("kv: {backend: redis, redis: {connectionString: 'redis://x', poolSize: 3}}\n"), Map.of()));
    assertMessage("CS_KV__BAKEND", () -> ConfigLoader.load(null, Map.of("CS_KV__BAKEND", "redis")));
    assertMessage("CS_PORT", () -> ConfigLoader.load(null, Map.of("CS_PORT", "eighty")));
    assertMessage("not valid YAML", () -> ConfigLoader.load(yaml("port: [\n"), Map.of()));
    assertMessage("mapping", () -> ConfigLoader.load(yaml("- a\n- b\n"), Map.of()));
    assertMessage("cannot read", () -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of()));
  }

  @Test
  void backendSettingsBelowTheirMinimumAreRefusedWithTheirPath() throws Exception {
    assertMessage("config.kv.redis.maxPoolSize", () -> ConfigLoader.load(redis("maxPoolSize: 0"), Map.of()));
    assertMessage("config.kv.redis.commandTimeoutMs", () -> ConfigLoader.load(null,
        Map.of("CS_KV__REDIS__COMMANDTIMEOUTMS", "0")));
    assertMessage("config.kv.redis.reconnectBackoffInitialMs",
        () -> ConfigLoader.load(redis("reconnectBackoffInitialMs: 0"), Map.of()));
    assertMessage("config.kv.redis.connectionString",
        () -> ConfigLoader.load(yaml("kv: {redis: {connectionString: 'http://127.0.0.1:6379'}}\n"), Map.of()));
    assertMessage("config.codeq.kafka.partitions", () -> ConfigLoader.load(kafka("partitions: 0"), Map.of()));
    assertMessage("config.codeq.kafka.maxPollRecords", () -> ConfigLoader.load(kafka("maxPollRecords: 0"), Map.of()));
    assertMessage("config.codeq.kafka.sessionTimeoutMs", () -> ConfigLoader.load(null,
        Map.of("CS_CODEQ__KAFKA__SESSIONTIMEOUTMS", "0")));
    assertMessage("config.codeq.kafka.replicationFactor",
        () -> ConfigLoader.load(kafka("replicationFactor: 40000"), Map.of()));
    // read as an int it would wrap around to 1 and be accepted
    assertMessage("config.codeq.kafka.heartbeatIntervalMs",
        () -> ConfigLoader.load(kafka("heartbeatIntervalMs: 4294967297"), Map.of()));
    assertMessage("config.codeq.kafka.bootstrapServers",
        () -> ConfigLoader.load(yaml("codeq: {backend: kafka, kafka: {bootstrapServers: '  '}}\n"), Map.of()));
    assertMessage("config.codeq.kafka.clientProperties",
        () -> ConfigLoader.load(kafka("clientProperties: {group.id: mine}"), Map.of()));
  }

  @Test
  void backendSettingsAtTheirMinimumAreAccepted() throws Exception {
    PlatformOptions options = ConfigLoader.load(yaml("""
        kv:
          redis: {maxPoolSize: 1, maxPoolWaiting: 0, commandTimeoutMs: 1,
                  reconnectBackoffInitialMs: 1, reconnectBackoffMaxMs: 1}
        codeq:
          kafka: {lingerMs: 0, revocationGraceMs: 0, partitions: 1, replicationFactor: 1,
                  heartbeatIntervalMs: 1, sessionTimeoutMs: 2}
        """), Map.of());
    assertEquals(0, options.getRedis().getInteger("maxPoolWaiting"));
    assertEquals(0, options.getKafka().getInteger("revocationGraceMs"));
  }

  @Test
  void theSandboxAndEgressAreSetFromTheFileAndTheEnvironment() throws Exception {
    PlatformOptions options = ConfigLoader.load(yaml("""
        runtime:
          prewarmContexts: 4
          warmMaxIdle: 0
          guestNice: 0
          compilerNice: 19
        egress:
          connectTimeoutMs: 1500
          allowedPorts: [443]
        """), Map.of("CS_RUNTIME__WARMMAXUSES", "50", "CS_EGRESS__ALLOWEDPORTS", "443, 8443",
        "CS_EGRESS__MAXREDIRECTS", "2", "CS_RUNTIME__WARMUPROUNDS", "0"));
    assertEquals(4, options.getRuntime().getPrewarmContexts());
    assertEquals(0, options.getRuntime().getWarmMaxIdle());
    assertEquals(0, options.getRuntime().getGuestNice());
    assertEquals(19, options.getRuntime().getCompilerNice());
    assertEquals(50, options.getRuntime().getWarmMaxUses());
    assertEquals(0, options.getRuntime().getWarmUpRounds());
    assertEquals(1500, options.getEgress().getConnectTimeoutMs());
    assertEquals(Set.of(443, 8443), options.getEgress().getAllowedPorts());
    assertEquals(2, options.getEgress().getMaxRedirects());
    PlatformOptions defaults = ConfigLoader.load(null, Map.of());
    // a server warms its sandbox up unless told not to; a runtime made in code does not
    assertEquals(new io.codesous.runtime.RuntimeOptions().setWarmUpRounds(RuntimeConfig.SERVER_WARM_UP_ROUNDS),
        defaults.getRuntime());
    assertEquals(0, new io.codesous.runtime.RuntimeOptions().getWarmUpRounds());
    assertEquals(new io.codesous.egress.EgressOptions(), defaults.getEgress());
  }

  @Test
  void badSandboxAndEgressSettingsAreRefusedWithTheirPath() throws Exception {
    assertMessage("config.runtime.prewarmBundles", () -> ConfigLoader.load(yaml("runtime: {prewarmBundles: 0}\n"),
        Map.of()));
    assertMessage("config.runtime", () -> ConfigLoader.load(yaml("runtime: {prewarm: 2}\n"), Map.of()));
    assertMessage("config.runtime.warmUpRounds", () -> ConfigLoader.load(yaml("runtime: {warmUpRounds: 33}\n"),
        Map.of()));
    assertMessage("config.runtime.guestNice", () -> ConfigLoader.load(yaml("runtime: {guestNice: 20}\n"), Map.of()));
    assertMessage("config.runtime.compilerNice",
        () -> ConfigLoader.load(null, Map.of("CS_RUNTIME__COMPILERNICE", "-1")));
    assertMessage("config.egress.maxRedirects", () -> ConfigLoader.load(null, Map.of("CS_EGRESS__MAXREDIRECTS", "21")));
    assertMessage("config.egress.allowedPorts", () -> ConfigLoader.load(yaml("egress: {allowedPorts: [0]}\n"),
        Map.of()));
    assertMessage("CS_EGRESS__ALLOWEDPORTS", () -> ConfigLoader.load(null, Map.of("CS_EGRESS__ALLOWEDPORTS", "https")));
  }

  @Test
  void theSchedulerIsPacedAndElectsAsTheFileAndTheEnvironmentSay() throws Exception {
    PlatformOptions options = ConfigLoader.load(yaml("""
        scheduler:
          pollMs: 50
          leaseMs: 15000
          election: kubernetes
          kubernetes: {namespace: jobs, leaseName: cs-leader}
        """), Map.of("CS_SCHEDULER__MARKERMARGINMS", "5000"));
    SchedulerOptions scheduler = options.getScheduler();
    assertEquals(50, scheduler.pollMs());
    assertEquals(15_000, scheduler.leaseMs());
    assertEquals(5_000, scheduler.markerMarginMs());
    assertEquals(SchedulerOptions.ELECTION_KUBERNETES, scheduler.election());
    assertEquals("jobs", scheduler.leaseNamespace());
    assertEquals("cs-leader", scheduler.leaseName());
    assertEquals(SchedulerOptions.defaults(), ConfigLoader.load(null, Map.of()).getScheduler());
    assertMessage("config.scheduler.election", () -> ConfigLoader.load(yaml("scheduler: {election: zookeeper}\n"),
        Map.of()));
    assertMessage("config.scheduler.pollMs", () -> ConfigLoader.load(yaml("scheduler: {pollMs: 0}\n"), Map.of()));
  }

  @Test
  void contradictingBackendSettingsAreRefusedWithTheirPath() throws Exception {
    assertMessage("config.kv.redis.reconnectBackoffMaxMs (50) must not be below reconnectBackoffInitialMs (100)",
        () -> ConfigLoader.load(redis("reconnectBackoffMaxMs: 50"), Map.of()));
    assertMessage("config.codeq.kafka.heartbeatIntervalMs (45000) must be below sessionTimeoutMs (45000)",
        () -> ConfigLoader.load(kafka("heartbeatIntervalMs: 45000"), Map.of()));
    assertMessage("config.codeq.kafka.deliveryTimeoutMs", () -> ConfigLoader.load(null, Map.of(
        "CS_CODEQ__KAFKA__DELIVERYTIMEOUTMS", "5000", "CS_CODEQ__KAFKA__REQUESTTIMEOUTMS", "6000")));
    // linger + request overflows an int; the sum must not wrap to a negative that passes
    assertMessage("config.codeq.kafka.deliveryTimeoutMs",
        () -> ConfigLoader.load(kafka("lingerMs: 2147483647"), Map.of()));
    // checked even when another backend is chosen, as the schema checks the section
    assertMessage("config.kv.redis.reconnectBackoffMaxMs", () -> ConfigLoader.load(yaml(
        "kv: {backend: embedded, redis: {reconnectBackoffInitialMs: 200, reconnectBackoffMaxMs: 100}}\n"), Map.of()));
  }

  private Path redis(String setting) throws Exception {
    return yaml("kv: {backend: redis, redis: {connectionString: 'redis://127.0.0.1:6379', " + setting + "}}\n");
  }

  private Path kafka(String setting) throws Exception {
    return yaml("codeq: {backend: kafka, kafka: {bootstrapServers: '127.0.0.1:9092', " + setting + "}}\n");
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable load) {
    ConfigLoader.ConfigException e = assertThrows(ConfigLoader.ConfigException.class, load);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void schemaViolationsReadAsSentencesNamingTheSetting() throws Exception {
    assertMessage("config.port must be an integer, not a string", () -> ConfigLoader.load(yaml("port: x\n"), Map.of()));
    assertMessage("config.prot is not a setting code-sous knows", () -> ConfigLoader.load(yaml("prot: 1\n"), Map.of()));
    assertMessage("config.kv.redis is missing, and these settings need it",
        () -> ConfigLoader.load(yaml("kv: {backend: redis}\n"), Map.of()));
    assertMessage("config.kv.backend must be one of embedded, redis, memory",
        () -> ConfigLoader.load(yaml("kv: {backend: redi}\n"), Map.of()));
    assertMessage("config.port is 70000, but must be at most 65535",
        () -> ConfigLoader.load(yaml("port: 70000\n"), Map.of()));
    assertMessage("config.gateway.waitMs is -1, but must be at least 1",
        () -> ConfigLoader.load(yaml("gateway: {waitMs: -1}\n"), Map.of()));
  }

  @Test
  void aGatewayOnTheInJvmQueueWithoutAnInvokerIsRefusedSayingWhy() {
    PlatformOptions split = new PlatformOptions().setComponents(Set.of("control", "gateway"));
    IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, split::checkShape);
    assertTrue(refused.getMessage().contains("runs no invoker"), refused.getMessage());
    assertTrue(refused.getMessage().contains("codeq.backend: kafka"), refused.getMessage());
    assertThrows(IllegalArgumentException.class,
        new PlatformOptions().setComponents(Set.of("scheduler"))::checkShape);
    // each of these can serve what it accepts
    new PlatformOptions().checkShape();
    new PlatformOptions().setComponents(Set.of("control")).checkShape();
    new PlatformOptions().setCodeqBackend("kafka").setComponents(Set.of("control", "gateway")).checkShape();
  }

  @Test
  void theEmbeddedQueuesBoundsComeFromTheFileAndTheEnvironmentAndDefaultToAShareOfTheHeap() throws Exception {
    assertEquals(Runtime.getRuntime().maxMemory() / 8,
        ConfigLoader.load(null, Map.of()).getEmbeddedQueue().getMaxRetainedBytesPerTopic());

    PlatformOptions options = ConfigLoader.load(yaml("""
        codeq:
          embedded: {maxRetainedPerTopic: 5000, maxUnreadPerTopic: 50}
        """), Map.of("CS_CODEQ__EMBEDDED__MAXRETAINEDBYTESPERTOPIC", "33554432"));

    assertEquals(5000, options.getEmbeddedQueue().getMaxRetainedPerTopic());
    assertEquals(50, options.getEmbeddedQueue().getMaxUnreadPerTopic());
    assertEquals(33_554_432L, options.getEmbeddedQueue().getMaxRetainedBytesPerTopic());
    assertEquals(33_554_432L, new PlatformOptions(options.toJson()).getEmbeddedQueue().getMaxRetainedBytesPerTopic());
    assertMessage("config.codeq.embedded.maxRetainedBytesPerTopic",
        () -> ConfigLoader.load(yaml("codeq: {embedded: {maxRetainedBytesPerTopic: -1}}\n"), Map.of()));
    assertMessage("config.codeq.embedded.maxRetainedPerTopic",
        () -> ConfigLoader.load(yaml("codeq: {embedded: {maxRetainedPerTopic: 0}}\n"), Map.of()));
  }

  @Test
  void optionsRoundTripThroughJson() {
    PlatformOptions options = new PlatformOptions().setPort(1234).setKvBackend("redis")
        .setComponents(Set.of("gateway")).setCluster(new ClusterOptions().setEnabled(true).setMembers(List.of("h:1")));
    PlatformOptions copy = new PlatformOptions(options.toJson());
    assertEquals(options.toJson(), copy.toJson());
  }
}
