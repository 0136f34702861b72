package io.codesous.cli;

import io.codesous.platform.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ServerCommandTest {

  @Test
  void theClientsVariablesDoNotReachTheServersConfiguration() {
    Map<String, String> env = Map.of("CS_TOKEN", "t", "CS_URL", "http://127.0.0.1:9", "CS_PORT", "9090",
        "HOME", "/root");
    assertEquals(Map.of("CS_PORT", "9090", "HOME", "/root"), ServerCommand.serverEnvironment(env));
    assertEquals(9090, ConfigLoader.load(null, ServerCommand.serverEnvironment(env)).getPort());
  }
}
