package io.codesous.invoker.host;

import io.codesous.spec.validation.KvPaths;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one version's manifest grants: KV prefixes to read and write, queue topics to publish to,
 * hosts to fetch from. Nothing listed, nothing granted.
 */
public final class Capabilities {

  private final List<String> kvRead;
  private final List<String> kvWrite;
  private final Set<String> publishTopics;
  private final List<String> httpHosts;

  private Capabilities(List<String> kvRead, List<String> kvWrite, Set<String> publishTopics, List<String> httpHosts) {
    this.kvRead = kvRead;
    this.kvWrite = kvWrite;
    this.publishTopics = publishTopics;
    this.httpHosts = httpHosts;
  }

  /** From a stored (already validated) manifest document. */
  public static Capabilities of(JsonObject manifest) {
    JsonObject caps = manifest.getJsonObject("capabilities", new JsonObject());
    JsonObject kv = caps.getJsonObject("kv", new JsonObject());
    return new Capabilities(
        strings(kv.getJsonArray("read")),
        strings(kv.getJsonArray("write")),
        new TreeSet<>(strings(caps.getJsonObject("codeq", new JsonObject()).getJsonArray("publish"))),
        strings(caps.getJsonObject("http", new JsonObject()).getJsonArray("allow")));
  }

  private static List<String> strings(JsonArray array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(v -> out.add((String) v));
    }
    return List.copyOf(out);
  }

  /** Reading needs a read grant; a write grant alone does not imply it. */
  public boolean mayRead(String key) {
    return kvRead.stream().anyMatch(g -> KvPaths.covers(g, key));
  }

  public boolean mayWrite(String key) {
    return kvWrite.stream().anyMatch(g -> KvPaths.covers(g, key));
  }

  public boolean mayList(String prefix) {
    return kvRead.stream().anyMatch(g -> KvPaths.coversListing(g, prefix));
  }

  /** The paths the read grants name, without the trailing '/' a grant may be written with. */
  List<String> readPaths() {
    return kvRead.stream().map(g -> g.endsWith("/") ? g.substring(0, g.length() - 1) : g).toList();
  }

  /** Exact topic names only. */
  public boolean mayPublish(String topic) {
    return publishTopics.contains(topic);
  }

  public List<String> httpHosts() {
    return httpHosts;
  }
}
