package io.codesous.cli;

import io.codesous.auth.token.AdminToken;
import io.codesous.observe.LogFormats;
import io.codesous.observe.Metrics;
import io.codesous.platform.Components;
import io.codesous.platform.ConfigLoader;
import io.codesous.platform.Platform;
import io.codesous.platform.PlatformDefaults;
import io.codesous.platform.PlatformOptions;
import io.codesous.platform.VertxFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code cs server}: one code-sous process; with no configuration, the embedded platform. */
@Command(name = "server",
    footer = {"", "Examples:",
        "  cs server",
        "  cs server --port 0 --ephemeral              # a throwaway platform on a free port",
        "  cs server --config deploy/cluster.yaml --components control,gateway"},
    mixinStandardHelpOptions = true,
    description = "Start code-sous. Without --config: embedded (control API, gateway and invoker in one JVM, "
        + "a store on disk in <data-dir>/kv, in-JVM queue). With --config: the backends and components the file names "
        + "(environment variables CS_<PATH> override it, e.g. CS_KV__BACKEND=redis).")
final class ServerCommand implements Callable<Integer> {

  /** Read by {@code bin/cs} (the JVM's options), never a setting of the server. */
  static final String ENV_JAVA_OPTS = "CS_JAVA_OPTS";

  /**
   * How long each step of the start may take before the server gives up. An embedded start ({@code bin/cs server}
   * on the Graal JIT JDK, three runs) on a 2-core machine at a load average of 22 took 43 to 49 s to its banner, so
   * 60 s would be within reach of an ordinary busy machine; twice that still ends a start that hangs on a backend in
   * bounded time.
   */
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  @Option(names = "--config", description = "YAML configuration file")
  Path config;

  @Option(names = "--components", split = ",",
      description = "Components to run in this process: control, gateway, invoker, scheduler, cadence-poller"
          + " (default: the first four, and cadence-poller when the configuration has a cadence section)")
  List<String> components;

  @Option(names = "--port", description = "HTTP port (default " + PlatformDefaults.DEFAULT_PORT + "; 0 picks a free one)")
  Integer port;

  @Option(names = "--host", description = "Address to bind (default " + PlatformDefaults.DEFAULT_HOST + ")")
  String host;

  @Option(names = "--data-dir", description = "Directory for local state (default ~/.code-sous)")
  String dataDir;

  @Option(names = "--ephemeral",
      description = "Keep the embedded store in memory only: everything is gone when the server stops "
          + "(as kv.embedded.persistent: false)")
  boolean ephemeral;

  @Option(names = "--management-port",
      description = "Port of /metrics, /healthz and /readyz (default: a free one, printed below; 0 likewise)")
  Integer managementPort;

  @Option(names = "--log-format", description = "Platform log lines: json or text (default: text on a terminal, "
      + "JSON otherwise)")
  String logFormat;

