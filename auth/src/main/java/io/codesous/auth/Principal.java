package io.codesous.auth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who is calling: the verified content of a token.
 *
 * <p>{@code tenant} is the one tenant the principal belongs to, or {@link #ALL_TENANTS} ({@code *})
 * for a platform-wide principal (an operator or a platform service) whose roles apply in every
 * tenant. {@code *} can never be a tenant name (tenant names match {@code ^[a-z][a-z0-9-]{0,62}$}),
 * so it cannot collide with a real tenant. A platform-wide principal holding the {@code admin} role
 * is the platform admin ({@link #isPlatformAdmin()}).
 *
 * <p>The JSON form ({@link #toJson()}) travels inside queue messages, e.g. as the {@code principal}
 * of an invocation request.
 *
 * @param subject the token's {@code sub}
 * @param tenant the tenant claim, or {@code *}
 * @param roles role names; never {@code null}, possibly empty
 * @param kind user or service
 * @param tokenId the token's {@code jti}, or {@code null} when it has none
 */
public record Principal(String subject, String tenant, Set<String> roles, PrincipalKind kind, String tokenId) {

  /** The tenant claim value of a platform-wide principal. */
  public static final String ALL_TENANTS = "*";

  /** The role that grants every action; held platform-wide it makes the platform admin. */
  public static final String ADMIN_ROLE = "admin";

  public Principal {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(tenant, "tenant");
    Objects.requireNonNull(kind, "kind");
    // sorted and immutable so equal principals have equal JSON and nobody can widen a verified set
    roles = roles == null ? Set.of() : Collections.unmodifiableSet(new TreeSet<>(roles));
  }

  /** Whether the tenant claim is {@code *}: the roles apply in every tenant. */
  public boolean isPlatformWide() {
    return ALL_TENANTS.equals(tenant);
  }

  /** Whether this is the operator: platform-wide and holding {@code admin}. */
  public boolean isPlatformAdmin() {
    return isPlatformWide() && roles.contains(ADMIN_ROLE);
  }

  public boolean hasRole(String role) {
    return roles.contains(role);
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("subject", subject)
        .put("tenant", tenant)
        .put("roles", new JsonArray(roles.stream().toList()))
        .put("kind", kind.id())
        .put("token_id", tokenId);
  }

  /** Reads {@link #toJson()}'s form; a missing or mistyped member is an {@link IllegalArgumentException}. */
  public static Principal fromJson(JsonObject json) {
    Objects.requireNonNull(json, "json");
    try {
      JsonArray roleArray = json.getJsonArray("roles", new JsonArray());
      Set<String> roles = new LinkedHashSet<>();
      for (int i = 0; i < roleArray.size(); i++) {
        roles.add(Objects.requireNonNull(roleArray.getString(i), "role"));
      }
      return new Principal(
          Objects.requireNonNull(json.getString("subject"), "subject"),
          Objects.requireNonNull(json.getString("tenant"), "tenant"),
          roles,
          PrincipalKind.fromId(json.getString("kind", PrincipalKind.USER.id())),
          json.getString("token_id"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not a principal: " + e.getMessage(), e);
    }
  }
}
