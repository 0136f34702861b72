package io.codesous.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One activation to run.
 *
 * @param bundleId  identity of the bundle's content (its sha256); compiled sources are cached by it
 * @param files     the bundle: path (relative, '/'-separated) to content
 * @param entry     path of the ES module whose {@code handler} (named or default export) is called
 * @param eventJson the event, as a JSON document
 * @param timeoutMs time budget of the handler: from the start of execution, or from the end of module evaluation
 *                  when the activation evaluates the entry module
 * @param limits    per-activation caps
 * @param isolation {@link #ISOLATION_STRICT} (a fresh context, closed afterwards) or {@link #ISOLATION_WARM} (a
 *                  context reused by later activations of the same version; see {@link JsRuntime}, "Isolation")
 * @param bindings  the platform side of {@code cs.kv}, {@code cs.codeq}, {@code cs.http} and {@code cs.cadence};
 *                  {@link HostBindings#NONE} when the function may reach nothing
 * @param secrets   the values this activation reads as {@code ctx.secrets}, by secret name: the ones its manifest
 *                  declares, already resolved by the caller. They are handed to this activation's {@code ctx} only
 *                  and never to the context's globals, so a warm context keeps none of them for the next
 *                  activation. Copied; {@link #toString()} shows the names, never the values
 * @param env       the manifest's {@code env} values, by name: {@code ctx.env}, and with the secrets the {@code env}
 *                  of a Workers-style {@code fetch(request, env, ctx)}. Copied
 * @param initTimeoutMs budget of module evaluation (the entry module, its imports and top-level {@code await}),
 *                  apart from {@code timeoutMs}
 * @param logListener told of each log entry as the activation keeps it, so its logs can be watched while it runs;
 *                  {@link LogListener#NONE} when nobody watches
 */
public record ExecutionRequest(String bundleId, Map<String, byte[]> files, String entry, String eventJson,
                               InvocationInfo info, long timeoutMs, ExecutionLimits limits, String isolation,
                               HostBindings bindings, Map<String, String> secrets, Map<String, String> env,
                               long initTimeoutMs, LogListener logListener) {

  /** A fresh context for every activation: the default. */
  public static final String ISOLATION_STRICT = "strict";
  /** One context reused by sequential activations of one version on one runtime; globals persist. */
  public static final String ISOLATION_WARM = "warm";
  /** The manifest's default {@code limits.initTimeoutMs}. */
  public static final long DEFAULT_INIT_TIMEOUT_MS = 30_000;

  public ExecutionRequest {
    Objects.requireNonNull(bundleId, "bundleId");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(eventJson, "eventJson");
    Objects.requireNonNull(info, "info");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(isolation, "isolation");
    Objects.requireNonNull(bindings, "bindings");
    Objects.requireNonNull(logListener, "logListener");
    secrets = copySecrets(secrets);
    env = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(env, "env")));
    if (timeoutMs <= 0) {
      throw new IllegalArgumentException("timeoutMs must be positive");
    }
    if (initTimeoutMs <= 0) {
      throw new IllegalArgumentException("initTimeoutMs must be positive");
    }
    if (!isolation.equals(ISOLATION_STRICT) && !isolation.equals(ISOLATION_WARM)) {
      throw new IllegalArgumentException("isolation must be \"strict\" or \"warm\", got \"" + isolation + '"');
    }
  }

  /** An activation whose log nobody watches while it runs. */
  public ExecutionRequest(String bundleId, Map<String, byte[]> files, String entry, String eventJson,
                          InvocationInfo info, long timeoutMs, ExecutionLimits limits, String isolation,
                          HostBindings bindings, Map<String, String> secrets, Map<String, String> env,
                          long initTimeoutMs) {
    this(bundleId, files, entry, eventJson, info, timeoutMs, limits, isolation, bindings, secrets, env,
        initTimeoutMs, LogListener.NONE);
  }

  /** An activation without manifest env values whose module evaluation has the default budget. */
  public ExecutionRequest(String bundleId, Map<String, byte[]> files, String entry, String eventJson,
                          InvocationInfo info, long timeoutMs, ExecutionLimits limits, String isolation,
                          HostBindings bindings, Map<String, String> secrets) {
    this(bundleId, files, entry, eventJson, info, timeoutMs, limits, isolation, bindings, secrets, Map.of(),
        DEFAULT_INIT_TIMEOUT_MS);
  }

  /** An activation that reads no secrets: {@code ctx.secrets} is an empty object. */
  public ExecutionRequest(String bundleId, Map<String, byte[]> files, String entry, String eventJson,
                          InvocationInfo info, long timeoutMs, ExecutionLimits limits, String isolation,
                          HostBindings bindings) {
    this(bundleId, files, entry, eventJson, info, timeoutMs, limits, isolation, bindings, Map.of());
  }

  /** This request with {@code secrets} (name to value) in place of its own. */
  public ExecutionRequest withSecrets(Map<String, String> secrets) {
    return new ExecutionRequest(bundleId, files, entry, eventJson, info, timeoutMs, limits, isolation, bindings,
        secrets, env, initTimeoutMs, logListener);
  }

  /** This request with the manifest's {@code env} values (name to value) in place of its own. */
  public ExecutionRequest withEnv(Map<String, String> env) {
    return new ExecutionRequest(bundleId, files, entry, eventJson, info, timeoutMs, limits, isolation, bindings,
        secrets, env, initTimeoutMs, logListener);
  }

  /** This request with another budget for module evaluation. */
  public ExecutionRequest withInitTimeoutMs(long initTimeoutMs) {
    return new ExecutionRequest(bundleId, files, entry, eventJson, info, timeoutMs, limits, isolation, bindings,
        secrets, env, initTimeoutMs, logListener);
  }

  /** This request with {@code listener} told of its log entries as they are kept. */
  public ExecutionRequest withLogListener(LogListener listener) {
    return new ExecutionRequest(bundleId, files, entry, eventJson, info, timeoutMs, limits, isolation, bindings,
        secrets, env, initTimeoutMs, listener);
  }

  /** Keeps the caller's order (the order of {@code Object.keys(ctx.secrets)}) in an unmodifiable copy. */
  private static Map<String, String> copySecrets(Map<String, String> secrets) {
    Objects.requireNonNull(secrets, "secrets");
    Map<String, String> copy = new LinkedHashMap<>();
    secrets.forEach((name, value) -> {
      // The messages name the secret, never its value.
      Objects.requireNonNull(name, "secrets: a name is null");
      copy.put(name, Objects.requireNonNull(value, () -> "secrets: the value of " + name + " is null"));
    });
    return Collections.unmodifiableMap(copy);
  }

  /** Like the generated form, but with the secrets' names only: a request may end up in a log. */
  @Override
  public String toString() {
    return "ExecutionRequest[bundleId=" + bundleId + ", files=" + files.keySet() + ", entry=" + entry
        + ", eventJson=" + eventJson + ", info=" + info + ", timeoutMs=" + timeoutMs + ", limits=" + limits
        + ", isolation=" + isolation + ", bindings=" + bindings + ", secrets=" + secrets.keySet() + ", env="
        + env.keySet() + ", initTimeoutMs=" + initTimeoutMs + ']';
  }

  boolean warm() {
    return ISOLATION_WARM.equals(isolation);
  }
}
