package io.codesous.platform;

import io.codesous.cadence.CadenceOptions;
import io.codesous.codeq.jvm.InJvmCodeQOptions;
import io.codesous.control.ControlOptions;
import io.codesous.egress.EgressOptions;
import io.codesous.gateway.GatewayOptions;
import io.codesous.invoker.InvokerOptions;
import io.codesous.observe.ObservabilityOptions;
import io.codesous.scheduler.SchedulerOptions;
import io.codesous.spec.model.Manifest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Set;

import static io.codesous.platform.BackendNames.EMBEDDED;
import static io.codesous.platform.Components.CADENCE_POLLER;
import static io.codesous.platform.PlatformDefaults.DEFAULT_DATA_DIR;
import static io.codesous.platform.PlatformDefaults.DEFAULT_HOST;
import static io.codesous.platform.PlatformDefaults.DEFAULT_HTTP_INSTANCES;
import static io.codesous.platform.PlatformDefaults.DEFAULT_PORT;

/**
 * The configuration's JSON form of {@link PlatformOptions}, both ways, in the shape of Vert.x's data-object
 * converters: the options class keeps the settings and their rules, this class the section names. A configuration
 * has already passed the schema in {@link ConfigLoader}, so values are assigned as read.
 */
final class PlatformOptionsConverter {

  private PlatformOptionsConverter() {
  }

  static void fromJson(JsonObject json, PlatformOptions options) {
    options.setHost(json.getString("host", DEFAULT_HOST));
    options.setPort(json.getInteger("port", DEFAULT_PORT));
    options.setDataDir(json.getString("dataDir", DEFAULT_DATA_DIR));
    options.setHttpInstances(json.getInteger("httpInstances", DEFAULT_HTTP_INSTANCES));
    ControlOptions control = new ControlOptions(json.getJsonObject("control", new JsonObject()));
    // an operator setting of the platform's limits, not of the control API's transport; the control API applies it
    control.setMaxTimeoutMs(json.getJsonObject("limits", new JsonObject())
        .getLong("maxTimeoutMs", Manifest.DEFAULT_MAX_TIMEOUT_MS));
    options.setControl(control);
    options.setGateway(new GatewayOptions(json.getJsonObject("gateway", new JsonObject())));
    options.setInvoker(new InvokerOptions(json.getJsonObject("invoker", new JsonObject())));
    options.setRuntime(RuntimeConfig.fromJson(json.getJsonObject("runtime", new JsonObject())));
    options.setEgress(new EgressOptions(json.getJsonObject("egress", new JsonObject())));
    if (json.containsKey("cadence")) {
      options.setCadence(new CadenceOptions(json.getJsonObject("cadence")));
      options.getComponents().add(CADENCE_POLLER);
    }
    if (json.containsKey("components")) {
      // as listed, unchecked: the schema names the components a configuration may list
      Set<String> components = options.getComponents();
      components.clear();
      json.getJsonArray("components").forEach(c -> components.add((String) c));
    }
    JsonObject kv = json.getJsonObject("kv", new JsonObject());
    options.setKvBackend(kv.getString("backend", EMBEDDED)); // the setter reads the earlier name as embedded
    options.setRedis(kv.getJsonObject("redis", new JsonObject()));
    JsonObject kvEmbedded = kv.getJsonObject("embedded", new JsonObject());
    // a configuration is what `cs server` reads: it persists its state unless it says otherwise
    options.setKvPersistent(kvEmbedded.getBoolean("persistent", true));
    options.setKvFsync(kvEmbedded.getBoolean("fsync", false));
    JsonObject codeq = json.getJsonObject("codeq", new JsonObject());
    options.setCodeqBackend(codeq.getString("backend", EMBEDDED));
    options.setKafka(codeq.getJsonObject("kafka", new JsonObject()));
    options.setEmbeddedQueue(new InJvmCodeQOptions(codeq.getJsonObject("embedded", new JsonObject())));
    options.setCluster(new ClusterOptions(json.getJsonObject("cluster", new JsonObject())));
    options.setScheduler(SchedulerOptions.fromJson(json.getJsonObject("scheduler", new JsonObject())));
    options.setSecurity(new SecurityOptions(json.getJsonObject("auth", new JsonObject()),
        json.getJsonObject("audit", new JsonObject()), json.getJsonObject("secrets", new JsonObject())));
    options.setObservability(new ObservabilityOptions(json));
  }

  static JsonObject toJson(PlatformOptions options) {
    JsonObject json = new JsonObject()
        .put("host", options.getHost())
        .put("port", options.getPort())
        .put("dataDir", options.getDataDir())
        .put("httpInstances", options.getHttpInstances())
        .put("control", options.getControl().toJson())
        .put("limits", new JsonObject().put("maxTimeoutMs", options.getControl().getMaxTimeoutMs()))
        .put("gateway", options.getGateway().toJson())
        .put("invoker", options.getInvoker().toJson())
        .put("runtime", RuntimeConfig.toJson(options.getRuntime()))
        .put("egress", options.getEgress().toJson())
        .put("components", new JsonArray(List.copyOf(options.getComponents())))
        .put("kv", new JsonObject().put("backend", options.getKvBackend()).put("redis", options.getRedis().copy())
            .put("embedded", new JsonObject().put("persistent", options.isKvPersistent())
                .put("fsync", options.isKvFsync())))
        .put("codeq", new JsonObject().put("backend", options.getCodeqBackend())
            .put("kafka", options.getKafka().copy()).put("embedded", options.getEmbeddedQueue().toJson()))
        .put("cluster", options.getCluster().toJson())
        .put("scheduler", options.getScheduler().toJson())
        .put("auth", options.getSecurity().authJson())
        .put("audit", options.getSecurity().auditJson());
    if (options.getCadence() != null) {
      json.put("cadence", options.getCadence().toJson());
    }
    options.getObservability().writeTo(json);
    return json;
  }
}
