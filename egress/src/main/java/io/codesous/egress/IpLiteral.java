package io.codesous.egress;

import java.math.BigInteger;
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
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (unsigned(2 * i) << 8) | unsigned(2 * i + 1);
    }
    // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on ties
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
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

  // ---------------------------------------------------------------------------------------------
  // IPv4, WHATWG URL standard, "ends in a number checker" and "IPv4 parser"

  /**
   * Whether an ASCII host "ends in a number": its last non-empty label is all digits or parses
   * as a WHATWG IPv4 number ({@code 0x..}). Such a host is an IPv4 address or invalid, never a
   * domain name, so {@code 1.2.3.0x4} cannot slip past as a "name" for DNS to interpret.
   */
  public static boolean endsInNumber(String asciiHost) {
    String[] labels = asciiHost.split("\\.", -1);
    int last = labels.length - 1;
    if (labels[last].isEmpty()) {
      if (labels.length == 1) {
        return false;
      }
      last--;
    }
    String label = labels[last];
    if (!label.isEmpty() && label.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return true;
    }
    return parseIpv4Number(label) != null;
  }

  /**
   * Parses a host as WHATWG IPv4: one to four dot-separated numbers, each decimal, octal (leading
   * {@code 0}) or hex ({@code 0x}); the last number fills all remaining bytes; one trailing dot is
   * allowed.
   *
   * @return the address, or empty when the text is not an IPv4 address in any spelling
   */
  public static Optional<IpLiteral> parseIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    int count = parts.length;
    if (parts[count - 1].isEmpty() && count > 1) {
      count--;
    }
    if (count > 4) {
      return Optional.empty();
    }
    BigInteger[] numbers = new BigInteger[count];
    for (int i = 0; i < count; i++) {
      numbers[i] = parseIpv4Number(parts[i]);
      if (numbers[i] == null) {
        return Optional.empty();
      }
    }
    BigInteger byteLimit = BigInteger.valueOf(255);
    for (int i = 0; i < count - 1; i++) {
      if (numbers[i].compareTo(byteLimit) > 0) {
        return Optional.empty();
      }
    }
    BigInteger last = numbers[count - 1];
    if (last.compareTo(BigInteger.ONE.shiftLeft(8 * (5 - count))) >= 0) {
      return Optional.empty();
    }
    long value = last.longValue();
    for (int i = 0; i < count - 1; i++) {
      value += numbers[i].longValue() << (8 * (3 - i));
    }
    return Optional.of(new IpLiteral(new byte[] {
        (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value}));
  }

  /** One WHATWG IPv4 number; {@code null} when it is not one. Values may be arbitrarily large. */
  private static BigInteger parseIpv4Number(String text) {
    if (text.isEmpty()) {
      return null;
    }
    int radix = 10;
    String digits = text;
    if (digits.length() >= 2 && (digits.startsWith("0x") || digits.startsWith("0X"))) {
      digits = digits.substring(2);
      radix = 16;
    } else if (digits.length() >= 2 && digits.charAt(0) == '0') {
      digits = digits.substring(1);
      radix = 8;
    }
    if (digits.isEmpty()) {
      return BigInteger.ZERO;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), radix) < 0 || digits.charAt(i) > 'z') {
        return null;
      }
    }
    return new BigInteger(digits, radix);
  }

  // ---------------------------------------------------------------------------------------------
  // IPv6, RFC 4291 section 2.2 text forms

  /**
   * Parses IPv6 text without brackets: eight hex groups, one {@code ::} for a run of zeros, and
   * optionally a dotted-decimal IPv4 address (strict: four decimal bytes) as the last 32 bits.
   *
   * @return the address, or empty when the text is not IPv6
   */
  public static Optional<IpLiteral> parseIpv6(String text) {
    if (text.isEmpty() || text.length() > 45) {
      return Optional.empty();
    }
    int[] groups = new int[8];
    int count = 0;
    int compressAt = -1;
    int i = 0;
    if (text.startsWith("::")) {
      compressAt = 0;
      i = 2;
      if (i == text.length()) {
        return Optional.of(new IpLiteral(new byte[16]));
      }
    } else if (text.charAt(0) == ':') {
      return Optional.empty();
    }
    while (i < text.length()) {
      if (count == 8) {
        return Optional.empty();
      }
      int start = i;
      while (i < text.length() && Character.digit(text.charAt(i), 16) >= 0
          && text.charAt(i) < 0x80) {
        i++;
      }
      if (i < text.length() && text.charAt(i) == '.') {
        // a trailing dotted quad fills the last two groups
        if (count > 6) {
          return Optional.empty();
        }
        byte[] quad = parseDottedQuad(text.substring(start));
        if (quad == null) {
          return Optional.empty();
        }
        groups[count++] = ((quad[0] & 0xff) << 8) | (quad[1] & 0xff);
        groups[count++] = ((quad[2] & 0xff) << 8) | (quad[3] & 0xff);
        i = text.length();
        break;
      }
      int length = i - start;
      if (length < 1 || length > 4) {
        return Optional.empty();
      }
      groups[count++] = Integer.parseInt(text.substring(start, i), 16);
      if (i == text.length()) {
        break;
      }
      if (text.charAt(i) != ':') {
        return Optional.empty();
      }
      i++;
      if (i < text.length() && text.charAt(i) == ':') {
        if (compressAt >= 0) {
          return Optional.empty();
        }
        compressAt = count;
        i++;
      } else if (i == text.length()) {
        return Optional.empty(); // a single trailing colon
      }
    }
    if (compressAt >= 0) {
      if (count == 8) {
        return Optional.empty(); // "::" must stand for at least one group
      }
      int tail = count - compressAt;
      System.arraycopy(groups, compressAt, groups, 8 - tail, tail);
      Arrays.fill(groups, compressAt, 8 - tail, 0);
    } else if (count != 8) {
      return Optional.empty();
    }
    byte[] bytes = new byte[16];
    for (int g = 0; g < 8; g++) {
      bytes[2 * g] = (byte) (groups[g] >>> 8);
      bytes[2 * g + 1] = (byte) groups[g];
    }
    return Optional.of(new IpLiteral(bytes));
  }

  /** Four decimal bytes, no leading zeros, as RFC 4291 allows inside IPv6 text. */
  private static byte[] parseDottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] quad = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return null;
      }
      quad[i] = (byte) value;
    }
    return quad;
  }
}
