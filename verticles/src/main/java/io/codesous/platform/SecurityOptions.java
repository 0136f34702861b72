package io.codesous.platform;

import io.codesous.auth.token.TokenVerifierOptions;
import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Authentication, authorization, audit and secrets settings of a process ({@code auth}, {@code audit} and
 * {@code secrets} in the configuration file).
 *
 * <ul>
 *   <li>{@code auth.localKey} (default true): trust the signing key kept in the data directory, creating it on first
 *       start, and keep a ready operator token in {@code <dataDir>/admin.token}. Processes of one cluster share it by
 *       sharing the directory, or turn it off and configure keys.</li>
 *   <li>{@code auth.token}: the token verifier's settings (issuer, audience, clock skew, {@code jwks},
 *       {@code publicKeysPem}, {@code jwksUrl}, claim names); keys configured here are trusted in addition to the
 *       local key.</li>
 *   <li>{@code auth.roles}: role definitions laid over the built-in roles (see {@code auth/AUTHZ.md}).</li>
 *   <li>{@code audit.enabled} (default true), {@code audit.sink} {@code file} (default; JSON lines in
 *       {@code audit.file}, default {@code <dataDir>/audit.jsonl}) or {@code codeq} (the durable {@code cs.audit}
 *       topic).</li>
 *   <li>{@code secrets.key}: the base64 AES-256 key secrets are encrypted with; without it, one is created in
 *       {@code <dataDir>/secrets.key} on first start.</li>
 * </ul>
 */
public class SecurityOptions {

  public static final boolean DEFAULT_LOCAL_KEY = true;
  public static final boolean DEFAULT_AUDIT_ENABLED = true;
  public static final String AUDIT_FILE = "file";
  public static final String AUDIT_CODEQ = "codeq";
  public static final String DEFAULT_AUDIT_SINK = AUDIT_FILE;
  public static final String DEFAULT_AUDIT_FILE_NAME = "audit.jsonl";
  public static final String SECRETS_KEY_FILE = "secrets.key";

  private boolean localKey = DEFAULT_LOCAL_KEY;
  private TokenVerifierOptions token = new TokenVerifierOptions();
  private JsonObject roles = new JsonObject();
  private boolean auditEnabled = DEFAULT_AUDIT_ENABLED;
  private String auditSink = DEFAULT_AUDIT_SINK;
  private String auditFile;
  private String secretsKey;

  public SecurityOptions() {
  }

  /** Reads the three sections of a configuration document. */
  public SecurityOptions(JsonObject auth, JsonObject audit, JsonObject secrets) {
    this.localKey = auth.getBoolean("localKey", DEFAULT_LOCAL_KEY);
    this.token = new TokenVerifierOptions(auth.getJsonObject("token", new JsonObject()));
    this.roles = auth.getJsonObject("roles", new JsonObject()).copy();
    this.auditEnabled = audit.getBoolean("enabled", DEFAULT_AUDIT_ENABLED);
    setAuditSink(audit.getString("sink", DEFAULT_AUDIT_SINK));
    this.auditFile = audit.getString("file");
    this.secretsKey = secrets.getString("key");
  }

  public JsonObject authJson() {
    return new JsonObject().put("localKey", localKey).put("token", token.toJson()).put("roles", roles.copy());
  }

  public JsonObject auditJson() {
    return new JsonObject().put("enabled", auditEnabled).put("sink", auditSink).put("file", auditFile);
  }

  /** Never includes the key itself. */
  public JsonObject secretsJson() {
    return new JsonObject().put("keyConfigured", secretsKey != null);
  }

  public boolean isLocalKey() {
    return localKey;
  }

  public SecurityOptions setLocalKey(boolean localKey) {
    this.localKey = localKey;
    return this;
  }

  public TokenVerifierOptions getToken() {
    return token;
  }

  public SecurityOptions setToken(TokenVerifierOptions token) {
    this.token = Objects.requireNonNull(token, "token");
    return this;
  }

  public JsonObject getRoles() {
    return roles;
  }

  public SecurityOptions setRoles(JsonObject roles) {
    this.roles = Objects.requireNonNull(roles, "roles");
    return this;
  }

  public boolean isAuditEnabled() {
    return auditEnabled;
  }

  public SecurityOptions setAuditEnabled(boolean auditEnabled) {
    this.auditEnabled = auditEnabled;
    return this;
  }

  public String getAuditSink() {
    return auditSink;
  }

  public SecurityOptions setAuditSink(String auditSink) {
    if (!AUDIT_FILE.equals(auditSink) && !AUDIT_CODEQ.equals(auditSink)) {
      throw new IllegalArgumentException("audit.sink must be file or codeq, got " + auditSink);
    }
    this.auditSink = auditSink;
    return this;
  }

  /** {@code null}: {@code <dataDir>/audit.jsonl}. */
  public String getAuditFile() {
    return auditFile;
  }

  public SecurityOptions setAuditFile(String auditFile) {
    this.auditFile = auditFile;
    return this;
  }

  /** {@code null}: the key in {@code <dataDir>/secrets.key}. */
  public String getSecretsKey() {
    return secretsKey;
  }

  public SecurityOptions setSecretsKey(String secretsKey) {
    this.secretsKey = secretsKey;
    return this;
  }

  @Override
  public String toString() {
    // The secrets key stays out of logs.
    return new JsonObject().put("auth", authJson()).put("audit", auditJson()).put("secrets", secretsJson()).encode();
  }
}
