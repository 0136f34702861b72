package io.codesous.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;

/**
 * An IP address as raw bytes (4 for IPv4, 16 for IPv6), parsed without ever consulting DNS.
 *
 * <p>IPv4 parsing follows the WHATWG URL standard's host parser, because that is how browsers and
 * most HTTP stacks read a URL: {@code 2130706433}, {@code 0x7f.1}, {@code 0177.0.0.1} and
 * {@code 127.1} all mean 127.0.0.1. Reading them any other way would let a function name an
 * address the checks did not recognize. IPv6 parsing is RFC 4291 text form (with a trailing
 * dotted quad allowed); zone identifiers are refused by {@link HostName} before parsing.
 *
 * <p>The bytes are kept exactly as written: {@code ::ffff:127.0.0.1} stays 16 bytes here (where
 * {@link InetAddress} would silently turn it into an IPv4 address), so the classifier sees the
 * embedding and can name it.
 */
public final class IpLiteral {

  private final byte[] bytes;

  private IpLiteral(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Wraps 4 or 16 address bytes. */
  public static IpLiteral of(byte[] bytes) {
    if (bytes.length != 4 && bytes.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + bytes.length);
    }
    return new IpLiteral(bytes.clone());
  }

  /** The address an {@link InetAddress} holds (a resolver's answer, say). */
  public static IpLiteral of(InetAddress address) {
    return new IpLiteral(address.getAddress());
  }

  public boolean isIpv4() {
    return bytes.length == 4;
  }

  public boolean isIpv6() {
    return bytes.length == 16;
  }

  public byte[] bytes() {
    return bytes.clone();
  }

  /** Byte {@code i} as an unsigned value. */
  int unsigned(int i) {
    return bytes[i] & 0xff;
  }

  /**
   * The address to connect to. Built from the bytes, so no lookup happens; note that the JDK maps
   * an IPv4-mapped IPv6 address to the IPv4 address it carries, which is where the kernel would
   * send it anyway.
   */
  public InetAddress toInetAddress() {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 or 16 bytes always make an address", e);
    }
  }

  /**
   * The canonical text: dotted decimal for IPv4, RFC 5952 (lower case, longest zero run
   * compressed, no brackets) for IPv6. Two spellings of one address have the same canonical text,
   * which is what the allow-list compares.
   */
  public String canonical() {
    if (isIpv4()) {
      return unsigned(0) + "." + unsigned(1) + "." + unsigned(2) + "." + unsigned(3);
    }
    return Ipv6Text.canonical(this);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof IpLiteral && Arrays.equals(bytes, ((IpLiteral) other).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return canonical();
  }

  /** Wraps bytes a parser just made, without copying them. */
  static IpLiteral wrap(byte[] bytes) {
    return new IpLiteral(bytes);
  }

  /**
   * Whether an ASCII host "ends in a number": its last non-empty label is all digits or parses
   * as a WHATWG IPv4 number ({@code 0x..}). Such a host is an IPv4 address or invalid, never a
   * domain name, so {@code 1.2.3.0x4} cannot slip past as a "name" for DNS to interpret.
   */
  public static boolean endsInNumber(String asciiHost) {
    return Ipv4Text.endsInNumber(asciiHost);
  }

  /**
   * Parses a host as WHATWG IPv4 (see {@link Ipv4Text}).
   *
   * @return the address, or empty when the text is not an IPv4 address in any spelling
   */
  public static Optional<IpLiteral> parseIpv4(String host) {
    return Ipv4Text.parse(host);
  }

  /**
   * Parses IPv6 text without brackets (see {@link Ipv6Text}).
   *
   * @return the address, or empty when the text is not IPv6
   */
  public static Optional<IpLiteral> parseIpv6(String text) {
    return Ipv6Text.parse(text);
  }
}
