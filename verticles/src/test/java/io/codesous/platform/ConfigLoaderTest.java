package io.codesous.platform;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    assertEquals(PlatformOptions.KV_MEMORY, options.getKvBackend());
    assertEquals(PlatformOptions.CODEQ_JVM, options.getCodeqBackend());
    assertEquals(PlatformOptions.ALL_COMPONENTS, options.getComponents());
    assertFalse(options.getCluster().isEnabled());
    assertEquals(PlatformOptions.DEFAULT_PORT, options.getPort());
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

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable load) {
    ConfigLoader.ConfigException e = assertThrows(ConfigLoader.ConfigException.class, load);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void optionsRoundTripThroughJson() {
    PlatformOptions options = new PlatformOptions().setPort(1234).setKvBackend("redis")
        .setComponents(Set.of("gateway")).setCluster(new ClusterOptions().setEnabled(true).setMembers(List.of("h:1")));
    PlatformOptions copy = new PlatformOptions(options.toJson());
    assertEquals(options.toJson(), copy.toJson());
  }
}
