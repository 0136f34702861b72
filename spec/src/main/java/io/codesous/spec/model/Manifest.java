package io.codesous.spec.model;

import io.codesous.spec.error.CsException;

import io.codesous.spec.validation.JsonSchemas;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A version's manifest: its entry module, limits, and (kept verbatim for the sandbox and the
 * authorizer) capabilities, role allow-lists and environment.
 *
 * @param document the manifest as stored, normalized: defaults filled into {@code entry} and {@code limits}
 */
public record Manifest(String entry, Limits limits, JsonObject document) {

  /** The {@code limits.timeoutMs} cap unless the operator sets {@code limits.maxTimeoutMs}: 5 minutes. */
  public static final long DEFAULT_MAX_TIMEOUT_MS = 300_000;
  /** The highest {@code limits.maxTimeoutMs} an operator can set, and the schema's maximum: 24 hours. */
  public static final long CEILING_TIMEOUT_MS = 86_400_000;

  public static final String DEFAULT_ENTRY = "index.mjs";

  /** The manifest member that lists, per trigger type, the roles that may invoke the version that way. */
  private static final Map<String, String> INVOKE_ROLES_MEMBERS = Map.of(
      "http", "invoke_http_roles",
      "cadence", "invoke_cadence_roles",
      "schedule", "invoke_schedule_roles");

  public Manifest {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(document, "document");
  }

  /**
   * Validates a manifest as uploaded against {@code manifest.schema.json} and fills defaults.
   *
   * @param json {@code null} means an empty manifest (all defaults)
   * @throws io.codesous.spec.error.CsException {@code CS_VALIDATION_FAILED} naming the path, e.g.
   *         {@code manifest.limits.timeoutMs}
   */
  public static Manifest parse(JsonObject json) {
    return parse(json, DEFAULT_MAX_TIMEOUT_MS);
  }

  /**
   * Like {@link #parse(JsonObject)}, with {@code limits.timeoutMs} capped at the operator's {@code maxTimeoutMs}
   * rather than the default 5 minutes (the schema's own ceiling, {@value #CEILING_TIMEOUT_MS} ms, stays).
   */
  public static Manifest parse(JsonObject json, long maxTimeoutMs) {
    JsonObject doc = json == null ? new JsonObject() : json.copy();
    JsonSchemas.MANIFEST.validate("manifest", doc);
    requireValidGrants(doc);
    String entry = doc.getString("entry", DEFAULT_ENTRY);
    Limits limits = Limits.fromJson(doc.getJsonObject("limits"));
    if (limits.timeoutMs() > maxTimeoutMs) {
      throw CsException.validation("manifest.limits.timeoutMs", limits.timeoutMs() + " is greater than "
          + maxTimeoutMs + " (the operator's limits.maxTimeoutMs)");
    }
    doc.put("entry", entry).put("limits", limits.toJson());
    return new Manifest(entry, limits, doc);
  }

  /** Key prefixes must be paths the data API can address; the schema cannot say that alone. */
  private static void requireValidGrants(JsonObject doc) {
    JsonObject kv = doc.getJsonObject("capabilities", new JsonObject()).getJsonObject("kv");
    if (kv == null) {
      return;
    }
    for (String mode : new String[] {"read", "write"}) {
      var grants = kv.getJsonArray(mode);
      for (int i = 0; grants != null && i < grants.size(); i++) {
        io.codesous.spec.validation.KvPaths.requireGrant(
            "manifest.capabilities.kv." + mode + "[" + i + "]", grants.getString(i));
      }
    }
  }

  /** Reads a manifest that was stored by {@link #toJson()} (already validated). */
  public static Manifest fromStored(JsonObject stored) {
    return new Manifest(stored.getString("entry", DEFAULT_ENTRY), Limits.fromJson(stored.getJsonObject("limits")),
        stored.copy());
  }

  /**
   * The names of the namespace's secrets this version reads as {@code ctx.secrets}, in manifest order; empty when
   * the manifest lists none. Only the secrets named here reach an activation, so a version cannot read a secret of
   * its namespace that its (reviewed, immutable) manifest does not declare.
   */
  public List<String> secretNames() {
    return strings("secrets");
  }

  /**
   * The manifest's {@code env} values by name, in manifest order; empty when it has none. They reach the function
   * as {@code ctx.env} and, with its secrets, as the {@code env} of a Workers-style {@code fetch(request, env, ctx)}.
   */
  public Map<String, String> env() {
    JsonObject env = document.getJsonObject("env");
    if (env == null) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    env.forEach(entry -> out.put(entry.getKey(), String.valueOf(entry.getValue())));
    return Collections.unmodifiableMap(out);
  }

  /**
   * The roles a principal needs one of to invoke this version through {@code triggerType} ({@code http},
   * {@code cadence} or {@code schedule}), on top of {@code function:invoke}. Empty when the list is absent, and for
   * any other trigger type, which no manifest list narrows: empty adds no condition.
   */
  public List<String> invokeRoles(String triggerType) {
    String member = triggerType == null ? null : INVOKE_ROLES_MEMBERS.get(triggerType);
    return member == null ? List.of() : strings(member);
  }

  /**
   * Whether the web route serves this version without a token: {@code "public": true}, or {@code "*"} among
   * {@code invoke_http_roles}. Every other trigger, and every other version, stays authenticated.
   */
  public boolean publicOnWeb() {
    return Boolean.TRUE.equals(document.getBoolean("public")) || strings("invoke_http_roles").contains("*");
  }

  private List<String> strings(String member) {
    JsonArray array = document.getJsonArray(member);
    if (array == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      out.add(array.getString(i));
    }
    return List.copyOf(out);
  }

  /** The stored document (a copy: the record stays immutable). */
  @Override
  public JsonObject document() {
    return document.copy();
  }

  public JsonObject toJson() {
    return document.copy();
  }
}
