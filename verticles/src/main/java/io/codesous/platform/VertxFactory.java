package io.codesous.platform;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
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
    VertxOptions vertxOptions = new VertxOptions();
    ClusterOptions cluster = options.getCluster();
    if (!cluster.isEnabled()) {
      return Future.succeededFuture(Vertx.vertx(vertxOptions));
    }
    vertxOptions.getEventBusOptions().setHost(cluster.getHost()).setPort(cluster.getEventBusPort());
    return Vertx.builder()
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
