package io.codesous.egress;

import java.math.BigInteger;
import java.util.Optional;

/**
 * IPv4 text as the WHATWG URL standard's host parser reads it ("ends in a number checker" and
 * "IPv4 parser"), because that is how browsers and most HTTP stacks read a URL: {@code 2130706433},
 * {@code 0x7f.1}, {@code 0177.0.0.1} and {@code 127.1} all mean 127.0.0.1. Reading them any other
 * way would let a function name an address the checks did not recognize.
 */
final class Ipv4Text {

  private Ipv4Text() {}


  /**
   * Whether an ASCII host "ends in a number": its last non-empty label is all digits or parses
   * as a WHATWG IPv4 number ({@code 0x..}). Such a host is an IPv4 address or invalid, never a
   * domain name, so {@code 1.2.3.0x4} cannot slip past as a "name" for DNS to interpret.
   */
  static boolean endsInNumber(String asciiHost) {
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
    return parseNumber(label) != null;
  }

  /**
   * Parses a host as WHATWG IPv4: one to four dot-separated numbers, each decimal, octal (leading
   * {@code 0}) or hex ({@code 0x}); the last number fills all remaining bytes; one trailing dot is
   * allowed.
   *
   * @return the address, or empty when the text is not an IPv4 address in any spelling
   */
  static Optional<IpLiteral> parse(String host) {
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
      numbers[i] = parseNumber(parts[i]);
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
    return Optional.of(IpLiteral.wrap(new byte[] {
        (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value}));
  }

  /** One WHATWG IPv4 number; {@code null} when it is not one. Values may be arbitrarily large. */
  private static BigInteger parseNumber(String text) {
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

}
