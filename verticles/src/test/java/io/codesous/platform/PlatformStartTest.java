package io.codesous.platform;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A start that cannot work stops with one sentence saying why. */
class PlatformStartTest {

  @TempDir
  Path dataDir;

  Vertx vertx;

  @BeforeEach
  void createVertx() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  private String startFailure(PlatformOptions options) {
    Exception failure = assertThrows(Exception.class,
        () -> Platform.start(vertx, options).await(60, TimeUnit.SECONDS));
    Throwable cause = failure instanceof ExecutionException ? failure.getCause() : failure;
    return String.valueOf(cause.getMessage());
  }

  @Test
  void aPortAlreadyInUseIsNamed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      String message = startFailure(new PlatformOptions().setPort(taken.getLocalPort())
          .setDataDir(dataDir.toString()));
      assertTrue(message.contains("port " + taken.getLocalPort() + " on 127.0.0.1 is already in use"), message);
    }
  }

  @Test
  void aGatewayWithoutAnInvokerOnTheInJvmQueueDoesNotStart() {
    String message = startFailure(new PlatformOptions().setPort(0).setDataDir(dataDir.toString())
        .setComponents(Set.of("control", "gateway")));
    assertTrue(message.contains("runs no invoker"), message);
  }
}
