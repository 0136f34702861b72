package io.codesous.platform;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Vert.x clustering (Hazelcast, TCP join, no multicast). Processes that split the gateway from the
 * invoker need it: results travel back to the waiting gateway over the clustered event bus.
 */
public class ClusterOptions {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 5701;
  /** 0 picks a free port for the event bus transport. */
  public static final int DEFAULT_EVENT_BUS_PORT = 0;

  private boolean enabled;
  private String host = DEFAULT_HOST;
  private int port = DEFAULT_PORT;
  private List<String> members = new ArrayList<>();
  private int eventBusPort = DEFAULT_EVENT_BUS_PORT;
  private String kubernetesServiceDns;

  public ClusterOptions() {
  }

  public ClusterOptions(JsonObject json) {
    this.enabled = json.getBoolean("enabled", false);
    this.host = json.getString("host", DEFAULT_HOST);
    this.port = json.getInteger("port", DEFAULT_PORT);
    this.eventBusPort = json.getInteger("eventBusPort", DEFAULT_EVENT_BUS_PORT);
    this.kubernetesServiceDns = json.getString("kubernetesServiceDns");
    JsonArray m = json.getJsonArray("members", new JsonArray());
    m.forEach(member -> members.add((String) member));
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("enabled", enabled).put("host", host).put("port", port)
        .put("members", new JsonArray(new ArrayList<>(members))).put("eventBusPort", eventBusPort);
    if (kubernetesServiceDns != null) {
      json.put("kubernetesServiceDns", kubernetesServiceDns);
    }
    return json;
  }

  public boolean isEnabled() {
    return enabled;
  }

  public ClusterOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public String getHost() {
    return host;
  }

  public ClusterOptions setHost(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return this;
  }

  public int getPort() {
    return port;
  }

  public ClusterOptions setPort(int port) {
    this.port = port;
    return this;
  }

  /** {@code host:port} of the Hazelcast members to join. */
  public List<String> getMembers() {
    return members;
  }

  public ClusterOptions setMembers(List<String> members) {
    this.members = new ArrayList<>(members);
    return this;
  }

  public int getEventBusPort() {
    return eventBusPort;
  }

  public ClusterOptions setEventBusPort(int eventBusPort) {
    this.eventBusPort = eventBusPort;
    return this;
  }

  /**
   * The DNS name of a headless Kubernetes Service whose addresses are the members (for example
   * {@code cs-code-sous-cluster.functions.svc.cluster.local}), or {@code null} to join the listed
   * {@link #getMembers() members}. Looked up again at every join: pods come and go with new
   * addresses. A name in {@code members} would not do: TCP join keeps only the addresses of a name
   * that match this process's own interface.
   */
  public String getKubernetesServiceDns() {
    return kubernetesServiceDns;
  }

  public ClusterOptions setKubernetesServiceDns(String kubernetesServiceDns) {
    this.kubernetesServiceDns = kubernetesServiceDns;
    return this;
  }
}
