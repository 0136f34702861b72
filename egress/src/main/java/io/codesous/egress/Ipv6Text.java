package io.codesous.egress;

import java.util.Arrays;
import java.util.Optional;

/**
 * IPv6 text both ways: parsing the RFC 4291 section 2.2 text forms (with a trailing dotted quad
 * allowed) and writing the RFC 5952 canonical form, so that two spellings of one address compare
 * equal as text.
 */
final class Ipv6Text {

  private Ipv6Text() {}


  /**
   * Parses IPv6 text without brackets: eight hex groups, one {@code ::} for a run of zeros, and
   * optionally a dotted-decimal IPv4 address (strict: four decimal bytes) as the last 32 bits.
   *
   * @return the address, or empty when the text is not IPv6
   */
  static Optional<IpLiteral> parse(String text) {
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
        return Optional.of(IpLiteral.wrap(new byte[16]));
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
    return Optional.of(IpLiteral.wrap(bytes));
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

  /**
   * The RFC 5952 text of a 16-byte address: lower case, longest zero run compressed, no brackets.
   */
  static String canonical(IpLiteral address) {
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (address.unsigned(2 * i) << 8) | address.unsigned(2 * i + 1);
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
}
