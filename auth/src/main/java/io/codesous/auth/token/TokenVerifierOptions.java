package io.codesous.auth.token;

import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of a {@link TokenVerifier}: which issuer and audience to accept, where the public keys
 * come from (a static JWK set, PEM public keys, a JWKS URL, or any mix), how the JWKS is cached and
 * how often it may be fetched, and which claims carry the tenant, the roles and the principal kind.
 */
public class TokenVerifierOptions {

  /** The issuer {@link LocalSigningKey} writes into the tokens of the embedded mode. */
  public static final String DEFAULT_ISSUER = "code-sous-local";
  public static final String DEFAULT_AUDIENCE = "code-sous";
  /** Tolerates clocks of issuer and platform that disagree by up to this much. */
  public static final int DEFAULT_CLOCK_SKEW_SECONDS = 30;
  /** A key set changes rarely; refetching every few minutes picks up removals (revocations) in time. */
  public static final int DEFAULT_JWKS_CACHE_TTL_SECONDS = 300;
  /**
   * At most one fetch per this interval, whatever arrives: tokens with made-up key ids must not turn
   * into a flood of requests to the key server.
   */
  public static final int DEFAULT_JWKS_MIN_REFRESH_INTERVAL_SECONDS = 30;
  public static final int DEFAULT_JWKS_FETCH_TIMEOUT_MS = 5_000;
  /** A key set of a few dozen keys is well under this; anything bigger is refused. */
  public static final int DEFAULT_JWKS_MAX_BYTES = 256 * 1024;
  public static final String DEFAULT_TENANT_CLAIM = "tenant";
  public static final String DEFAULT_ROLES_CLAIM = "roles";
  public static final String DEFAULT_KIND_CLAIM = "kind";
  /** Real tokens are well under 2 KiB; longer input is refused before any parsing. */
  public static final int DEFAULT_MAX_TOKEN_LENGTH = 8 * 1024;
  /**
   * Tokens remembered as accepted, so a client that sends the same token with every request pays
   * for one signature check (an ES256 verification costs about a millisecond of CPU on JDK 17)
   * rather than one per request; 0 checks every request.
   */
  public static final int DEFAULT_ACCEPTED_TOKEN_CACHE_SIZE = 10_000;
  /**
   * How long a token stays accepted without being checked again (never past its {@code exp}): also
   * how long a key dropped from the configured or fetched key set keeps its tokens working.
   */
  public static final int DEFAULT_ACCEPTED_TOKEN_CACHE_TTL_SECONDS = 60;

  private String issuer = DEFAULT_ISSUER;
  private String audience = DEFAULT_AUDIENCE;
  private int clockSkewSeconds = DEFAULT_CLOCK_SKEW_SECONDS;
  private JsonObject jwks;
  private List<String> publicKeysPem = new ArrayList<>();
  private String jwksUrl;
  private int jwksCacheTtlSeconds = DEFAULT_JWKS_CACHE_TTL_SECONDS;
  private int jwksMinRefreshIntervalSeconds = DEFAULT_JWKS_MIN_REFRESH_INTERVAL_SECONDS;
  private int jwksFetchTimeoutMs = DEFAULT_JWKS_FETCH_TIMEOUT_MS;
  private int jwksMaxBytes = DEFAULT_JWKS_MAX_BYTES;
  private String tenantClaim = DEFAULT_TENANT_CLAIM;
  private String rolesClaim = DEFAULT_ROLES_CLAIM;
  private String kindClaim = DEFAULT_KIND_CLAIM;
  private int maxTokenLength = DEFAULT_MAX_TOKEN_LENGTH;
  private int acceptedTokenCacheSize = DEFAULT_ACCEPTED_TOKEN_CACHE_SIZE;
  private int acceptedTokenCacheTtlSeconds = DEFAULT_ACCEPTED_TOKEN_CACHE_TTL_SECONDS;

  public TokenVerifierOptions() {
  }

  public TokenVerifierOptions(TokenVerifierOptions other) {
    this(other.toJson());
  }

  public TokenVerifierOptions(JsonObject json) {
    TokenVerifierOptionsConverter.fromJson(json, this);
  }

  public JsonObject toJson() {
    return TokenVerifierOptionsConverter.toJson(this);
  }

  /** Whether any key source is configured; a verifier without one would refuse every token. */
  public boolean hasKeySource() {
    return jwks != null || !publicKeysPem.isEmpty() || jwksUrl != null;
  }

  /** The exact {@code iss} a token must carry. */
  public String getIssuer() {
    return issuer;
  }

  public TokenVerifierOptions setIssuer(String issuer) {
    this.issuer = requireText(issuer, "issuer");
    return this;
  }

  /** The value the token's {@code aud} (a string or an array) must contain. */
  public String getAudience() {
    return audience;
  }

  public TokenVerifierOptions setAudience(String audience) {
    this.audience = requireText(audience, "audience");
    return this;
  }

  /** How far {@code exp} and {@code nbf} may be off before a token counts as expired or not yet valid. */
  public int getClockSkewSeconds() {
    return clockSkewSeconds;
  }

  public TokenVerifierOptions setClockSkewSeconds(int clockSkewSeconds) {
    this.clockSkewSeconds = requireAtLeast(clockSkewSeconds, 0, "clockSkewSeconds");
    return this;
  }

  /** A static JWK set ({@code {"keys":[…]}}) of public keys; private members are ignored. */
  public JsonObject getJwks() {
    return jwks;
  }

