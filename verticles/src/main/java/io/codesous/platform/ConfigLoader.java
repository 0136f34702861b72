package io.codesous.platform;

import io.codesous.codeq.kafka.KafkaCodeQOptions;
import io.codesous.egress.EgressOptions;
import io.codesous.kv.redis.RedisKvOptions;
import io.codesous.spec.error.CsException;
import io.codesous.spec.validation.JsonSchemas;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Reads a process's configuration: a YAML file (optional), then environment overrides, validated
 * against {@code config.schema.json}. Anything missing or wrong is refused at start with its path,
 * so a process never runs on a half-understood configuration.
 *
 * <p>Environment overrides: {@code CS_} followed by the path with {@code __} between levels, names
 * matched without regard to case: {@code CS_PORT=9090}, {@code CS_KV__BACKEND=redis},
 * {@code CS_KV__REDIS__CONNECTIONSTRING=redis://10.0.0.5:6379}, {@code CS_COMPONENTS=gateway,invoker},
 * {@code CS_RUNTIME__PREWARMCONTEXTS=4}, {@code CS_EGRESS__ALLOWEDPORTS=443,8443}.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "CS_";
  private static final JsonSchemas SCHEMA = JsonSchemas.fromResource("/io/codesous/platform/config.schema.json");

  private ConfigLoader() {
  }

  /** A refused configuration; the message names the setting. */
  public static class ConfigException extends RuntimeException {
    public ConfigException(String message) {
      super(message);
    }
  }

  /**
   * @param file the YAML file, or {@code null} for none
   * @param env  the environment (e.g. {@code System.getenv()})
   */
  public static PlatformOptions load(Path file, Map<String, String> env) {
    JsonObject config = file == null ? new JsonObject() : readYaml(file);
    applyEnvironment(config, env);
    try {
      SCHEMA.validate("config", config);
    } catch (CsException invalid) {
      throw new ConfigException("invalid configuration: " + ConfigSentences.of(invalid.getMessage()));
    }
    checkBackends(config);
    checkSandbox(config);
    try {
      return new PlatformOptions(config);
    } catch (IllegalArgumentException | ClassCastException invalid) {
      throw new ConfigException("invalid configuration: " + invalid.getMessage());
    }
  }

  /**
   * Builds the backends' options as {@link Backends} will, so what the schema cannot say (rules
   * across fields, such as a backoff maximum below its initial value) is refused here, with its
   * path, instead of later inside {@code Platform.start}. A section is checked whenever it is
   * present, chosen backend or not, as the schema checks it.
   */
  private static void checkBackends(JsonObject config) {
    JsonObject redis = section(config, "kv", "redis");
    if (redis != null) {
      check("config.kv.redis", new RedisKvOptions().toJson().fieldNames(),
          RedisKvOptions::new, redis);
    }
    JsonObject kafka = section(config, "codeq", "kafka");
    if (kafka != null) {
      // unlike RedisKvOptions, its JSON constructor checks each field but not the rules across them
      check("config.codeq.kafka", new KafkaCodeQOptions().toJson().fieldNames(),
          json -> new KafkaCodeQOptions(json).validate(), kafka);
    }
  }

  /**
   * Builds the sandbox's and the egress client's options the way {@link PlatformOptions} will, so a value their
   * setters refuse is reported with its path here rather than as a failed start.
   */
  private static void checkSandbox(JsonObject config) {
    JsonObject runtime = config.getJsonObject("runtime");
    if (runtime != null) {
      check("config.runtime", RuntimeConfig.toJson(new io.codesous.runtime.RuntimeOptions()).fieldNames(),
          RuntimeConfig::fromJson, runtime);
    }
    JsonObject egress = config.getJsonObject("egress");
    if (egress != null) {
      check("config.egress", new EgressOptions().toJson().fieldNames(), EgressOptions::new, egress);
    }
  }

  private static JsonObject section(JsonObject config, String backend, String name) {
    JsonObject parent = config.getJsonObject(backend);
    return parent == null ? null : parent.getJsonObject(name);
  }

  /**
   * The options classes start each message with the field it is about ("maxPoolSize must be at
   * least 1: 0"); that field becomes the last segment of the path.
   */
  private static void check(String path, Set<String> fields, Consumer<JsonObject> build, JsonObject section) {
    try {
      build.accept(section.copy());
    } catch (IllegalArgumentException | ClassCastException invalid) {
      String message = String.valueOf(invalid.getMessage());
      int end = 0;
      while (end < message.length() && Character.isJavaIdentifierPart(message.charAt(end))) {
        end++;
      }
      String located = fields.contains(message.substring(0, end))
          ? path + "." + message
          : path + ": " + message;
      throw new ConfigException("invalid configuration: " + located);
    }
  }

  static JsonObject readYaml(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
    }
    Object parsed;
    try {
      parsed = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    } catch (RuntimeException e) {
      throw new ConfigException("configuration file " + file + " is not valid YAML: " + e.getMessage());
    }
    if (parsed == null) {
      return new JsonObject();
    }
    if (!(parsed instanceof Map<?, ?> map)) {
      throw new ConfigException("configuration file " + file + " must hold a mapping at the top level");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> root = (Map<String, Object>) map;
    // through text so nested maps and lists become JsonObject/JsonArray
    return new JsonObject(new JsonObject(root).encode());
  }

  static void applyEnvironment(JsonObject config, Map<String, String> env) {
    // sorted, so the outcome does not depend on the environment's iteration order
    for (Map.Entry<String, String> e : new TreeMap<>(env).entrySet()) {
      if (!e.getKey().startsWith(ENV_PREFIX) || e.getKey().length() == ENV_PREFIX.length()) {
        continue;
      }
      List<String> segments = Arrays.asList(e.getKey().substring(ENV_PREFIX.length()).split("__"));
      apply(config, SCHEMA.schema(), segments, e.getKey(), e.getValue());
    }
  }

  private static void apply(JsonObject target, JsonObject schema, List<String> segments, String variable,
                            String value) {
    JsonObject properties = schema.getJsonObject("properties");
    String wanted = segments.get(0);
    String name = properties == null ? null : properties.fieldNames().stream()
        .filter(p -> p.equalsIgnoreCase(wanted)).findFirst().orElse(null);
    if (name == null) {
      throw new ConfigException(variable + ": no such setting '" + wanted.toLowerCase(Locale.ROOT) + "'");
    }
    JsonObject child = properties.getJsonObject(name);
    if (segments.size() == 1) {
      target.put(name, convert(variable, child, value));
      return;
    }
    JsonObject nested = target.getJsonObject(name);
    if (nested == null) {
      nested = new JsonObject();
      target.put(name, nested);
    }
    apply(nested, child, segments.subList(1, segments.size()), variable, value);
  }

  private static Object convert(String variable, JsonObject schema, String value) {
    String type = schema.getString("type");
    if (type == null && schema.containsKey("enum")) {
      return value;
    }
    try {
      return switch (type == null ? "string" : type) {
        case "integer" -> Long.parseLong(value.trim());
        case "boolean" -> parseBoolean(value);
        case "array" -> new JsonArray(Arrays.stream(value.split(",")).map(String::trim)
            .filter(v -> !v.isEmpty()).map(v -> integerItems(schema) ? (Object) Long.parseLong(v) : v).toList());
        case "object" -> new JsonObject(value);
        default -> value;
      };
    } catch (RuntimeException bad) {
      throw new ConfigException(variable + ": '" + value + "' is not a valid " + type);
    }
  }

  private static boolean integerItems(JsonObject arraySchema) {
    JsonObject items = arraySchema.getJsonObject("items");
    return items != null && "integer".equals(items.getString("type"));
  }

  private static boolean parseBoolean(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw new IllegalArgumentException(value);
    };
  }
}
