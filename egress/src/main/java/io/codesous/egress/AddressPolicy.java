package io.codesous.egress;

/**
 * Decides whether a fetch may connect to an address. Applied to literal IP hosts before anything
 * else and to every address DNS returns for a name, on every redirect hop.
 */
public final class AddressPolicy {

  private final boolean allowLoopback;

  public AddressPolicy(boolean allowLoopback) {
    this.allowLoopback = allowLoopback;
  }

  /** The policy for one fetch's {@link EgressPolicy}. */
  public static AddressPolicy of(EgressPolicy policy) {
    return new AddressPolicy(policy.allowLoopback());
  }

  /**
   * Why the address is refused, or {@code null} when it may be reached. Only public addresses pass;
   * with loopback allowed, so do addresses the kernel delivers to this machine (127/8, ::1 and
   * their IPv4-mapped forms), but never loopback reached through a translator (NAT64, 6to4):
   * that would be some gateway's loopback, not ours.
   */
  public AddressClass refusal(IpLiteral address) {
    AddressClass addressClass = AddressClassifier.classify(address);
    if (addressClass == AddressClass.PUBLIC) {
      return null;
    }
    if (addressClass == AddressClass.LOOPBACK && allowLoopback && deliveredLocally(address)) {
      return null;
    }
    return addressClass;
  }

  public boolean permits(IpLiteral address) {
    return refusal(address) == null;
  }

  private static boolean deliveredLocally(IpLiteral address) {
    if (address.isIpv4()) {
      return true;
    }
    Ipv6Embedding embedding = Ipv6Embedding.of(address);
    return embedding == null || embedding == Ipv6Embedding.IPV4_MAPPED;
  }
}
