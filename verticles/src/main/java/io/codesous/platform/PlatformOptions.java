package io.codesous.platform;

import io.codesous.cadence.CadenceOptions;
import io.codesous.codeq.jvm.InJvmCodeQOptions;
import io.codesous.control.ControlOptions;
import io.codesous.egress.EgressOptions;
import io.codesous.gateway.GatewayOptions;
import io.codesous.invoker.InvokerOptions;
import io.codesous.observe.ObservabilityOptions;
import io.codesous.runtime.RuntimeOptions;
import io.codesous.scheduler.SchedulerOptions;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

import static io.codesous.platform.PlatformDefaults.DEFAULT_DATA_DIR;
import static io.codesous.platform.PlatformDefaults.DEFAULT_HOST;
import static io.codesous.platform.PlatformDefaults.DEFAULT_HTTP_INSTANCES;
import static io.codesous.platform.PlatformDefaults.DEFAULT_PORT;

/** Settings of one code-sous process. */
public class PlatformOptions {

  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private String dataDir = DEFAULT_DATA_DIR;
  private int httpInstances = DEFAULT_HTTP_INSTANCES;
  private ControlOptions control = new ControlOptions();
  private GatewayOptions gateway = new GatewayOptions();
  private InvokerOptions invoker = new InvokerOptions();
  private RuntimeOptions runtime = new RuntimeOptions();
  private EgressOptions egress = new EgressOptions();
  private Set<String> components = Components.defaults();
  private String kvBackend = BackendNames.EMBEDDED;
  private JsonObject redis = new JsonObject();
  // Built in code (tests, the benchmark, embedding) a platform keeps its state in memory; a configuration, which is
  // what `cs server` reads, persists it unless it says otherwise (see PlatformOptionsConverter).
  private boolean kvPersistent = false;
  private boolean kvFsync = false;
  private String codeqBackend = BackendNames.EMBEDDED;
  private JsonObject kafka = new JsonObject();
  private InJvmCodeQOptions embeddedQueue = new InJvmCodeQOptions();
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

  /** Both backends are the embedded ones: the process needs no external service. */
  public boolean embedded() {
    return BackendNames.EMBEDDED.equals(kvBackend) && BackendNames.EMBEDDED.equals(codeqBackend);
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
   * Refuses a process that would report ready and never serve (see {@link Components#checkShape}).
   *
   * @throws IllegalArgumentException with a sentence saying why and what to change
   */
  public void checkShape() {
    Components.checkShape(components, codeqBackend);
  }

  public PlatformOptions setComponents(Set<String> components) {
    this.components = Components.checked(components);
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
    this.kvBackend = BackendNames.canonical(Objects.requireNonNull(kvBackend, "kvBackend"), BackendNames.KV_MEMORY_ALIAS);
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
    this.codeqBackend = BackendNames.canonical(Objects.requireNonNull(codeqBackend, "codeqBackend"), BackendNames.CODEQ_JVM_ALIAS);
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

  /** The in-JVM queue's bounds, for backend {@code embedded}. */
  public InJvmCodeQOptions getEmbeddedQueue() {
    return embeddedQueue;
  }

  public PlatformOptions setEmbeddedQueue(InJvmCodeQOptions embeddedQueue) {
    this.embeddedQueue = Objects.requireNonNull(embeddedQueue, "embeddedQueue");
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
