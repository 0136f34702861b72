package io.codesous.egress;

/** An address range written as {@code address/prefix-length}; matches addresses of its family. */
final class Cidr {

  private final IpLiteral network;
  private final int prefixLength;
  private final String text;

  private Cidr(IpLiteral network, int prefixLength, String text) {
    this.network = network;
    this.prefixLength = prefixLength;
    this.text = text;
  }

  /** Parses {@code 10.0.0.0/8} or {@code fc00::/7}; a bare address is a single-address range. */
  static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    IpLiteral network = address.contains(":")
        ? IpLiteral.parseIpv6(address).orElseThrow(() -> new IllegalArgumentException(text))
        : IpLiteral.parseIpv4(address).orElseThrow(() -> new IllegalArgumentException(text));
    int bits = network.isIpv4() ? 32 : 128;
    int prefixLength = slash < 0 ? bits : Integer.parseInt(text.substring(slash + 1));
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length out of range: " + text);
    }
    return new Cidr(network, prefixLength, text);
  }

  boolean contains(IpLiteral address) {
    if (address.isIpv4() != network.isIpv4()) {
      return false;
    }
    int fullBytes = prefixLength / 8;
    for (int i = 0; i < fullBytes; i++) {
      if (address.unsigned(i) != network.unsigned(i)) {
        return false;
      }
    }
    int remainingBits = prefixLength % 8;
    if (remainingBits == 0) {
      return true;
    }
    int mask = (0xff << (8 - remainingBits)) & 0xff;
    return (address.unsigned(fullBytes) & mask) == (network.unsigned(fullBytes) & mask);
  }

  @Override
  public String toString() {
    return text;
  }
}
