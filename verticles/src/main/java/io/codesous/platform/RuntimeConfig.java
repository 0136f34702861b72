package io.codesous.platform;

import io.codesous.runtime.RuntimeOptions;
import io.vertx.core.json.JsonObject;

/**
 * The {@code runtime} section of the configuration and the sandbox's {@link RuntimeOptions}. The sandbox module
 * knows nothing of configuration files or Vert.x JSON, so the mapping lives here, at the composition root; each
 * value goes through the options' own setter, which refuses what the sandbox cannot run with and names the
 * field, so a refusal is reported with its path.
 */
final class RuntimeConfig {

  /**
   * Warm-up rounds of a server's sandbox when the configuration names none. A runtime made in code does none
   * ({@link RuntimeOptions#DEFAULT_WARM_UP_ROUNDS}); a server is started to serve functions, and its first one would
   * otherwise wait for the JVM's compilers (see {@code JsRuntime#warmUp}). Four rounds brought the first answer of a
   * 1.27 MB bundle on a fresh JDK 17 server from 2.9-3.7 s to 2.0-2.5 s after its publish. Twelve: on a fresh JDK 17
   * server (512 MB of heap) the first invoke of that bundle took 736-962 ms (6 runs, median 773) against 832-1,179 ms
   * with four (6 runs, median 996), uploaded 12 s or 45 s after the start; the module's evaluation 407-514 ms against
   * 464-821. On the JIT launcher 1,240-1,736 ms against 1,428-1,630, inside its spread. The rounds stop at the first
   * function; when none comes they take 6 s on JDK 17 and 10 s on the JIT launcher (the server logs it), once.
   */
  static final int SERVER_WARM_UP_ROUNDS = 12;

  private RuntimeConfig() {
  }

  static RuntimeOptions fromJson(JsonObject json) {
    RuntimeOptions d = new RuntimeOptions();
    return new RuntimeOptions()
        .setSourceCacheSize(json.getInteger("sourceCacheSize", d.getSourceCacheSize()))
        .setCancelGraceMs(json.getLong("cancelGraceMs", d.getCancelGraceMs()))
        .setMemorySampleIntervalMs(json.getLong("memorySampleIntervalMs", d.getMemorySampleIntervalMs()))
        .setPrewarmContexts(json.getInteger("prewarmContexts", d.getPrewarmContexts()))
        .setPrewarmBundles(json.getInteger("prewarmBundles", d.getPrewarmBundles()))
        .setPrewarmIdleMs(json.getLong("prewarmIdleMs", d.getPrewarmIdleMs()))
        .setPrepareModules(json.getBoolean("prepareModules", d.isPrepareModules()))
        .setWarmMaxUses(json.getInteger("warmMaxUses", d.getWarmMaxUses()))
        .setWarmIdleMs(json.getLong("warmIdleMs", d.getWarmIdleMs()))
        .setWarmMaxIdle(json.getInteger("warmMaxIdle", d.getWarmMaxIdle()))
        .setWarmUpRounds(json.getInteger("warmUpRounds", SERVER_WARM_UP_ROUNDS))
        .setGuestNice(json.getInteger("guestNice", d.getGuestNice()))
        .setCompilerNice(json.getInteger("compilerNice", d.getCompilerNice()));
  }

  static JsonObject toJson(RuntimeOptions options) {
    return new JsonObject()
        .put("sourceCacheSize", options.getSourceCacheSize())
        .put("cancelGraceMs", options.getCancelGraceMs())
        .put("memorySampleIntervalMs", options.getMemorySampleIntervalMs())
        .put("prewarmContexts", options.getPrewarmContexts())
        .put("prewarmBundles", options.getPrewarmBundles())
        .put("prewarmIdleMs", options.getPrewarmIdleMs())
        .put("prepareModules", options.isPrepareModules())
        .put("warmMaxUses", options.getWarmMaxUses())
        .put("warmIdleMs", options.getWarmIdleMs())
        .put("warmMaxIdle", options.getWarmMaxIdle())
        .put("warmUpRounds", options.getWarmUpRounds())
        .put("guestNice", options.getGuestNice())
        .put("compilerNice", options.getCompilerNice());
  }
}
