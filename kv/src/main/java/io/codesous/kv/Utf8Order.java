package io.codesous.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/**
 * The order of names and members the port promises where it sorts them ({@code keysWithPrefix},
 * {@code indexMembersWithPrefix}): their UTF-8 bytes, unsigned, as Redis compares them and RocksDB orders its keys.
 * Java's own {@link String#compareTo} compares UTF-16 units, which differs for characters beyond the BMP.
 */
public final class Utf8Order {

  /** Names by their UTF-8 bytes. */
  public static final Comparator<String> NAMES = Utf8Order::compare;

  private Utf8Order() {
  }

  public static int compare(String a, String b) {
    return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }
}
