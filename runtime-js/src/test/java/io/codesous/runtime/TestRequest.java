package io.codesous.runtime;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Builds {@link ExecutionRequest}s for tests: a bundle of text files and sensible defaults. */
final class TestRequest {

  /** Generous enough for a cold engine on a busy machine; tests that expect a timeout set their own. */
  static final long DEFAULT_TIMEOUT_MS = 20_000;

  static final InvocationInfo INFO = new InvocationInfo("act-0001", "req-0001", "acme", "default", "hello", 3,
      "http", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");

  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private String bundleId = UUID.randomUUID().toString();
  private String entry = "index.mjs";
  private String eventJson = "{}";
  private InvocationInfo info = INFO;
  private long timeoutMs = DEFAULT_TIMEOUT_MS;
  private ExecutionLimits limits = ExecutionLimits.DEFAULTS;
  private String isolation = ExecutionRequest.ISOLATION_STRICT;
  private HostBindings bindings = HostBindings.NONE;
  private Map<String, String> secrets = Map.of();
  private Map<String, String> env = Map.of();
  private long initTimeoutMs = ExecutionRequest.DEFAULT_INIT_TIMEOUT_MS;

  /** A bundle whose entry {@code index.mjs} has the given source. */
  static TestRequest entry(String source) {
    return new TestRequest().file("index.mjs", source);
  }

  /** A bundle whose {@code index.mjs} exports {@code handler} with the given body. */
  static TestRequest handler(String body) {
    return entry("export function handler(event, ctx) {\n" + body + "\n}\n");
  }

  /** A bundle whose {@code index.mjs} exports an async {@code handler} with the given body. */
  static TestRequest asyncHandler(String body) {
    return entry("export async function handler(event, ctx) {\n" + body + "\n}\n");
  }

  TestRequest file(String path, String source) {
    files.put(path, source.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  TestRequest entryPath(String path) {
    this.entry = path;
    return this;
  }

  TestRequest bundleId(String id) {
    this.bundleId = id;
    return this;
  }

  TestRequest event(String json) {
    this.eventJson = json;
    return this;
  }

  TestRequest info(InvocationInfo invocationInfo) {
    this.info = invocationInfo;
    return this;
  }

  TestRequest timeoutMs(long ms) {
    this.timeoutMs = ms;
    return this;
  }

  TestRequest initTimeoutMs(long ms) {
    this.initTimeoutMs = ms;
    return this;
  }

  TestRequest limits(ExecutionLimits executionLimits) {
    this.limits = executionLimits;
    return this;
  }

  TestRequest memoryBytes(long bytes) {
    this.limits = limits.withMemoryBytes(bytes);
    return this;
  }

  TestRequest warm() {
    this.isolation = ExecutionRequest.ISOLATION_WARM;
    return this;
  }

  TestRequest bindings(HostBindings hostBindings) {
    this.bindings = hostBindings;
    return this;
  }

  TestRequest secrets(Map<String, String> activationSecrets) {
    this.secrets = activationSecrets;
    return this;
  }

  TestRequest env(Map<String, String> manifestEnv) {
    this.env = manifestEnv;
    return this;
  }

  TestRequest triggerType(String type) {
    this.info = new InvocationInfo(info.activationId(), info.requestId(), info.tenant(), info.namespace(),
        info.function(), info.version(), type, info.traceparent(), info.tracestate());
    return this;
  }

  ExecutionRequest build() {
    ExecutionRequest request = new ExecutionRequest(bundleId, Map.copyOf(files), entry, eventJson, info, timeoutMs,
        limits, isolation, bindings).withInitTimeoutMs(initTimeoutMs);
    return (secrets.isEmpty() ? request : request.withSecrets(secrets)).withEnv(env);
  }
}
