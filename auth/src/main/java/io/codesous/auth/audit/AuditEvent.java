package io.codesous.auth.audit;

import io.codesous.auth.Principal;
import io.codesous.auth.authz.Action;
import io.codesous.auth.authz.Resource;
import io.vertx.core.json.JsonObject;

import java.util.Locale;
import java.util.Objects;

/**
 * One audited request: who did what to which resource of which tenant, and how it ended.
 *
 * <p>{@code tenant} is the tenant the request named and {@code principalTenant} the one the caller belongs to
 * ({@code *} for a platform-wide principal). They differ for the platform admin and services, and for an attempt on
 * another tenant's resources, which the API answers {@code CS_NOT_FOUND} like a resource that does not exist; only
 * the pair tells the audit reader that the caller was refused for being a stranger.
 *
 * <p>JSON form ({@link #toJson()}), one object per event, with a schema tag like the queue messages:
 *
 * <pre>{@code
 * {"schema":"cs.audit.v1","subject":"agent-7","principal_tenant":"acme","tenant":"acme","action":"function:publish",
 *  "resource":"function:default/hello","request_id":"6b0f…","outcome":"failure",
 *  "error_code":"CS_FORBIDDEN","time_ms":1732370000000}
 * }</pre>
 *
 * <p>Never put a secret value, a token or a request body in an event.
 *
 * @param subject the principal's subject; {@code null} when the request was not authenticated
 * @param principalTenant the principal's own tenant, or {@code *}; {@code null} when the request was not
 *     authenticated (and in events written before the member existed)
 * @param tenant the tenant the request was about; {@code null} when it named none
 * @param action an action id ({@code function:publish}, …)
 * @param resource the resource path ({@link Resource#path()}); {@code null} when there is none
 * @param requestId the request's id
 * @param outcome success or failure
 * @param errorCode the {@code CS_*} code of a failure; {@code null} on success
 * @param timeMs when it happened, epoch milliseconds
 */
public record AuditEvent(
    String subject,
    String principalTenant,
    String tenant,
    String action,
    String resource,
    String requestId,
    Outcome outcome,
    String errorCode,
    long timeMs) {

  public static final String SCHEMA = "cs.audit.v1";

  /** How the audited request ended. */
  public enum Outcome {
    SUCCESS,
    FAILURE;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Outcome fromId(String id) {
      for (Outcome outcome : values()) {
        if (outcome.id().equals(id)) {
          return outcome;
        }
      }
      throw new IllegalArgumentException("unknown outcome: " + id);
    }
  }

  public AuditEvent {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(outcome, "outcome");
    if (outcome == Outcome.FAILURE && errorCode == null) {
      throw new IllegalArgumentException("a failure needs an error code");
    }
    if (outcome == Outcome.SUCCESS && errorCode != null) {
      throw new IllegalArgumentException("a success has no error code");
    }
  }

  public static AuditEvent success(Principal principal, String tenant, Action action, Resource resource, String requestId) {
    return new AuditEvent(subjectOf(principal), tenantOf(principal), tenant, action.id(), pathOf(resource), requestId,
        Outcome.SUCCESS, null, System.currentTimeMillis());
  }

  /** @param principal {@code null} when authentication itself failed */
  public static AuditEvent failure(
      Principal principal, String tenant, Action action, Resource resource, String requestId, String errorCode) {
    return new AuditEvent(subjectOf(principal), tenantOf(principal), tenant, action.id(), pathOf(resource), requestId,
        Outcome.FAILURE, Objects.requireNonNull(errorCode, "errorCode"), System.currentTimeMillis());
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("schema", SCHEMA)
        .put("subject", subject)
        .put("principal_tenant", principalTenant)
        .put("tenant", tenant)
        .put("action", action)
        .put("resource", resource)
        .put("request_id", requestId)
        .put("outcome", outcome.id())
        .put("error_code", errorCode)
        .put("time_ms", timeMs);
  }

  /** Reads {@link #toJson()}'s form; another schema or a missing member is an {@link IllegalArgumentException}. */
  public static AuditEvent fromJson(JsonObject json) {
    if (!SCHEMA.equals(json.getString("schema"))) {
      throw new IllegalArgumentException("not a " + SCHEMA + " event");
    }
    try {
      Long timeMs = json.getLong("time_ms");
      return new AuditEvent(
          json.getString("subject"),
          json.getString("principal_tenant"),
          json.getString("tenant"),
          json.getString("action"),
          json.getString("resource"),
          json.getString("request_id"),
          Outcome.fromId(json.getString("outcome")),
          json.getString("error_code"),
          Objects.requireNonNull(timeMs, "time_ms"));
    } catch (ClassCastException | NullPointerException e) {
      throw new IllegalArgumentException("not an audit event: " + e.getMessage(), e);
    }
  }

  private static String subjectOf(Principal principal) {
    return principal == null ? null : principal.subject();
  }

  private static String tenantOf(Principal principal) {
    return principal == null ? null : principal.tenant();
  }

  private static String pathOf(Resource resource) {
    return resource == null ? null : resource.path();
  }
}
