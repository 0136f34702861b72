package io.codesous.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Finds a free loopback port by binding and releasing it. The platform deploys a single HTTP
 * server instance when asked for port 0, so the benchmark picks a concrete port to get the same
 * instance count as a real deployment.
 */
final class FreePort {

  private FreePort() {
  }

  static int pick() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port", e);
    }
  }
}
