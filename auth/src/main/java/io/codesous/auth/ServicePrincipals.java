package io.codesous.auth;

import io.codesous.auth.authz.RolePolicy;

import java.util.Set;

/**
 * The identities of the platform's own components that start activations on a tenant's behalf. Each acts in every
 * tenant ({@code *}) with one service role, so what it may do is exactly what that role grants (see
 * {@code AUTHZ.md}): the scheduler may read schedules and invoke, the Cadence poller may read bindings and invoke,
 * and neither may change anything. A component in the same process uses its principal directly, in the
 * {@code principal} of the requests it publishes; a component in another process presents a token minted for the
 * same claims ({@code kind: service}).
 */
public final class ServicePrincipals {

  /** Invokes functions on their schedules. */
  public static final Principal SCHEDULER = new Principal("cs-scheduler", Principal.ALL_TENANTS,
      Set.of(RolePolicy.SERVICE_SCHEDULER), PrincipalKind.SERVICE, null);

  /** Runs functions as Cadence activities. */
  public static final Principal CADENCE_POLLER = new Principal("cs-cadence-poller", Principal.ALL_TENANTS,
      Set.of(RolePolicy.SERVICE_CADENCE_POLLER), PrincipalKind.SERVICE, null);

  private ServicePrincipals() {
  }
}
