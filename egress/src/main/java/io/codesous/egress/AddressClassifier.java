package io.codesous.egress;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sorts an IP address into an {@link AddressClass}. IPv4 is a table of special-purpose ranges
 * (RFC 6890 and friends) with everything else public. IPv6 is deny-by-default: only the global
 * unicast block 2000::/3 can be public, minus its special-purpose ranges; addresses that embed an
 * IPv4 address are classified by the IPv4 address they deliver to.
 *
 * <p>Tables are checked in order, first match wins, so exact cloud metadata addresses come before
 * the ranges that contain them and the broadcast address before 240/4.
 */
public final class AddressClassifier {

  /**
   * Instance metadata and host services of cloud providers. Most sit inside ranges refused anyway;
   * they are named so an operator reading a refusal knows what was being attempted, and so a
   * range edit can never quietly unblock them. The Azure one is the exception: it is a publicly
   * routable address that only ever means the platform's own host.
   */
  private static final Map<Cidr, AddressClass> CLOUD_METADATA = table(
      // AWS, GCP, Azure, OpenStack, DigitalOcean, Hetzner, Oracle (IMDS v1/v2 endpoint)
      "169.254.169.254", AddressClass.CLOUD_METADATA,
      // AWS ECS task metadata and container credentials endpoint
      "169.254.170.2", AddressClass.CLOUD_METADATA,
      // AWS EKS Pod Identity agent
      "169.254.170.23", AddressClass.CLOUD_METADATA,
      // Tencent Cloud metadata (metadata.tencentyun.com)
      "169.254.0.23", AddressClass.CLOUD_METADATA,
      // Alibaba Cloud metadata, inside the shared 100.64/10 space
      "100.100.100.200", AddressClass.CLOUD_METADATA,
      // Oracle Cloud Infrastructure metadata, inside 192.0.0/24
      "192.0.0.192", AddressClass.CLOUD_METADATA,
      // Azure WireServer / host agent: public address space, but always the local host node
      "168.63.129.16", AddressClass.CLOUD_METADATA,
      // AWS IMDS over IPv6 (Nitro instances), inside fc00::/7
      "fd00:ec2::254", AddressClass.CLOUD_METADATA,
      // AWS EKS Pod Identity agent over IPv6
      "fd00:ec2::23", AddressClass.CLOUD_METADATA);

  private static final Map<Cidr, AddressClass> IPV4 = table(
      "0.0.0.0/8", AddressClass.UNSPECIFIED,
      "10.0.0.0/8", AddressClass.PRIVATE,
      "100.64.0.0/10", AddressClass.SHARED,
      "127.0.0.0/8", AddressClass.LOOPBACK,
      "169.254.0.0/16", AddressClass.LINK_LOCAL,
      "172.16.0.0/12", AddressClass.PRIVATE,
      "192.0.0.0/24", AddressClass.IETF_PROTOCOL,
      "192.0.2.0/24", AddressClass.DOCUMENTATION,
      // formerly the 6to4 relay anycast prefix (RFC 7526 deprecated it)
      "192.88.99.0/24", AddressClass.RESERVED,
      "192.168.0.0/16", AddressClass.PRIVATE,
      "198.18.0.0/15", AddressClass.BENCHMARKING,
      "198.51.100.0/24", AddressClass.DOCUMENTATION,
      "203.0.113.0/24", AddressClass.DOCUMENTATION,
      "224.0.0.0/4", AddressClass.MULTICAST,
      "255.255.255.255/32", AddressClass.BROADCAST,
      "240.0.0.0/4", AddressClass.RESERVED);

  /** IPv6 outside 2000::/3, after the embedded-IPv4 forms have been handled. */
  private static final Map<Cidr, AddressClass> IPV6_OUTSIDE_GLOBAL = table(
      "::/128", AddressClass.UNSPECIFIED,
      "::1/128", AddressClass.LOOPBACK,
      "fc00::/7", AddressClass.UNIQUE_LOCAL,
      "fe80::/10", AddressClass.LINK_LOCAL,
      "fec0::/10", AddressClass.SITE_LOCAL,
      "ff00::/8", AddressClass.MULTICAST);

  /** Special-purpose ranges inside 2000::/3; the rest of 2000::/3 is public. */
  private static final Map<Cidr, AddressClass> IPV6_INSIDE_GLOBAL = table(
      "2001::/32", AddressClass.TEREDO,
      "2001:2::/48", AddressClass.BENCHMARKING,
      // ORCHID and ORCHIDv2 (RFC 4843, RFC 7343): identifiers, not routable locators
      "2001:10::/28", AddressClass.RESERVED,
      "2001:20::/28", AddressClass.RESERVED,
      "2001:db8::/32", AddressClass.DOCUMENTATION,
      "3fff::/20", AddressClass.DOCUMENTATION,
      // SRv6 segment identifiers (RFC 9602): meaningful only inside one operator's domain
      "5f00::/16", AddressClass.RESERVED);

  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

  private AddressClassifier() {
  }

  public static AddressClass classify(IpLiteral address) {
    AddressClass metadata = lookup(CLOUD_METADATA, address);
    if (metadata != null) {
      return metadata;
    }
    if (address.isIpv4()) {
      AddressClass special = lookup(IPV4, address);
      return special != null ? special : AddressClass.PUBLIC;
    }
    Ipv6Embedding embedding = Ipv6Embedding.of(address);
    if (embedding != null) {
      return classifyEmbedding(embedding, address);
    }
    if (!GLOBAL_UNICAST.contains(address)) {
      AddressClass special = lookup(IPV6_OUTSIDE_GLOBAL, address);
      return special != null ? special : AddressClass.RESERVED;
    }
    AddressClass special = lookup(IPV6_INSIDE_GLOBAL, address);
    return special != null ? special : AddressClass.PUBLIC;
  }

  /**
   * The class of the IPv4 address an IPv6 address delivers to. Where several placements are
   * possible, the first non-public one wins, so an address is public only if it is public under
   * every reading. The deprecated compatible and translated forms are never public themselves.
   */
  private static AddressClass classifyEmbedding(Ipv6Embedding embedding, IpLiteral address) {
    List<IpLiteral> candidates = embedding.embeddedIpv4(address);
    for (IpLiteral candidate : candidates) {
      AddressClass embedded = classify(candidate);
      if (embedded != AddressClass.PUBLIC) {
        return embedded;
      }
    }
    switch (embedding) {
      case IPV4_COMPATIBLE:
        return AddressClass.IPV4_COMPATIBLE;
      case IPV4_TRANSLATED:
        return AddressClass.RESERVED;
      default:
        return AddressClass.PUBLIC;
    }
  }

  private static AddressClass lookup(Map<Cidr, AddressClass> table, IpLiteral address) {
    for (Map.Entry<Cidr, AddressClass> row : table.entrySet()) {
      if (row.getKey().contains(address)) {
        return row.getValue();
      }
    }
    return null;
  }

  private static Map<Cidr, AddressClass> table(Object... rows) {
    Map<Cidr, AddressClass> table = new LinkedHashMap<>();
    for (int i = 0; i < rows.length; i += 2) {
      table.put(Cidr.parse((String) rows[i]), (AddressClass) rows[i + 1]);
    }
    return table;
  }
}
