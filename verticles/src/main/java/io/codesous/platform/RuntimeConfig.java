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
        .setWarmMaxIdle(json.getInteger("warmMaxIdle", d.getWarmMaxIdle()));
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
        .put("warmMaxIdle", options.getWarmMaxIdle());
  }
}
