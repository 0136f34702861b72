package io.codesous.auth.authz;

import io.codesous.auth.Principal;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether a principal may perform an action on a resource of a tenant.
 *
 * <p>The rules, in order:
 *
 * <ol>
 *   <li>The tenant the request is about must be a valid tenant name ({@code *} never is): otherwise
 *       {@link Decision.Reason#NOT_FOUND_OR_FORBIDDEN}.
 *   <li>The principal must belong to that tenant, or be platform-wide (tenant claim {@code *}):
 *       otherwise {@link Decision.Reason#NOT_FOUND_OR_FORBIDDEN}.
 *   <li>One of the principal's roles must grant the action in that tenant ({@link RolePolicy}):
 *       otherwise {@link Decision.Reason#FORBIDDEN}.
 * </ol>
 *
 * <p>The platform admin (tenant {@code *}, role {@code admin}) therefore may do everything in every
 * tenant, since {@code admin} grants every action and cannot be redefined; a platform-wide service
 * principal (e.g. {@code service:scheduler}) may do what its role grants in every tenant.
 *
 * <p>Call it before looking the resource up, so that a denial never depends on whether the resource
 * exists. Pure computation; thread-safe.
 */
public final class Authorizer {

  private static final Pattern TENANT_NAME = Pattern.compile("^[a-z][a-z0-9-]{0,62}$");

  private final RolePolicy policy;

  public Authorizer(RolePolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /** An authorizer with the built-in roles only. */
  public static Authorizer withBuiltInRoles() {
    return new Authorizer(RolePolicy.builtIn());
  }

  public RolePolicy policy() {
    return policy;
  }

  public Decision check(Principal principal, String tenant, Resource resource, Action action) {
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(action, "action");
    if (tenant == null || !TENANT_NAME.matcher(tenant).matches()) {
      return new Decision(Decision.Reason.NOT_FOUND_OR_FORBIDDEN, "request names no valid tenant");
    }
    boolean platformWide = principal.isPlatformWide();
    if (!platformWide && !principal.tenant().equals(tenant)) {
      return new Decision(Decision.Reason.NOT_FOUND_OR_FORBIDDEN,
          principal.subject() + " of tenant " + principal.tenant() + " asked for " + action + " on "
              + resource + " in tenant " + tenant);
    }
    if (!policy.grants(tenant, principal.roles(), action)) {
      return new Decision(Decision.Reason.FORBIDDEN,
          "roles " + principal.roles() + " of " + principal.subject() + " do not grant " + action + " in tenant " + tenant);
    }
    return new Decision(platformWide ? Decision.Reason.ALLOWED_PLATFORM_WIDE : Decision.Reason.ALLOWED,
        "roles " + principal.roles() + " grant " + action + " in tenant " + tenant);
  }

  /**
   * {@link #check} for {@link Action#FUNCTION_INVOKE}, then the version's allow-list for the trigger
   * ({@link InvokeRoles}). A list the principal does not satisfy is {@link Decision.Reason#FORBIDDEN}:
   * the principal may invoke in this tenant, so the function's existence is no secret to it.
   */
  public Decision checkInvoke(Principal principal, String tenant, Resource function, List<String> versionRoles) {
    Decision decision = check(principal, tenant, function, Action.FUNCTION_INVOKE);
    if (decision.denied() || InvokeRoles.allowed(principal, versionRoles)) {
      return decision;
    }
    return new Decision(Decision.Reason.FORBIDDEN,
        "roles " + principal.roles() + " of " + principal.subject() + " are not in the version's invoke roles " + versionRoles);
  }
}
