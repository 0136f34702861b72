package io.codesous.auth.token;

import static io.codesous.auth.token.TokenVerifierOptions.*;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link TokenVerifierOptions} to and from JSON, in the shape of a Vert.x data object converter:
 * the names are the options' property names, a missing value means the default, and each value
 * goes through its setter, so JSON is checked exactly like code is.
 */
final class TokenVerifierOptionsConverter {

  private TokenVerifierOptionsConverter() {
  }

  static void fromJson(JsonObject json, TokenVerifierOptions options) {
    options.setIssuer(json.getString("issuer", DEFAULT_ISSUER));
    options.setAudience(json.getString("audience", DEFAULT_AUDIENCE));
    options.setClockSkewSeconds(json.getInteger("clockSkewSeconds", DEFAULT_CLOCK_SKEW_SECONDS));
    JsonObject jwksJson = json.getJsonObject("jwks");
    options.setJwks(jwksJson == null ? null : jwksJson.copy());
    List<String> pems = new ArrayList<>();
    for (Object pem : json.getJsonArray("publicKeysPem", new JsonArray())) {
      pems.add((String) pem);
    }
    options.setPublicKeysPem(pems);
    options.setJwksUrl(json.getString("jwksUrl"));
    options.setJwksCacheTtlSeconds(
        json.getInteger("jwksCacheTtlSeconds", DEFAULT_JWKS_CACHE_TTL_SECONDS));
    options.setJwksMinRefreshIntervalSeconds(
        json.getInteger("jwksMinRefreshIntervalSeconds", DEFAULT_JWKS_MIN_REFRESH_INTERVAL_SECONDS));
    options.setJwksFetchTimeoutMs(
        json.getInteger("jwksFetchTimeoutMs", DEFAULT_JWKS_FETCH_TIMEOUT_MS));
    options.setJwksMaxBytes(json.getInteger("jwksMaxBytes", DEFAULT_JWKS_MAX_BYTES));
    options.setTenantClaim(json.getString("tenantClaim", DEFAULT_TENANT_CLAIM));
    options.setRolesClaim(json.getString("rolesClaim", DEFAULT_ROLES_CLAIM));
    options.setKindClaim(json.getString("kindClaim", DEFAULT_KIND_CLAIM));
    options.setMaxTokenLength(json.getInteger("maxTokenLength", DEFAULT_MAX_TOKEN_LENGTH));
    options.setAcceptedTokenCacheSize(
        json.getInteger("acceptedTokenCacheSize", DEFAULT_ACCEPTED_TOKEN_CACHE_SIZE));
    options.setAcceptedTokenCacheTtlSeconds(
        json.getInteger("acceptedTokenCacheTtlSeconds", DEFAULT_ACCEPTED_TOKEN_CACHE_TTL_SECONDS));
  }

  static JsonObject toJson(TokenVerifierOptions options) {
    return new JsonObject()
        .put("issuer", options.getIssuer())
        .put("audience", options.getAudience())
        .put("clockSkewSeconds", options.getClockSkewSeconds())
        .put("jwks", options.getJwks() == null ? null : options.getJwks().copy())
        .put("publicKeysPem", new JsonArray(new ArrayList<>(options.getPublicKeysPem())))
        .put("jwksUrl", options.getJwksUrl())
        .put("jwksCacheTtlSeconds", options.getJwksCacheTtlSeconds())
        .put("jwksMinRefreshIntervalSeconds", options.getJwksMinRefreshIntervalSeconds())
        .put("jwksFetchTimeoutMs", options.getJwksFetchTimeoutMs())
        .put("jwksMaxBytes", options.getJwksMaxBytes())
        .put("tenantClaim", options.getTenantClaim())
        .put("rolesClaim", options.getRolesClaim())
        .put("kindClaim", options.getKindClaim())
        .put("maxTokenLength", options.getMaxTokenLength())
        .put("acceptedTokenCacheSize", options.getAcceptedTokenCacheSize())
        .put("acceptedTokenCacheTtlSeconds", options.getAcceptedTokenCacheTtlSeconds());
  }
}
