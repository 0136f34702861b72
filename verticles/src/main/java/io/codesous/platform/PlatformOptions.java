package io.codesous.platform;

import io.codesous.cadence.CadenceOptions;
import io.codesous.control.ControlOptions;
import io.codesous.egress.EgressOptions;
import io.codesous.gateway.GatewayOptions;
import io.codesous.invoker.InvokerOptions;
import io.codesous.observe.ObservabilityOptions;
import io.codesous.runtime.RuntimeOptions;
import io.codesous.scheduler.SchedulerOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** Settings of one code-sous process. */
public class PlatformOptions {

  /**
   * Loopback by default, so a fresh install is not reachable from outside until its operator decides; every API
   * route requires a token, so binding to another address is a configuration choice, not an exposure.
   */
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  /** Local state (signing key, admin token, secrets key, audit log); under the user's home so it survives across working directories. */
  public static final String DEFAULT_DATA_DIR = System.getProperty("user.home") + "/.code-sous";
  /** HTTP server instances: one per event loop the machine can keep busy. */
  public static final int DEFAULT_HTTP_INSTANCES = Math.max(1, Runtime.getRuntime().availableProcessors());
  public static final String CONTROL = "control";
  public static final String GATEWAY = "gateway";
  public static final String INVOKER = "invoker";
  public static final String SCHEDULER = "scheduler";
  /** The Cadence activity worker; in the default set only when a {@code cadence} section is configured. */
  public static final String CADENCE_POLLER = "cadence-poller";
  /** Every component there is. */
  public static final Set<String> ALL_COMPONENTS = Set.of(CONTROL, GATEWAY, INVOKER, SCHEDULER, CADENCE_POLLER);
  /** What a process runs when its configuration names no components: the embedded shape. */
  public static final Set<String> DEFAULT_COMPONENTS = Set.of(CONTROL, GATEWAY, INVOKER, SCHEDULER);
  /** The backend that lives inside this JVM, for the KV and the queue alike: nothing to run beside the process. */
  public static final String EMBEDDED = "embedded";
  /**
   * Earlier names of the embedded backends ({@code kv.backend: memory}, {@code codeq.backend: jvm}), still
   * accepted so existing configuration files keep working; they read as {@link #EMBEDDED}.
   */
  public static final String KV_MEMORY_ALIAS = "memory";
  public static final String CODEQ_JVM_ALIAS = "jvm";
  public static final String KV_REDIS = "redis";
  public static final String CODEQ_KAFKA = "kafka";

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String dataDir = DEFAULT_DATA_DIR;
  private int httpInstances = DEFAULT_HTTP_INSTANCES;
  private ControlOptions control = new ControlOptions();
  private GatewayOptions gateway = new GatewayOptions();
  private InvokerOptions invoker = new InvokerOptions();
  private RuntimeOptions runtime = new RuntimeOptions();
  private EgressOptions egress = new EgressOptions();
  private Set<String> components = new LinkedHashSet<>(List.of(CONTROL, GATEWAY, INVOKER, SCHEDULER));
  private String kvBackend = EMBEDDED;
  private JsonObject redis = new JsonObject();
  // Built in code (tests, the benchmark, embedding) a platform keeps its state in memory; a configuration, which is
  // what `cs server` reads, persists it unless it says otherwise (see PlatformOptionsConverter).
  private boolean kvPersistent = false;
  private boolean kvFsync = false;
  private String codeqBackend = EMBEDDED;
  private JsonObject kafka = new JsonObject();
  private ClusterOptions cluster = new ClusterOptions();
  private SecurityOptions security = new SecurityOptions();
  private CadenceOptions cadence;
  private ObservabilityOptions observability = new ObservabilityOptions();
  private SchedulerOptions scheduler = SchedulerOptions.defaults();

  public PlatformOptions() {
  }

  /** Reads a configuration (as {@link ConfigLoader} produced it); see {@link PlatformOptionsConverter}. */
  public PlatformOptions(JsonObject json) {
    PlatformOptionsConverter.fromJson(json, this);
  }

  private static String embeddedAlias(String backend, String alias) {
    return alias.equals(backend) ? EMBEDDED : backend;
  }

  /** Both backends are the embedded ones: the process needs no external service. */
  public boolean embedded() {
    return EMBEDDED.equals(kvBackend) && EMBEDDED.equals(codeqBackend);
  }

  public JsonObject toJson() {
    return PlatformOptionsConverter.toJson(this);
  }

  /** The management listener, meters, log format and traces. */
  public ObservabilityOptions getObservability() {
    return observability;
  }

  public PlatformOptions setObservability(ObservabilityOptions observability) {
    this.observability = Objects.requireNonNull(observability, "observability");
    return this;
  }

  public SecurityOptions getSecurity() {
    return security;
  }

  public PlatformOptions setSecurity(SecurityOptions security) {
    this.security = Objects.requireNonNull(security, "security");
    return this;
  }

  /** Where the Cadence poller finds Cadence; {@code null} when no {@code cadence} section is configured. */
  public CadenceOptions getCadence() {
    return cadence;
  }

  public PlatformOptions setCadence(CadenceOptions cadence) {
    this.cadence = cadence;
    return this;
  }

  public Set<String> getComponents() {
    return components;
  }

