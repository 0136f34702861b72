package io.codesous.egress;

import java.util.ArrayList;
import java.util.List;

/**
 * The IPv6 forms that carry an IPv4 address inside them. A packet to such an address ends up at
 * the embedded IPv4 host (through the kernel, a NAT64 gateway or a 6to4 relay), so the embedded
 * address is what must be classified: {@code [::ffff:169.254.169.254]} is the metadata service.
 */
public enum Ipv6Embedding {
  /** ::ffff:0:0/96 (RFC 4291 2.5.5.2): the kernel connects over IPv4 to the embedded address. */
  IPV4_MAPPED,
  /** ::/96 (RFC 4291 2.5.5.1): deprecated IPv4-compatible form. */
  IPV4_COMPATIBLE,
  /** ::ffff:0:0:0/96 (RFC 2765): IPv4-translated form of stateless IP/ICMP translation. */
  IPV4_TRANSLATED,
  /** 64:ff9b::/96 (RFC 6052): the well-known NAT64 prefix, IPv4 in the last 32 bits. */
  NAT64_WELL_KNOWN,
  /**
   * 64:ff9b:1::/48 (RFC 8215): local-use NAT64, where the operator picks a prefix length of /48
   * to /96 and with it where the IPv4 bits sit. Every possible placement is extracted, and the
   * address is public only if all of them are: whoever writes the address (a URL, a DNS answer)
   * chooses the bits, and only the network's operator knows which placement the gateway uses.
   * In practice most local-use NAT64 addresses are therefore refused.
   */
  NAT64_LOCAL_USE,
  /** 2002::/16 (RFC 3056): 6to4, IPv4 in bits 16 to 47. */
  SIX_TO_FOUR;

  /** The embedding an IPv6 address uses, or {@code null} when it carries no IPv4 address. */
  public static Ipv6Embedding of(IpLiteral address) {
    if (!address.isIpv6()) {
      return null;
    }
    if (zeros(address, 0, 10)) {
      int b10 = address.unsigned(10);
      int b11 = address.unsigned(11);
      if (b10 == 0xff && b11 == 0xff) {
        return IPV4_MAPPED;
      }
      if (b10 == 0 && b11 == 0 && !(zeros(address, 12, 16)) && !isLoopbackV6(address)) {
        return IPV4_COMPATIBLE;
      }
      return null;
    }
    if (zeros(address, 0, 8) && address.unsigned(8) == 0xff && address.unsigned(9) == 0xff
        && address.unsigned(10) == 0 && address.unsigned(11) == 0) {
      return IPV4_TRANSLATED;
    }
    if (startsWith(address, 0x00, 0x64, 0xff, 0x9b)) {
      if (zeros(address, 4, 12)) {
        return NAT64_WELL_KNOWN;
      }
      if (address.unsigned(4) == 0x00 && address.unsigned(5) == 0x01) {
        return NAT64_LOCAL_USE;
      }
      return null;
    }
    if (startsWith(address, 0x20, 0x02)) {
      return SIX_TO_FOUR;
    }
    return null;
  }

  /**
   * The IPv4 addresses this embedding may deliver to: one for every form except local-use NAT64,
   * which yields one candidate per RFC 6052 prefix length the operator may have chosen.
   */
  public List<IpLiteral> embeddedIpv4(IpLiteral address) {
    List<IpLiteral> candidates = new ArrayList<>();
    switch (this) {
      case IPV4_MAPPED:
      case IPV4_COMPATIBLE:
      case IPV4_TRANSLATED:
      case NAT64_WELL_KNOWN:
        candidates.add(pick(address, 12, 13, 14, 15));
        break;
      case NAT64_LOCAL_USE:
        // RFC 6052 section 2.2: bits 64..71 (byte 8) are the reserved "u" octet and never hold
        // IPv4 bits, so the /48, /56 and /64 layouts skip it.
        // Most deployments use /96, so its reading comes first and names the refusal.
        candidates.add(pick(address, 12, 13, 14, 15)); // /96
        candidates.add(pick(address, 9, 10, 11, 12)); // /64
        candidates.add(pick(address, 7, 9, 10, 11)); // /56
        candidates.add(pick(address, 6, 7, 9, 10)); // /48
        break;
      case SIX_TO_FOUR:
        candidates.add(pick(address, 2, 3, 4, 5));
        break;
      default:
        throw new IllegalStateException("unknown embedding " + this);
    }
    return candidates;
  }

  private static IpLiteral pick(IpLiteral address, int a, int b, int c, int d) {
    return IpLiteral.of(new byte[] {
        (byte) address.unsigned(a), (byte) address.unsigned(b),
        (byte) address.unsigned(c), (byte) address.unsigned(d)});
  }

  private static boolean isLoopbackV6(IpLiteral address) {
    return zeros(address, 0, 15) && address.unsigned(15) == 1;
  }

  static boolean zeros(IpLiteral address, int from, int to) {
    for (int i = from; i < to; i++) {
      if (address.unsigned(i) != 0) {
        return false;
      }
    }
    return true;
  }

  static boolean startsWith(IpLiteral address, int... prefix) {
    for (int i = 0; i < prefix.length; i++) {
      if (address.unsigned(i) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
