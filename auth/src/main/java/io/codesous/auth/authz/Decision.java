package io.codesous.auth.authz;

import java.util.Objects;

/**
 * The answer of {@link Authorizer#check}.
 *
 * @param reason why; tells the HTTP layer which answer to give
 * @param detail a sentence for the server log (names roles and the action, never anything secret);
 *     not for the response body
 */
public record Decision(Reason reason, String detail) {

  /** Why a request was allowed or denied. */
  public enum Reason {
    /** A role the principal holds in this tenant grants the action. */
    ALLOWED,
    /** A platform-wide principal (tenant {@code *}) holds a role granting the action. */
    ALLOWED_PLATFORM_WIDE,
    /**
     * The request is about another tenant than the principal's (or about no valid tenant at all).
     * Answer exactly as for a resource that does not exist ({@code 404 CS_NOT_FOUND}), so a caller
     * cannot tell another tenant's resources, or the tenant itself, from nothing.
     */
    NOT_FOUND_OR_FORBIDDEN,
    /** Same tenant, but no role the principal holds grants the action: {@code 403 CS_FORBIDDEN}. */
    FORBIDDEN
  }

  public Decision {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
  }

  public boolean allowed() {
    return reason == Reason.ALLOWED || reason == Reason.ALLOWED_PLATFORM_WIDE;
  }

  public boolean denied() {
    return !allowed();
  }
}
