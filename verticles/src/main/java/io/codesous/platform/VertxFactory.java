package io.codesous.platform;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.codesous.observe.GuardedServerMetrics;
import io.codesous.observe.Metrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Creates the process's Vert.x: plain, or clustered over Hazelcast with TCP join to the configured
 * members, or with the addresses of a headless Kubernetes Service looked up in DNS (multicast and
 * auto-detection off: nothing is discovered that was not configured).
 */
public final class VertxFactory {

  static final String CLUSTER_NAME = "code-sous";

  private VertxFactory() {
  }

  public static Future<Vertx> create(PlatformOptions options) {
    return create(options, null);
  }

  /**
   * @param metrics when not {@code null}, Vert.x's own meters (HTTP server and client, event bus, pools) join
   *                this registry. Their labels leave out remote addresses and paths, whose values are unbounded;
   *                the HTTP server's are guarded ({@link GuardedServerMetrics}).
   */
  public static Future<Vertx> create(PlatformOptions options, Metrics metrics) {
    VertxOptions vertxOptions = new VertxOptions();
    VertxBuilder builder = Vertx.builder();
    if (metrics != null) {
      vertxOptions.setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
          .setLabels(java.util.EnumSet.of(Label.HTTP_METHOD, Label.HTTP_CODE, Label.EB_ADDRESS, Label.EB_SIDE,
              Label.EB_FAILURE, Label.POOL_TYPE, Label.POOL_NAME, Label.NAMESPACE)));
      builder.withMetrics(new GuardedServerMetrics(new MicrometerMetricsFactory(metrics.registry())));
    }
    ClusterOptions cluster = options.getCluster();
    if (!cluster.isEnabled()) {
      return Future.succeededFuture(builder.with(vertxOptions).build());
    }
    vertxOptions.getEventBusOptions().setHost(cluster.getHost()).setPort(cluster.getEventBusPort());
    return builder
        .with(vertxOptions)
        .withClusterManager(new HazelcastClusterManager(hazelcast(cluster)))
        .buildClustered();
  }

  static Config hazelcast(ClusterOptions cluster) {
    // Vert.x's own defaults carry the maps and multimaps its cluster manager needs
    Config config = ConfigUtil.loadConfig();
    config.setClusterName(CLUSTER_NAME);
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.local.localAddress", cluster.getHost());
    NetworkConfig network = config.getNetworkConfig();
    network.setPort(cluster.getPort()).setPortAutoIncrement(false);
    network.getInterfaces().setEnabled(true).addInterface(cluster.getHost());
    JoinConfig join = network.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if (cluster.getKubernetesServiceDns() != null) {
      // Hazelcast's Kubernetes discovery in DNS mode: no API rights needed, only the headless Service
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true)
          .setProperty("service-dns", cluster.getKubernetesServiceDns())
          .setProperty("service-port", String.valueOf(cluster.getPort()));
    } else {
      join.getTcpIpConfig().setEnabled(true).setMembers(cluster.getMembers());
    }
    return config;
  }
}
