package io.codesous.egress;

/**
 * What kind of address an IP is, as far as outbound requests from untrusted code are concerned.
 * Only {@link #PUBLIC} is reachable by default; {@link #LOOPBACK} additionally when a test or an
 * operator explicitly allows it (see {@link EgressPolicy#allowLoopback()}).
 */
public enum AddressClass {
  /** Globally routable unicast: the only class a function may reach. */
  PUBLIC("public"),
  /** 127.0.0.0/8, ::1: this very machine. */
  LOOPBACK("loopback"),
  /** 10/8, 172.16/12, 192.168/16 (RFC 1918): the platform's own network. */
  PRIVATE("private"),
  /** 100.64/10 (RFC 6598), carrier-grade NAT: internal in clouds too. */
  SHARED("shared address space"),
  /** 169.254/16, fe80::/10: the local link, where metadata services answer. */
  LINK_LOCAL("link-local"),
  /** fc00::/7 (RFC 4193): IPv6's private ranges. */
  UNIQUE_LOCAL("unique local"),
  /** fec0::/10, deprecated but still honoured by some stacks. */
  SITE_LOCAL("site-local"),
  /** 0.0.0.0/8, :: - connecting to "this host" lands on loopback on Linux. */
  UNSPECIFIED("unspecified"),
  MULTICAST("multicast"),
  /** 255.255.255.255. */
  BROADCAST("broadcast"),
  /** 198.18/15, 2001:2::/48 (RFC 2544, RFC 5180). */
  BENCHMARKING("benchmarking"),
  /** 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20: never routed. */
  DOCUMENTATION("documentation"),
  /** 192.0.0/24 (RFC 6890): protocol assignments, not hosts on the Internet. */
  IETF_PROTOCOL("IETF protocol assignment"),
  /** A cloud provider's instance metadata or host service; always refused, named for the logs. */
  CLOUD_METADATA("cloud metadata service"),
  /** 2001::/32: Teredo hides the real IPv4 destination behind an obfuscated relay address. */
  TEREDO("Teredo"),
  /** ::/96 (RFC 4291 2.5.5.1), deprecated IPv4-compatible form, unroutable. */
  IPV4_COMPATIBLE("deprecated IPv4-compatible"),
  /** 240/4, 192.88.99/24, and every IPv6 range outside the unicast ones the Internet routes. */
  RESERVED("reserved");

  private final String description;

  AddressClass(String description) {
    this.description = description;
  }

  /** A short, function-safe phrase for error messages: "loopback", "cloud metadata service". */
  public String description() {
    return description;
  }
}
