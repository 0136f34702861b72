package io.codesous.auth.token;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;

import java.util.List;

import org.junit.jupiter.api.Test;

class TokenVerifierOptionsTest {

  @Test
  void defaults() {
    TokenVerifierOptions options = new TokenVerifierOptions(new JsonObject());
    assertEquals(TokenVerifierOptions.DEFAULT_ISSUER, options.getIssuer());
    assertEquals(TokenVerifierOptions.DEFAULT_AUDIENCE, options.getAudience());
    assertEquals(30, options.getClockSkewSeconds());
    assertEquals("tenant", options.getTenantClaim());
    assertEquals("roles", options.getRolesClaim());
    assertEquals("kind", options.getKindClaim());
    assertEquals(30, options.getJwksMinRefreshIntervalSeconds());
    assertNull(options.getJwksUrl());
    assertFalse(options.hasKeySource());
  }

  @Test
  void everySettingSurvivesJson() {
    TokenVerifierOptions options = new TokenVerifierOptions()
        .setIssuer("https://tikti.example")
        .setAudience("cs-prod")
        .setClockSkewSeconds(5)
        .setJwks(TestKeys.publicJwks(TestKeys.EC))
        .setPublicKeysPem(List.of("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
        .setJwksUrl("https://tikti.example/jwks")
        .setJwksCacheTtlSeconds(60)
        .setJwksMinRefreshIntervalSeconds(10)
        .setJwksFetchTimeoutMs(1500)
        .setJwksMaxBytes(4096)
        .setTenantClaim("tid")
        .setRolesClaim("scope")
        .setKindClaim("typ")
        .setMaxTokenLength(4096);
    JsonObject json = new JsonObject(options.toJson().encode());
    assertEquals(options.toJson(), new TokenVerifierOptions(json).toJson());
    assertEquals(options.toJson(), new TokenVerifierOptions(options).toJson());
    assertEquals("scope", new TokenVerifierOptions(json).getRolesClaim());
    assertTrue(new TokenVerifierOptions(json).hasKeySource());
  }

  @Test
  void refusesNonsense() {
    TokenVerifierOptions options = new TokenVerifierOptions();
    assertThrows(IllegalArgumentException.class, () -> options.setIssuer(" "));
    assertThrows(IllegalArgumentException.class, () -> options.setClockSkewSeconds(-1));
    assertThrows(IllegalArgumentException.class, () -> options.setJwksUrl("file:///etc/keys"));
    assertThrows(IllegalArgumentException.class, () -> options.setJwksCacheTtlSeconds(0));
    assertThrows(IllegalArgumentException.class, () -> options.setTenantClaim(null));
  }
}
