package io.codesous.kv.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How the store's name space lies in RocksDB's one ordered key space. Four kinds of entries, each
 * behind a one-byte tag:
 *
 * <ul>
 *   <li>{@code k} + name: the {@link Entry} of a plain key or of a sorted index (one name space,
 *       as in Redis, so a name is either a value or an index).
 *   <li>{@code e} + deadline + name: the expiry schedule, read in deadline order by the sweep, so
 *       it never walks the keys that do not expire.
 *   <li>{@code m} + index + member: a member's score; ordered by member bytes, which is the
 *       lexicographic order of {@code indexMembersWithPrefix}.
 *   <li>{@code s} + index + score + member: the score order of {@code indexRange}.
 * </ul>
 *
 * <p>An index name is written with its length in front, so that no index's entries can run into
 * another's whose name it begins with. Scores are stored big-endian with the sign bit flipped, so
 * that byte order is numeric order.
 */
final class DiskLayout {

  private static final byte ENTRY = 'k';
  private static final byte EXPIRY = 'e';
  private static final byte MEMBER = 'm';
  private static final byte SCORE = 's';

  private DiskLayout() {
  }

  static byte[] entryKey(String name) {
    return tagged(ENTRY, utf8(name));
  }

  static String nameOfEntryKey(byte[] key) {
    return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
  }

  static byte[] expiryPrefix() {
    return new byte[] {EXPIRY};
  }

  static byte[] expiryKey(long deadlineMs, String name) {
    byte[] bytes = utf8(name);
    return ByteBuffer.allocate(1 + 8 + bytes.length).put(EXPIRY).putLong(deadlineMs).put(bytes).array();
  }

  static long deadlineOfExpiryKey(byte[] key) {
    return ByteBuffer.wrap(key, 1, 8).getLong();
  }

  static String nameOfExpiryKey(byte[] key) {
    return new String(key, 9, key.length - 9, StandardCharsets.UTF_8);
  }

  /** Every member entry of the index; a member's own key is this followed by the member. */
  static byte[] memberPrefix(String index) {
    return indexPrefix(MEMBER, index);
  }

  static byte[] memberKey(String index, String member) {
    return concat(memberPrefix(index), utf8(member));
  }

  /** Every score entry of the index. */
  static byte[] scorePrefix(String index) {
    return indexPrefix(SCORE, index);
  }

  static byte[] scoreKey(String index, long score, String member) {
    byte[] prefix = scorePrefix(index);
    byte[] bytes = utf8(member);
    return ByteBuffer.allocate(prefix.length + 8 + bytes.length)
        .put(prefix).putLong(score ^ Long.MIN_VALUE).put(bytes).array();
  }

  static String memberOfScoreKey(byte[] prefix, byte[] key) {
    int start = prefix.length + 8;
    return new String(key, start, key.length - start, StandardCharsets.UTF_8);
  }

  static String memberOfMemberKey(byte[] prefix, byte[] key) {
    return new String(key, prefix.length, key.length - prefix.length, StandardCharsets.UTF_8);
  }

  static byte[] encodeScore(long score) {
    return ByteBuffer.allocate(8).putLong(score).array();
  }

  static long decodeScore(byte[] bytes) {
    return ByteBuffer.wrap(bytes).getLong();
  }

  /** The first key after every key that starts with {@code prefix} (prefixes here never end in 0xff bytes only). */
  static byte[] upperBound(byte[] prefix) {
    byte[] bound = Arrays.copyOf(prefix, prefix.length);
    for (int i = bound.length - 1; i >= 0; i--) {
      if (bound[i] != (byte) 0xff) {
        bound[i]++;
        return Arrays.copyOf(bound, i + 1);
      }
    }
    throw new IllegalArgumentException("a prefix of 0xff bytes only has no upper bound");
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] indexPrefix(byte tag, String index) {
    byte[] name = utf8(index);
    return ByteBuffer.allocate(1 + 4 + name.length).put(tag).putInt(name.length).put(name).array();
  }

  private static byte[] tagged(byte tag, byte[] bytes) {
    return ByteBuffer.allocate(1 + bytes.length).put(tag).put(bytes).array();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }
}
