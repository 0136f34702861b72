package io.codesous.egress;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one function may fetch: the hosts of its manifest's {@code capabilities.http.allow}, and
 * whether loopback addresses are reachable (never, except in tests and operator setups that say so
 * explicitly).
 *
 * <p>Entries are exact host names. They are normalized like URL hosts (case, one trailing dot,
 * IDNA; an IPv4 entry in any spelling becomes dotted decimal), so {@code Example.COM.} allows
 * {@code https://example.com/} and {@code 93.184.216.34} allows {@code http://1572395042/}. There
 * are no wildcards: the manifest format has no syntax for them and an entry containing {@code *}
 * is rejected rather than silently never matching. An empty list denies every fetch.
 *
 * <p>The allow-list only narrows: an allowed name whose addresses are private is still refused by
 * the {@link AddressPolicy}.
 */
public final class EgressPolicy {

  private static final EgressPolicy DENY_ALL = new EgressPolicy(Set.of(), false);

  private final Set<String> allowedHosts;
  private final boolean allowLoopback;

  private EgressPolicy(Set<String> allowedHosts, boolean allowLoopback) {
    this.allowedHosts = allowedHosts;
    this.allowLoopback = allowLoopback;
  }

  /** The policy of a function without the http capability. */
  public static EgressPolicy denyAll() {
    return DENY_ALL;
  }

  /**
   * A policy allowing exactly these hosts.
   *
   * @throws IllegalArgumentException for an entry that is not a host name or IP address
   */
  public static EgressPolicy allowing(Collection<String> hosts) {
    Set<String> normalized = new LinkedHashSet<>();
    for (String entry : hosts) {
      normalized.add(normalizeEntry(entry));
    }
    return new EgressPolicy(Set.copyOf(normalized), false);
  }

  public static EgressPolicy allowing(String... hosts) {
    return allowing(List.of(hosts));
  }

  /**
   * The same allow-list, with loopback addresses reachable. For tests against local servers and
   * operators running a trusted loopback service on purpose; a manifest never grants it.
   */
  public EgressPolicy withLoopbackAllowed() {
    return new EgressPolicy(allowedHosts, true);
  }

  private static String normalizeEntry(String entry) {
    if (entry == null || entry.isBlank()) {
      throw new IllegalArgumentException("allow-list entries may not be empty");
    }
    if (entry.indexOf('*') >= 0) {
      throw new IllegalArgumentException("allow-list entries are exact host names, no wildcards: "
          + entry);
    }
    // IPv6 addresses may be listed with or without brackets
    String asHost = entry.indexOf(':') >= 0 && !entry.startsWith("[") ? "[" + entry + "]" : entry;
    try {
      return HostName.parse(asHost).name();
    } catch (EgressException e) {
      throw new IllegalArgumentException("not a host name or IP address: " + entry, e);
    }
  }

  /** Whether a normalized host is on the allow-list. */
  public boolean allows(HostName host) {
    return allowedHosts.contains(host.name());
  }

  /** The normalized allow-list. */
  public Set<String> allowedHosts() {
    return allowedHosts;
  }

  public boolean allowLoopback() {
    return allowLoopback;
  }

  @Override
  public String toString() {
    return "EgressPolicy{allow=" + allowedHosts + (allowLoopback ? ", loopback allowed" : "") + "}";
  }
}
