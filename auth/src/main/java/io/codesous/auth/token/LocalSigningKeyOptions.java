package io.codesous.auth.token;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * Settings of the embedded mode's {@link LocalSigningKey}: where it lives, which kind of key a first
 * start creates, and the issuer and audience its tokens carry (which its verifier then requires).
 */
public class LocalSigningKeyOptions {

  public static final String DEFAULT_DATA_DIR = "data";
  public static final SigningAlgorithm DEFAULT_ALGORITHM = SigningAlgorithm.ES256;
  public static final String DEFAULT_ISSUER = TokenVerifierOptions.DEFAULT_ISSUER;
  public static final String DEFAULT_AUDIENCE = TokenVerifierOptions.DEFAULT_AUDIENCE;
  /**
   * The admin token file is rewritten at every start that asks for it, so a week covers a
   * long-running embedded process while an old copy of the file stops working on its own.
   */
  public static final long DEFAULT_ADMIN_TOKEN_TTL_SECONDS = 7L * 24 * 3600;

  private String dataDir = DEFAULT_DATA_DIR;
  private SigningAlgorithm algorithm = DEFAULT_ALGORITHM;
  private String issuer = DEFAULT_ISSUER;
  private String audience = DEFAULT_AUDIENCE;
  private long adminTokenTtlSeconds = DEFAULT_ADMIN_TOKEN_TTL_SECONDS;

  public LocalSigningKeyOptions() {
  }

  public LocalSigningKeyOptions(LocalSigningKeyOptions other) {
    this(other.toJson());
  }

  public LocalSigningKeyOptions(JsonObject json) {
    setDataDir(json.getString("dataDir", DEFAULT_DATA_DIR));
    setAlgorithm(SigningAlgorithm.valueOf(json.getString("algorithm", DEFAULT_ALGORITHM.name())));
    setIssuer(json.getString("issuer", DEFAULT_ISSUER));
    setAudience(json.getString("audience", DEFAULT_AUDIENCE));
    setAdminTokenTtlSeconds(json.getLong("adminTokenTtlSeconds", DEFAULT_ADMIN_TOKEN_TTL_SECONDS));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("dataDir", dataDir)
        .put("algorithm", algorithm.name())
        .put("issuer", issuer)
        .put("audience", audience)
        .put("adminTokenTtlSeconds", adminTokenTtlSeconds);
  }

  /** The directory holding {@code signing-key.jwk} and {@code admin.token}; created if missing. */
  public String getDataDir() {
    return dataDir;
  }

  public LocalSigningKeyOptions setDataDir(String dataDir) {
    this.dataDir = requireText(dataDir, "dataDir");
    return this;
  }

  /** The key type created on first start; an existing key file keeps its own type. */
  public SigningAlgorithm getAlgorithm() {
    return algorithm;
  }

  public LocalSigningKeyOptions setAlgorithm(SigningAlgorithm algorithm) {
    this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    return this;
  }

  public String getIssuer() {
    return issuer;
  }

  public LocalSigningKeyOptions setIssuer(String issuer) {
    this.issuer = requireText(issuer, "issuer");
    return this;
  }

  public String getAudience() {
    return audience;
  }

  public LocalSigningKeyOptions setAudience(String audience) {
    this.audience = requireText(audience, "audience");
    return this;
  }

  public long getAdminTokenTtlSeconds() {
    return adminTokenTtlSeconds;
  }

  public LocalSigningKeyOptions setAdminTokenTtlSeconds(long adminTokenTtlSeconds) {
    if (adminTokenTtlSeconds < 1) {
      throw new IllegalArgumentException("adminTokenTtlSeconds must be at least 1");
    }
    this.adminTokenTtlSeconds = adminTokenTtlSeconds;
    return this;
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }
}
