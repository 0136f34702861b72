package io.codesous.egress;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;

/**
 * A URL host after normalization: either an IP literal or a DNS name in lower-case ASCII (LDH
 * labels, punycode for internationalized names, no trailing dot). Normalization happens before the
 * allow-list comparison and before any address parsing, so every spelling of one host compares
 * equal and no spelling of an address escapes classification.
 *
 * <p>The steps mirror the WHATWG URL host parser: IDNA mapping (which also turns full-width digits
 * and ideographic dots into ASCII), then "ends in a number" means IPv4 in any of its numeric
 * spellings or nothing at all. What WHATWG would percent-decode is refused instead.
 */
public final class HostName {

  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private final String name;
  private final IpLiteral ipLiteral;

  private HostName(String name, IpLiteral ipLiteral) {
    this.name = name;
    this.ipLiteral = ipLiteral;
  }

  /**
   * Normalizes a host as it appears in a URL's authority: {@code [v6]} in brackets, anything else
   * as a name or IPv4 spelling.
   *
   * @throws EgressException {@link EgressFailure#INVALID_URL} for a host that is neither a valid
   *     name nor an address, {@link EgressFailure#ADDRESS_REFUSED} for IPv6 zone identifiers
   */
  public static HostName parse(String rawHost) {
    if (rawHost == null || rawHost.isEmpty()) {
      throw invalid("the URL has no host");
    }
    if (rawHost.startsWith("[")) {
      return parseBracketed(rawHost);
    }
    if (rawHost.indexOf('%') >= 0) {
      // WHATWG would decode %31%32%37.0.0.1 to 127.0.0.1; refusing keeps one spelling per host
      throw invalid("percent-encoded host names are not supported");
    }
    if (rawHost.indexOf('[') >= 0 || rawHost.indexOf(']') >= 0 || rawHost.indexOf(':') >= 0) {
      throw invalid("malformed host");
    }
    String ascii;
    try {
      // flags 0: no unassigned code points; LDH is enforced below, after IPv4 detection
      ascii = IDN.toASCII(rawHost, 0).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw invalid("host is not a valid internationalized domain name");
    }
    if (ascii.endsWith(".")) {
      ascii = ascii.substring(0, ascii.length() - 1);
    }
    if (ascii.isEmpty() || ascii.endsWith(".")) {
      throw invalid("malformed host");
    }
    if (IpLiteral.endsInNumber(ascii)) {
      IpLiteral address = IpLiteral.parseIpv4(ascii)
          .orElseThrow(() -> invalid("host ends in a number but is not an IPv4 address"));
      return new HostName(address.canonical(), address);
    }
    checkLdh(ascii);
    return new HostName(ascii, null);
  }

  private static HostName parseBracketed(String rawHost) {
    if (!rawHost.endsWith("]") || rawHost.length() < 3) {
      throw invalid("malformed IPv6 host");
    }
    String inner = rawHost.substring(1, rawHost.length() - 1);
    if (inner.indexOf('%') >= 0) {
      // a zone id names an interface of the machine making the request: never the function's
      throw new EgressException(EgressFailure.ADDRESS_REFUSED,
          "IPv6 addresses with a zone identifier are refused");
    }
    IpLiteral address = IpLiteral.parseIpv6(inner)
        .orElseThrow(() -> invalid("malformed IPv6 host"));
    return new HostName(address.canonical(), address);
  }

  private static void checkLdh(String ascii) {
    if (ascii.length() > MAX_NAME_LENGTH) {
      throw invalid("host name is longer than " + MAX_NAME_LENGTH + " characters");
    }
    for (String label : ascii.split("\\.", -1)) {
      if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
        throw invalid("host name has an empty or overlong label");
      }
      if (label.startsWith("-") || label.endsWith("-")) {
        throw invalid("host name labels may not start or end with a hyphen");
      }
      for (int i = 0; i < label.length(); i++) {
        char c = label.charAt(i);
        boolean ldh = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        if (!ldh) {
          throw invalid("host names may contain only letters, digits, hyphens and dots");
        }
      }
    }
  }

  private static EgressException invalid(String message) {
    return new EgressException(EgressFailure.INVALID_URL, message);
  }

  /** The normalized host: the DNS name, or the canonical address text (IPv6 without brackets). */
  public String name() {
    return name;
  }

  public boolean isIpLiteral() {
    return ipLiteral != null;
  }

  public Optional<IpLiteral> ipLiteral() {
    return Optional.ofNullable(ipLiteral);
  }

  /** The host as written in a URL or Host header: IPv6 addresses in brackets. */
  public String uriForm() {
    return ipLiteral != null && ipLiteral.isIpv6() ? "[" + name + "]" : name;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof HostName && name.equals(((HostName) other).name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return uriForm();
  }
}
