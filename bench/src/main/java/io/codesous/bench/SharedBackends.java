package io.codesous.bench;

import io.codesous.codeq.kafka.KafkaCodeQOptions;
import io.codesous.codeq.kafka.KafkaTestBroker;
import io.codesous.kv.redis.RedisKeyCleanup;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Response;
import org.apache.kafka.common.utils.AppInfoParser;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The Redis and the Kafka broker the {@code single} and {@code split} shapes share, and the
 * client settings every shape's processes use with them. The broker is the codeQ tests' single-node
 * KRaft broker, started once in this JVM; it stops when the JVM exits.
 */
final class SharedBackends implements AutoCloseable {

  private static final long STEP_TIMEOUT_SECONDS = 60;

  private final String redisUri;
  private final Redis redis;
  private final RedisAPI redisApi;
  private final String redisVersion;
  private final String kafkaBootstrapServers;

  private SharedBackends(String redisUri, Redis redis, RedisAPI redisApi, String redisVersion,
                         String kafkaBootstrapServers) {
    this.redisUri = redisUri;
    this.redis = redis;
    this.redisApi = redisApi;
    this.redisVersion = redisVersion;
    this.kafkaBootstrapServers = kafkaBootstrapServers;
  }

  /** Checks that Redis answers, then starts the broker. */
  static SharedBackends start(Vertx vertx, String redisUri) throws Exception {
    Redis redis = Redis.createClient(vertx, new RedisOptions().setConnectionString(redisUri));
    RedisAPI api = RedisAPI.api(redis);
    try {
      String version = serverVersion(api.info(List.of("server")).await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS));
      return new SharedBackends(redisUri, redis, api, version, startBroker());
    } catch (Exception e) {
      redis.close();
      throw e;
    }
  }

  private static String startBroker() {
    // the broker announces itself on stdout, which holds nothing but the results
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      return KafkaTestBroker.shared().bootstrapServers();
    } finally {
      System.setOut(stdout);
    }
  }

  private static String serverVersion(Response info) {
    for (String line : info.toString().split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length()).trim();
      }
    }
    return "unknown version";
  }

  /** The {@code kv.redis} settings: the adapter's defaults but for where the server is. */
  JsonObject redisSettings() {
    return new JsonObject().put("connectionString", redisUri);
  }

  /**
   * The {@code codeq.kafka} settings, every one of them: the adapter's defaults but for where the
   * broker is. linger.ms stays 0 (the default, named here because it matters most): every
   * invocation waits for its publish, so a batching delay would be added to each one.
   */
  JsonObject kafkaSettings() {
    KafkaCodeQOptions options = new KafkaCodeQOptions().setBootstrapServers(kafkaBootstrapServers).setLingerMs(0);
    options.validate();
    return options.toJson();
  }

  String kafkaBootstrapServers() {
    return kafkaBootstrapServers;
  }

  /** One line for the report: which servers the numbers depend on. */
  String describe() {
    return "backends: redis " + redisVersion + " at " + redisUri + "; kafka " + AppInfoParser.getVersion()
        + " single-node test broker at " + kafkaBootstrapServers + " (inside the benchmark's JVM)";
  }

  /**
   * Removes every key of one tenant ({@code cs:<tenant>:*}): the run's tenants are its own, so
   * this touches nothing else. Tenant names hold no glob characters.
   */
  long deleteTenant(String tenant) throws Exception {
    return RedisKeyCleanup.deleteTenant(redisApi, tenant).await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** Every member of a sorted index (a KV port index is a Redis sorted set), e.g. a platform-wide registry. */
  List<String> indexMembers(String key) throws Exception {
    List<String> members = new ArrayList<>();
    redisApi.zrange(List.of(key, "0", "-1")).await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .forEach(member -> members.add(member.toString()));
    return members;
  }

  void removeIndexMember(String key, String member) throws Exception {
    redisApi.zrem(List.of(key, member)).await(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
  }

  /** What {@link #removeRegisteredTenants} removed. */
  record Removed(int entries, long keys, int tenants) {
  }

  /**
   * Removes, from each platform-wide registry of {@code registries} ({@code tenant:namespace:name} entries), the
   * entries of every tenant {@code removed} accepts, and then every key of those tenants ({@link #deleteTenant}).
   */
  Removed removeRegisteredTenants(List<String> registries, Predicate<String> removed)
      throws Exception {
    Set<String> tenants = new LinkedHashSet<>();
    int entries = 0;
    for (String registry : registries) {
      for (String entry : indexMembers(registry)) {
        String tenant = tenantOf(entry);
        if (removed.test(tenant)) {
          removeIndexMember(registry, entry);
          tenants.add(tenant);
          entries++;
        }
      }
    }
    long keys = 0;
    for (String tenant : tenants) {
      keys += deleteTenant(tenant);
    }
    return new Removed(entries, keys, tenants.size());
  }

  /** The tenant of a registry entry, {@code tenant:namespace:name}. */
  static String tenantOf(String registryEntry) {
    return registryEntry.substring(0, Math.max(0, registryEntry.indexOf(':')));
  }

  @Override
  public void close() {
    redis.close();
  }
}
