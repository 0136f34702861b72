package io.codesous.auth.authz;

import io.codesous.auth.Principal;

import java.util.List;

/**
 * The per-version invoke allow-lists of the manifest ({@code invoke_http_roles},
 * {@code invoke_cadence_roles}, {@code invoke_schedule_roles}).
 *
 * <p>They narrow, never widen: a caller needs {@code function:invoke} from its roles (checked by
 * {@link Authorizer}) and, when the version's list for the trigger is non-empty, one of the listed
 * roles. An empty or absent list adds no condition. There is no exception for admins: a function
 * whose list leaves out {@code admin} cannot be invoked by an admin through that trigger (an admin
 * can publish a version with another list).
 */
public final class InvokeRoles {

  private InvokeRoles() {
  }

  /** Whether the version's allow-list lets the principal invoke: the list is empty, or the principal holds a listed role. */
  public static boolean allowed(Principal principal, List<String> versionRoles) {
    if (versionRoles == null || versionRoles.isEmpty()) {
      return true;
    }
    for (String role : versionRoles) {
      if (principal.hasRole(role)) {
        return true;
      }
    }
    return false;
  }
}