  @Override
  public Integer call() throws Exception {
    PlatformOptions options;
    try {
      options = ConfigLoader.load(config, serverEnvironment(System.getenv()));
      if (components != null) {
        options.setComponents(new LinkedHashSet<>(components));
      }
      if (port != null) {
        options.setPort(port);
      }
      if (host != null) {
        options.setHost(host);
      }
      if (dataDir != null) {
        options.setDataDir(dataDir);
      }
      if (ephemeral) {
        options.setKvPersistent(false);
      }
      if (managementPort != null) {
        options.getObservability().setManagementPort(managementPort);
      }
      if (logFormat != null) {
        options.getObservability().setLogFormat(LogFormats.parse(logFormat));
      }
      options.checkShape();
    } catch (ConfigLoader.ConfigException | IllegalArgumentException invalid) {
      System.err.println("code-sous: " + invalid.getMessage());
      return 2;
    }
    LogFormats.apply(options.getObservability().getLogFormat());
    Metrics metrics = new Metrics();
    Vertx vertx;
    Platform platform;
    try {
      vertx = awaitStart(VertxFactory.create(options, metrics), "the Vert.x instance (and its cluster manager)",
          START_TIMEOUT);
    } catch (Exception failure) {
      System.err.println("code-sous failed to start: " + failure.getMessage());
      return 1;
    }
    try {
      platform = awaitStart(Platform.start(vertx, options, metrics),
          "the platform (stores, queue, sandbox engine and listeners)", START_TIMEOUT);
    } catch (Exception failure) {
      System.err.println("code-sous failed to start: " + failure.getMessage());
      vertx.close();
      return 1;
    }
    // System.console() is null unless both stdin and stdout are a terminal: a token printed into a
    // redirected stdout lands in a log file or a CI transcript, where it outlives the terminal session
    printBanner(System.out, platform.host(), platform.port(), options, platform.security().adminToken(),
        System.console() != null, platform.managementPort());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        // long enough for the invoker's drain (invoker.drainTimeoutMs) and the backends' close after it
        platform.stop().compose(v -> vertx.close())
            .await(options.getInvoker().getDrainTimeoutMs() + 20_000, TimeUnit.MILLISECONDS);
      } catch (Exception ignored) {
        // the JVM is exiting anyway
      }
      stopped.countDown();
    }, "cs-shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * The result of one step of the start, or an exception whose message says which step did not finish within
   * {@code limit} (a timed-out wait has no message of its own) or why it failed.
   */
  static <T> T awaitStart(Future<T> step, String what, Duration limit) throws Exception {
    try {
      return step.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException timedOut) {
      String within = limit.toMillis() % 1000 == 0 ? limit.toSeconds() + " s" : limit.toMillis() + " ms";
      throw new TimeoutException(what + " did not start within " + within + "; a backend that "
          + "does not answer, or a machine too busy to finish it in that time, are the usual causes");
    } catch (Exception failed) {
      throw failed.getMessage() != null ? failed : new Exception(what + " failed: " + failed, failed);
    }
  }

  /**
   * The environment without the variables that configure the client commands ({@code CS_TOKEN},
   * {@code CS_URL}) and the one {@code bin/cs} passes to the JVM ({@code CS_JAVA_OPTS}): the loader reads every
   * other {@code CS_} variable as a setting and refuses unknown ones, and a shell that exported a token or JVM
   * options must still be able to start a server.
   */
  static Map<String, String> serverEnvironment(Map<String, String> env) {
    Map<String, String> filtered = new HashMap<>(env);
    filtered.remove(TokenSource.ENV_TOKEN);
    filtered.remove(ClientOptions.ENV_URL);
    filtered.remove(ENV_JAVA_OPTS);
    return filtered;
  }

  private static String embeddedStore(PlatformOptions options) {
    return options.isKvPersistent() ? "KV on disk in " + options.kvDirectory() : "in-memory KV (--ephemeral)";
  }

  /**
   * What the terminal that started the server learns: where it listens, what runs, and the ready admin token when
   * the process has a local signing key.
   *
   * @param admin    {@code null} when there is no local key (tokens come from the configured issuer)
   * @param terminal whether {@code out} is a terminal; only then is the token itself printed, else the file holding it
   */
  static void printBanner(PrintStream out, String host, int port, PlatformOptions options, AdminToken admin,
                          boolean terminal, int managementPort) {
    String base = "http://" + host + ":" + port;
    boolean embedded = options.embedded();
    out.println("code-sous listening on " + base + " (components: " + String.join(", ", options.getComponents())
        + "; " + (embedded ? "embedded: " + embeddedStore(options) + ", in-JVM queue" : "kv: " + options.getKvBackend()
        + ", codeq: " + options.getCodeqBackend()) + ")");
    if (options.runs(Components.CONTROL)) {
      out.println("  control API: " + base + "/v1/tenants/{tenant}/namespaces/{namespace}/functions");
    }
    if (options.runs(Components.GATEWAY)) {
      out.println("  web invoke:  " + base + "/v1/web/{tenant}/{namespace}/{function}/{ref}/...");
    }
    out.println("  health:      " + base + "/healthz, " + base + "/readyz");
    if (managementPort >= 0) {
      String management = "http://" + options.getObservability().getManagementHost() + ":" + managementPort;
      out.println("  management:  " + management + "/metrics, " + management + "/healthz, " + management + "/readyz");
    }
    if (admin != null) {
      // the operator asked for a ready token: it goes to the terminal that started the server, never to a log
      out.println("  admin token: written to " + admin.file() + "; use it with");
      out.println("    export CS_TOKEN=" + (terminal ? admin.token() : "$(cat " + admin.file() + ")"));
      out.println("    curl -H \"authorization: Bearer $CS_TOKEN\" " + base + "/v1/tenants/acme/namespaces/default/functions");
    }
    out.flush();
  }
}
