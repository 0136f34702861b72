package io.codesous.platform;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a clustered process finds the others: the members listed, or a headless Kubernetes Service in DNS. */
class ClusterJoinTest {

  @Test
  void listedMembersAreJoinedOverTcp() {
    JoinConfig join = VertxFactory.hazelcast(new ClusterOptions().setEnabled(true)
        .setMembers(List.of("10.0.0.1:5701", "10.0.0.2:5701"))).getNetworkConfig().getJoin();
    assertTrue(join.getTcpIpConfig().isEnabled());
    assertEquals(List.of("10.0.0.1:5701", "10.0.0.2:5701"), join.getTcpIpConfig().getMembers());
    assertFalse(join.getKubernetesConfig().isEnabled());
  }

  @Test
  void aKubernetesServiceNameReplacesTheListedMembersAndIsLookedUpInDns() {
    Config config = VertxFactory.hazelcast(new ClusterOptions().setEnabled(true).setPort(5801)
        .setKubernetesServiceDns("cs-code-sous-cluster.functions.svc.cluster.local"));
    JoinConfig join = config.getNetworkConfig().getJoin();
    assertFalse(join.getTcpIpConfig().isEnabled());
    assertFalse(join.getMulticastConfig().isEnabled());
    assertTrue(join.getKubernetesConfig().isEnabled());
    assertEquals("cs-code-sous-cluster.functions.svc.cluster.local", join.getKubernetesConfig().getProperty("service-dns"));
    assertEquals("5801", join.getKubernetesConfig().getProperty("service-port"));
  }

  @Test
  void aClusteredProcessNeedsMembersOrAServiceName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path neither = Files.writeString(dir.resolve("neither.yaml"), "cluster: {enabled: true}\n");
    assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(neither, Map.of()));
    Path dns = Files.writeString(dir.resolve("dns.yaml"),
        "cluster: {enabled: true, kubernetesServiceDns: cs-cluster.functions.svc.cluster.local}\n");
    assertEquals("cs-cluster.functions.svc.cluster.local",
        ConfigLoader.load(dns, Map.of()).getCluster().getKubernetesServiceDns());
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "cluster: {enabled: true, kubernetesServiceDns: 'not a name'}\n");
    assertThrows(ConfigLoader.ConfigException.class, () -> ConfigLoader.load(bad, Map.of()));
  }
}
