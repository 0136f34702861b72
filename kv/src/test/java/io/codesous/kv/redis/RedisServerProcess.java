package io.codesous.kv.redis;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} child process of the test on a port of its own, without persistence, so
 * a test can take a server away and bring it back (with an empty script cache, as after a real
 * restart).
 */
final class RedisServerProcess implements AutoCloseable {

  private static final long READY_WAIT_MS = 10_000;

  private final int port;
  private final File log;
  private Process process;

  private RedisServerProcess(int port, File log) {
    this.port = port;
    this.log = log;
  }

  /** Starts a server on a free local port and waits until it answers. */
  static RedisServerProcess startOnFreePort() throws IOException, InterruptedException {
    int port = freePort();
    RedisServerProcess server =
        new RedisServerProcess(port, new File("target", "redis-server-" + port + ".log"));
    server.start();
    return server;
  }

  /** A local port nothing listens on (bound, then released). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  int port() {
    return port;
  }

  String connectionString() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts the server (again) on the same port and waits until it answers PING. */
  void start() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("already running on port " + port);
    }
    process = new ProcessBuilder(
            "redis-server",
            "--port", Integer.toString(port),
            "--bind", "127.0.0.1",
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
        .start();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_WAIT_MS);
    while (!answersPing()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("redis-server exited; see " + log.getAbsolutePath());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("redis-server did not answer on port " + port);
      }
      Thread.sleep(20);
    }
  }

  /** Ends the server process and waits for it to be gone. */
  void stop() {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  @Override
  public void close() {
    stop();
  }

  private boolean answersPing() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      socket.setSoTimeout(200);
      OutputStream out = socket.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = new byte[7];
      int read = in.readNBytes(reply, 0, reply.length);
      return new String(reply, 0, read, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException notYet) {
      return false;
    }
  }
}
