package io.codesous.auth.authz;

import io.codesous.auth.Principal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which actions each role grants, per tenant.
 *
 * <p>Built-in roles (see AUTHZ.md for the reasoning):
 *
 * <ul>
 *   <li>{@code admin}: every action.
 *   <li>{@code developer}: every action except writing secrets ({@code secret:create},
 *       {@code secret:rotate}, {@code secret:delete}); may list secret names.
 *   <li>{@code invoker}: {@code function:invoke}.
 *   <li>{@code reader}: every {@code :read} and {@code :list} action.
 *   <li>{@code service:scheduler}: {@code schedule:read}, {@code schedule:list}, {@code function:invoke}.
 *   <li>{@code service:cadence-poller}: {@code binding:read}, {@code binding:list}, {@code function:invoke}.
 * </ul>
 *
 * <p>Configuration ({@link #fromJson}) may define further roles or redefine built-in ones, for all
 * tenants ({@code roles}) or for one tenant ({@code tenants.<tenant>.roles}); a tenant's definition
 * wins over the global one, which wins over the built-in one. A definition replaces the role's
 * action set (an empty list disables the role). {@code admin} cannot be redefined: every tenant
 * always has a role that can do everything, and the platform admin's meaning cannot drift.
 *
 * <pre>{@code
 * {
 *   "roles":   { "release-bot": ["draft:create", "function:publish", "alias:update", "function:read"] },
 *   "tenants": { "acme": { "roles": { "developer": ["function:*", "draft:create", "alias:*"] } } }
 * }
 * }</pre>
 *
 * <p>Action lists take exact ids, {@code <prefix>:*}, or {@code *}. Unknown actions, malformed role
 * or tenant names fail at load. Immutable and thread-safe.
 */
public final class RolePolicy {

  public static final String ADMIN = Principal.ADMIN_ROLE;
  public static final String DEVELOPER = "developer";
  public static final String INVOKER = "invoker";
  public static final String READER = "reader";
  public static final String SERVICE_SCHEDULER = "service:scheduler";
  public static final String SERVICE_CADENCE_POLLER = "service:cadence-poller";

  private static final Pattern ROLE_NAME = Pattern.compile("^[a-z][a-z0-9:_-]{0,63}$");
  private static final Pattern TENANT_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");

  private static final Map<String, Set<Action>> BUILT_IN = builtInRoles();

  private final Map<String, Set<Action>> globalOverrides;
  private final Map<String, Map<String, Set<Action>>> tenantOverrides;

  private RolePolicy(Map<String, Set<Action>> globalOverrides, Map<String, Map<String, Set<Action>>> tenantOverrides) {
    this.globalOverrides = globalOverrides;
    this.tenantOverrides = tenantOverrides;
  }

  /** The built-in roles only. */
  public static RolePolicy builtIn() {
    return new RolePolicy(Map.of(), Map.of());
  }

  /**
   * The built-in roles with configured roles laid over them.
   *
   * @throws IllegalArgumentException on an unknown action, a malformed name, or a redefinition of {@code admin}
   */
  public static RolePolicy fromJson(JsonObject config) {
    Objects.requireNonNull(config, "config");
    try {
      return parse(config);
    } catch (ClassCastException e) {
      throw new IllegalArgumentException("malformed role configuration: " + e.getMessage(), e);
    }
  }

  private static RolePolicy parse(JsonObject config) {
    Map<String, Set<Action>> global = parseRoles(config.getJsonObject("roles", new JsonObject()), "roles");
    Map<String, Map<String, Set<Action>>> tenants = new TreeMap<>();
    JsonObject tenantsJson = config.getJsonObject("tenants", new JsonObject());
    for (String tenant : tenantsJson.fieldNames()) {
      if (!TENANT_NAME.matcher(tenant).matches()) {
        throw new IllegalArgumentException("tenants." + tenant + ": not a tenant name");
      }
      JsonObject tenantJson = tenantsJson.getJsonObject(tenant);
      tenants.put(tenant, parseRoles(tenantJson.getJsonObject("roles", new JsonObject()), "tenants." + tenant + ".roles"));
    }
    return new RolePolicy(Collections.unmodifiableMap(global), Collections.unmodifiableMap(tenants));
  }

  /** The configuration form: {@link #fromJson} of it gives an equal policy. */
  public JsonObject toJson() {
    JsonObject tenants = new JsonObject();
    tenantOverrides.forEach((tenant, roles) -> tenants.put(tenant, new JsonObject().put("roles", rolesToJson(roles))));
    return new JsonObject().put("roles", rolesToJson(globalOverrides)).put("tenants", tenants);
  }

  /** The actions a role grants in a tenant; empty for an unknown role. */
  public Set<Action> actionsOf(String tenant, String role) {
    if (ADMIN.equals(role)) {
      return BUILT_IN.get(ADMIN);
    }
    Map<String, Set<Action>> tenantRoles = tenant == null ? null : tenantOverrides.get(tenant);
    if (tenantRoles != null && tenantRoles.containsKey(role)) {
      return tenantRoles.get(role);
    }
    if (globalOverrides.containsKey(role)) {
      return globalOverrides.get(role);
    }
    return BUILT_IN.getOrDefault(role, Set.of());
  }

  /**
   * Whether {@code role} means something in {@code tenant}: a built-in role, one configured for every tenant, or one
   * configured for this tenant ({@code null}: only the first two). A token carrying another role grants nothing by it.
   */
  public boolean knows(String tenant, String role) {
    Map<String, Set<Action>> tenantRoles = tenant == null ? null : tenantOverrides.get(tenant);
    return BUILT_IN.containsKey(role) || globalOverrides.containsKey(role)
        || (tenantRoles != null && tenantRoles.containsKey(role));
  }

  /** Whether any of the roles grants the action in the tenant. */
  public boolean grants(String tenant, Set<String> roles, Action action) {
    for (String role : roles) {
      if (actionsOf(tenant, role).contains(action)) {
        return true;
      }
    }
    return false;
  }

  /** The built-in role table. */
  public static Map<String, Set<Action>> builtInRoles() {
    Map<String, Set<Action>> roles = new LinkedHashMap<>();
    roles.put(ADMIN, Collections.unmodifiableSet(EnumSet.allOf(Action.class)));
    roles.put(DEVELOPER, Collections.unmodifiableSet(EnumSet.complementOf(
        EnumSet.of(Action.SECRET_CREATE, Action.SECRET_ROTATE, Action.SECRET_DELETE))));
    roles.put(INVOKER, Collections.unmodifiableSet(EnumSet.of(Action.FUNCTION_INVOKE)));
    EnumSet<Action> readOnly = EnumSet.noneOf(Action.class);
    for (Action action : Action.values()) {
      if (action.isReadOnly()) {
        readOnly.add(action);
      }
    }
    roles.put(READER, Collections.unmodifiableSet(readOnly));
    roles.put(SERVICE_SCHEDULER, Collections.unmodifiableSet(
        EnumSet.of(Action.SCHEDULE_READ, Action.SCHEDULE_LIST, Action.FUNCTION_INVOKE)));
    roles.put(SERVICE_CADENCE_POLLER, Collections.unmodifiableSet(
        EnumSet.of(Action.BINDING_READ, Action.BINDING_LIST, Action.FUNCTION_INVOKE)));
    return Collections.unmodifiableMap(roles);
  }

  private static Map<String, Set<Action>> parseRoles(JsonObject json, String path) {
    Map<String, Set<Action>> roles = new TreeMap<>();
    for (String role : json.fieldNames()) {
      if (!ROLE_NAME.matcher(role).matches()) {
        throw new IllegalArgumentException(path + "." + role + ": not a role name");
      }
      if (ADMIN.equals(role)) {
        throw new IllegalArgumentException(path + ".admin: the admin role cannot be redefined");
      }
      if (!(json.getValue(role) instanceof JsonArray patterns)) {
        throw new IllegalArgumentException(path + "." + role + ": must be an array of actions");
      }
      EnumSet<Action> actions = EnumSet.noneOf(Action.class);
      for (Object pattern : patterns) {
        try {
          actions.addAll(Action.matching((String) pattern));
        } catch (ClassCastException | IllegalArgumentException e) {
          throw new IllegalArgumentException(path + "." + role + ": " + e.getMessage(), e);
        }
      }
      roles.put(role, Collections.unmodifiableSet(actions));
    }
    return roles;
  }

  private static JsonObject rolesToJson(Map<String, Set<Action>> roles) {
    JsonObject json = new JsonObject();
    roles.forEach((role, actions) -> json.put(role, new JsonArray(actions.stream().map(Action::id).toList())));
    return json;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RolePolicy other
        && globalOverrides.equals(other.globalOverrides)
        && tenantOverrides.equals(other.tenantOverrides);
  }

  @Override
  public int hashCode() {
    return Objects.hash(globalOverrides, tenantOverrides);
  }
}