  /**
   * Refuses a process that would report ready and never serve (see {@link ComponentSet#checkShape}).
   *
   * @throws IllegalArgumentException with a sentence saying why and what to change
   */
  public void checkShape() {
    ComponentSet.checkShape(components, codeqBackend);
  }

  public PlatformOptions setComponents(Set<String> components) {
    this.components = ComponentSet.checked(components);
    return this;
  }

  public boolean runs(String component) {
    return components.contains(component);
  }

  public String getKvBackend() {
    return kvBackend;
  }

  /**
   * {@code embedded} (in this JVM; {@code memory} is accepted for it) or {@code redis} (KVRocks or Redis, options
   * in {@link #getRedis()}).
   */
  public PlatformOptions setKvBackend(String kvBackend) {
    this.kvBackend = embeddedAlias(Objects.requireNonNull(kvBackend, "kvBackend"), KV_MEMORY_ALIAS);
    return this;
  }

  /**
   * Whether the embedded KV keeps its state on disk, in {@link #kvDirectory()} ({@code kv.embedded.persistent}),
   * or in memory only, lost when the process stops ({@code cs server --ephemeral}). Ignored by the redis backend.
   */
  public boolean isKvPersistent() {
    return kvPersistent;
  }

  public PlatformOptions setKvPersistent(boolean kvPersistent) {
    this.kvPersistent = kvPersistent;
    return this;
  }

  /**
   * Whether each write of the persistent embedded KV is flushed to the device before it is acknowledged
   * ({@code kv.embedded.fsync}): without it a write survives a killed process but not a power loss.
   */
  public boolean isKvFsync() {
    return kvFsync;
  }

  public PlatformOptions setKvFsync(boolean kvFsync) {
    this.kvFsync = kvFsync;
    return this;
  }

  /** Where the persistent embedded KV lives: {@code <data dir>/kv}. */
  public Path kvDirectory() {
    return Path.of(dataDir, "kv");
  }

  /** The Redis adapter's options (see RedisKvOptions). */
  public JsonObject getRedis() {
    return redis;
  }

  public PlatformOptions setRedis(JsonObject redis) {
    this.redis = Objects.requireNonNull(redis, "redis");
    return this;
  }

  public String getCodeqBackend() {
    return codeqBackend;
  }

  /** {@code embedded} (in this JVM; {@code jvm} is accepted for it) or {@code kafka} (options in {@link #getKafka()}). */
  public PlatformOptions setCodeqBackend(String codeqBackend) {
    this.codeqBackend = embeddedAlias(Objects.requireNonNull(codeqBackend, "codeqBackend"), CODEQ_JVM_ALIAS);
    return this;
  }

  /** The Kafka adapter's options (see KafkaCodeQOptions). */
  public JsonObject getKafka() {
    return kafka;
  }

  public PlatformOptions setKafka(JsonObject kafka) {
    this.kafka = Objects.requireNonNull(kafka, "kafka");
    return this;
  }

  /** The scheduler's pacing and how its processes elect a leader. */
  public SchedulerOptions getScheduler() {
    return scheduler;
  }

  public PlatformOptions setScheduler(SchedulerOptions scheduler) {
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    return this;
  }

  public ClusterOptions getCluster() {
    return cluster;
  }

  public PlatformOptions setCluster(ClusterOptions cluster) {
    this.cluster = Objects.requireNonNull(cluster, "cluster");
    return this;
  }

  public String getHost() {
    return host;
  }

  public PlatformOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public int getPort() {
    return port;
  }

  /** 0 picks a free port. */
  public PlatformOptions setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    this.port = port;
    return this;
  }

  public String getDataDir() {
    return dataDir;
  }

  public PlatformOptions setDataDir(String dataDir) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    return this;
  }

  public int getHttpInstances() {
    return httpInstances;
  }

  public PlatformOptions setHttpInstances(int httpInstances) {
    if (httpInstances < 1) {
      throw new IllegalArgumentException("httpInstances must be at least 1");
    }
    this.httpInstances = httpInstances;
    return this;
  }

  public ControlOptions getControl() {
    return control;
  }

  public PlatformOptions setControl(ControlOptions control) {
    this.control = Objects.requireNonNull(control, "control");
    return this;
  }

  public GatewayOptions getGateway() {
    return gateway;
  }

  public PlatformOptions setGateway(GatewayOptions gateway) {
    this.gateway = Objects.requireNonNull(gateway, "gateway");
    return this;
  }

  /** The sandbox's settings (engine caches, pre-warmed and warm contexts); the invoker's runtime uses them. */
  public RuntimeOptions getRuntime() {
    return runtime;
  }

  public PlatformOptions setRuntime(RuntimeOptions runtime) {
    this.runtime = Objects.requireNonNull(runtime, "runtime");
    return this;
  }

  /** How functions reach the network ({@code cs.http.fetch}): timeouts, sizes, redirects, ports. */
  public EgressOptions getEgress() {
    return egress;
  }

  public PlatformOptions setEgress(EgressOptions egress) {
    this.egress = Objects.requireNonNull(egress, "egress");
    return this;
  }

  public InvokerOptions getInvoker() {
    return invoker;
  }

  public PlatformOptions setInvoker(InvokerOptions invoker) {
    this.invoker = Objects.requireNonNull(invoker, "invoker");
    return this;
  }
}