  public TokenVerifierOptions setJwks(JsonObject jwks) {
    this.jwks = jwks;
    return this;
  }

  /**
   * Static public keys as PEM {@code PUBLIC KEY} blocks (RSA, EC P-256 or Ed25519). Their key id is
   * their RFC 7638 thumbprint; tokens without {@code kid} are tried against every key of the right type.
   */
  public List<String> getPublicKeysPem() {
    return publicKeysPem;
  }

  public TokenVerifierOptions setPublicKeysPem(List<String> publicKeysPem) {
    this.publicKeysPem = new ArrayList<>(Objects.requireNonNull(publicKeysPem, "publicKeysPem"));
    return this;
  }

  public TokenVerifierOptions addPublicKeyPem(String pem) {
    this.publicKeysPem.add(Objects.requireNonNull(pem, "pem"));
    return this;
  }

  /** Where to fetch the issuer's JWK set ({@code http} or {@code https}); {@code null} for none. */
  public String getJwksUrl() {
    return jwksUrl;
  }

  public TokenVerifierOptions setJwksUrl(String jwksUrl) {
    if (jwksUrl != null && !jwksUrl.startsWith("https://") && !jwksUrl.startsWith("http://")) {
      throw new IllegalArgumentException("jwksUrl must be an http or https URL");
    }
    this.jwksUrl = jwksUrl;
    return this;
  }

  /** How long a fetched JWK set is used before the next token causes a refetch. */
  public int getJwksCacheTtlSeconds() {
    return jwksCacheTtlSeconds;
  }

  public TokenVerifierOptions setJwksCacheTtlSeconds(int jwksCacheTtlSeconds) {
    this.jwksCacheTtlSeconds = requireAtLeast(jwksCacheTtlSeconds, 1, "jwksCacheTtlSeconds");
    return this;
  }

  /** The least time between two fetches, also when a token names a key id the cache does not know. */
  public int getJwksMinRefreshIntervalSeconds() {
    return jwksMinRefreshIntervalSeconds;
  }

  public TokenVerifierOptions setJwksMinRefreshIntervalSeconds(int jwksMinRefreshIntervalSeconds) {
    this.jwksMinRefreshIntervalSeconds =
        requireAtLeast(jwksMinRefreshIntervalSeconds, 0, "jwksMinRefreshIntervalSeconds");
    return this;
  }

  public int getJwksFetchTimeoutMs() {
    return jwksFetchTimeoutMs;
  }

  public TokenVerifierOptions setJwksFetchTimeoutMs(int jwksFetchTimeoutMs) {
    this.jwksFetchTimeoutMs = requireAtLeast(jwksFetchTimeoutMs, 1, "jwksFetchTimeoutMs");
    return this;
  }

  public int getJwksMaxBytes() {
    return jwksMaxBytes;
  }

  public TokenVerifierOptions setJwksMaxBytes(int jwksMaxBytes) {
    this.jwksMaxBytes = requireAtLeast(jwksMaxBytes, 1, "jwksMaxBytes");
    return this;
  }

  /** The claim holding the tenant name (or {@code *}); a token without it is refused. */
  public String getTenantClaim() {
    return tenantClaim;
  }

  public TokenVerifierOptions setTenantClaim(String tenantClaim) {
    this.tenantClaim = requireText(tenantClaim, "tenantClaim");
    return this;
  }

  /** The claim holding the roles: an array of strings or one space-separated string; absent means none. */
  public String getRolesClaim() {
    return rolesClaim;
  }

  public TokenVerifierOptions setRolesClaim(String rolesClaim) {
    this.rolesClaim = requireText(rolesClaim, "rolesClaim");
    return this;
  }

  /** The claim holding {@code user} or {@code service}; absent means {@code user}. */
  public String getKindClaim() {
    return kindClaim;
  }

  public TokenVerifierOptions setKindClaim(String kindClaim) {
    this.kindClaim = requireText(kindClaim, "kindClaim");
    return this;
  }

  /** Longer input is refused without being parsed. */
  public int getMaxTokenLength() {
    return maxTokenLength;
  }

  public TokenVerifierOptions setMaxTokenLength(int maxTokenLength) {
    this.maxTokenLength = requireAtLeast(maxTokenLength, 64, "maxTokenLength");
    return this;
  }

  public int getAcceptedTokenCacheSize() {
    return acceptedTokenCacheSize;
  }

  /** See {@link #DEFAULT_ACCEPTED_TOKEN_CACHE_SIZE}. */
  public TokenVerifierOptions setAcceptedTokenCacheSize(int acceptedTokenCacheSize) {
    this.acceptedTokenCacheSize = requireAtLeast(acceptedTokenCacheSize, 0, "acceptedTokenCacheSize");
    return this;
  }

  public int getAcceptedTokenCacheTtlSeconds() {
    return acceptedTokenCacheTtlSeconds;
  }

  /** See {@link #DEFAULT_ACCEPTED_TOKEN_CACHE_TTL_SECONDS}. */
  public TokenVerifierOptions setAcceptedTokenCacheTtlSeconds(int acceptedTokenCacheTtlSeconds) {
    this.acceptedTokenCacheTtlSeconds = requireAtLeast(acceptedTokenCacheTtlSeconds, 1,
        "acceptedTokenCacheTtlSeconds");
    return this;
  }

  private static String requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
    return value;
  }

  private static int requireAtLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be at least " + min);
    }
    return value;
  }
}
