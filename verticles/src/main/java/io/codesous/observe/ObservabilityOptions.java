package io.codesous.observe;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * What a process exposes about itself: the management listener ({@code management.*}), the meters' labels
 * ({@code metrics.*}), the log format ({@code logging.format}) and traces ({@code tracing.*}).
 */
public final class ObservabilityOptions {

  /** Loopback, like the API: metrics name tenants and functions, so reaching them is the operator's choice. */
  public static final String DEFAULT_MANAGEMENT_HOST = "127.0.0.1";
  /**
   * A free port, printed in the banner: an embedded process starts wherever a free port is, and several share one
   * machine (or test JVM). A deployment that Prometheus scrapes sets {@code management.port}.
   */
  public static final int DEFAULT_MANAGEMENT_PORT = 0;
  /** Per-function series beyond which further functions share the label value {@link FunctionLabels#OTHER}. */
  public static final int DEFAULT_MAX_FUNCTION_SERIES = 200;

  /** How platform log lines are written. */
  public enum LogFormat { JSON, TEXT }

  private String managementHost = DEFAULT_MANAGEMENT_HOST;
  private int managementPort = DEFAULT_MANAGEMENT_PORT;
  private boolean managementEnabled = true;
  private boolean perFunction;
  private int maxFunctionSeries = DEFAULT_MAX_FUNCTION_SERIES;
  /** {@code null}: decided by whether standard output is a terminal. */
  private LogFormat logFormat;
  private String otlpEndpoint;
  private double samplingRatio = 1.0;

  public ObservabilityOptions() {
  }

  /** Reads the four sections of a configuration object (each may be absent). */
  public ObservabilityOptions(JsonObject config) {
    JsonObject management = config.getJsonObject("management", new JsonObject());
    this.managementHost = management.getString("host", DEFAULT_MANAGEMENT_HOST);
    setManagementPort(management.getInteger("port", DEFAULT_MANAGEMENT_PORT));
    this.managementEnabled = management.getBoolean("enabled", true);
    JsonObject metrics = config.getJsonObject("metrics", new JsonObject());
    this.perFunction = metrics.getBoolean("perFunction", false);
    setMaxFunctionSeries(metrics.getInteger("maxFunctionSeries", DEFAULT_MAX_FUNCTION_SERIES));
    String format = config.getJsonObject("logging", new JsonObject()).getString("format");
    this.logFormat = format == null ? null : LogFormat.valueOf(format.toUpperCase(java.util.Locale.ROOT));
    JsonObject tracing = config.getJsonObject("tracing", new JsonObject());
    this.otlpEndpoint = tracing.getString("otlpEndpoint");
    setSamplingRatio(tracing.getDouble("samplingRatio", 1.0));
  }

  /** Writes the four sections into {@code config}. */
  public void writeTo(JsonObject config) {
    config.put("management", new JsonObject().put("host", managementHost).put("port", managementPort)
        .put("enabled", managementEnabled));
    config.put("metrics", new JsonObject().put("perFunction", perFunction).put("maxFunctionSeries", maxFunctionSeries));
    if (logFormat != null) {
      config.put("logging", new JsonObject().put("format", logFormat.name().toLowerCase(java.util.Locale.ROOT)));
    }
    JsonObject tracing = new JsonObject().put("samplingRatio", samplingRatio);
    if (otlpEndpoint != null) {
      tracing.put("otlpEndpoint", otlpEndpoint);
    }
    config.put("tracing", tracing);
  }

  public String getManagementHost() {
    return managementHost;
  }

  public ObservabilityOptions setManagementHost(String managementHost) {
    this.managementHost = Objects.requireNonNull(managementHost, "managementHost");
    return this;
  }

  public int getManagementPort() {
    return managementPort;
  }

  /** 0 picks a free port. */
  public ObservabilityOptions setManagementPort(int managementPort) {
    if (managementPort < 0 || managementPort > 65535) {
      throw new IllegalArgumentException("management.port must be 0..65535");
    }
    this.managementPort = managementPort;
    return this;
  }

  public boolean isManagementEnabled() {
    return managementEnabled;
  }

  public ObservabilityOptions setManagementEnabled(boolean managementEnabled) {
    this.managementEnabled = managementEnabled;
    return this;
  }

  public boolean isPerFunction() {
    return perFunction;
  }

  public ObservabilityOptions setPerFunction(boolean perFunction) {
    this.perFunction = perFunction;
    return this;
  }

  public int getMaxFunctionSeries() {
    return maxFunctionSeries;
  }

  public ObservabilityOptions setMaxFunctionSeries(int maxFunctionSeries) {
    if (maxFunctionSeries < 1) {
      throw new IllegalArgumentException("metrics.maxFunctionSeries must be at least 1");
    }
    this.maxFunctionSeries = maxFunctionSeries;
    return this;
  }

  /** @return the configured format, or {@code null} when it depends on the terminal */
  public LogFormat getLogFormat() {
    return logFormat;
  }

  public ObservabilityOptions setLogFormat(LogFormat logFormat) {
    this.logFormat = logFormat;
    return this;
  }

  /** @return the OTLP traces endpoint, or {@code null}: tracing off */
  public String getOtlpEndpoint() {
    return otlpEndpoint;
  }

  public ObservabilityOptions setOtlpEndpoint(String otlpEndpoint) {
    this.otlpEndpoint = otlpEndpoint;
    return this;
  }

  public double getSamplingRatio() {
    return samplingRatio;
  }

  public ObservabilityOptions setSamplingRatio(double samplingRatio) {
    if (!(samplingRatio >= 0 && samplingRatio <= 1)) {
      throw new IllegalArgumentException("tracing.samplingRatio must be 0..1");
    }
    this.samplingRatio = samplingRatio;
    return this;
  }
}
