package io.codesous.cadence;

import com.uber.cadence.serviceclient.IWorkflowService;
import io.vertx.core.json.JsonObject;

/**
 * Settings of the Cadence poller ({@code cadence:} in the configuration). The client library's own default port is
 * 7933, the old Thrift port; its gRPC transport listens on 7833, so the port is always set from here.
 */
public class CadenceOptions {

  public static final int DEFAULT_PORT = 7833;
  public static final int DEFAULT_REFRESH_SECONDS = 10;
  public static final long DEFAULT_DRAIN_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_RESPOND_THREADS = 4;

  private String host = "127.0.0.1";
  private int port = DEFAULT_PORT;
  private int refreshSeconds = DEFAULT_REFRESH_SECONDS;
  private long drainTimeoutMs = DEFAULT_DRAIN_TIMEOUT_MS;
  private int respondThreads = DEFAULT_RESPOND_THREADS;
  private IWorkflowService service;

  public CadenceOptions() {
  }

  public CadenceOptions(JsonObject json) {
    setHost(json.getString("host", host));
    setPort(json.getInteger("port", port));
    setRefreshSeconds(json.getInteger("refreshSeconds", refreshSeconds));
    setDrainTimeoutMs(json.getLong("drainTimeoutMs", drainTimeoutMs));
    setRespondThreads(json.getInteger("respondThreads", respondThreads));
  }

  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port).put("refreshSeconds", refreshSeconds)
        .put("drainTimeoutMs", drainTimeoutMs).put("respondThreads", respondThreads);
  }

  public String getHost() {
    return host;
  }

  public CadenceOptions setHost(String host) {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("host must not be empty");
    }
    this.host = host;
    return this;
  }

  public int getPort() {
    return port;
  }

  public CadenceOptions setPort(int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1..65535: " + port);
    }
    this.port = port;
    return this;
  }

  public int getRefreshSeconds() {
    return refreshSeconds;
  }

  public CadenceOptions setRefreshSeconds(int refreshSeconds) {
    if (refreshSeconds < 1 || refreshSeconds > 3600) {
      throw new IllegalArgumentException("refreshSeconds must be 1..3600: " + refreshSeconds);
    }
    this.refreshSeconds = refreshSeconds;
    return this;
  }

  public long getDrainTimeoutMs() {
    return drainTimeoutMs;
  }

  /** How long a stopping poller keeps heartbeating and answering its inflight tasks before it leaves them. */
  public CadenceOptions setDrainTimeoutMs(long drainTimeoutMs) {
    if (drainTimeoutMs < 0 || drainTimeoutMs > 3_600_000) {
      throw new IllegalArgumentException("drainTimeoutMs must be 0..3600000: " + drainTimeoutMs);
    }
    this.drainTimeoutMs = drainTimeoutMs;
    return this;
  }

  public int getRespondThreads() {
    return respondThreads;
  }

  /** Worker threads for the blocking calls that answer Cadence (respond, heartbeat). */
  public CadenceOptions setRespondThreads(int respondThreads) {
    if (respondThreads < 1 || respondThreads > 256) {
      throw new IllegalArgumentException("respondThreads must be 1..256: " + respondThreads);
    }
    this.respondThreads = respondThreads;
    return this;
  }

  /** The service set in code, or {@code null} to connect to {@link #getHost()}:{@link #getPort()} over gRPC. */
  public IWorkflowService getService() {
    return service;
  }

  /** An in-process service such as the client's {@code TestWorkflowService}; never read from configuration. */
  public CadenceOptions setService(IWorkflowService service) {
    this.service = service;
    return this;
  }
}
