package io.codesous.runtime;

import static io.codesous.runtime.WebCrypto.answering;
import static io.codesous.runtime.WebCrypto.bytes;
import static io.codesous.runtime.WebCrypto.latin1;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * The JDK's zlib behind {@code CompressionStream} and {@code DecompressionStream} (see {@code web-streams.js}), in the
 * three formats of the Compression standard: {@code deflate} (zlib), {@code deflate-raw} and {@code gzip}.
 *
 * <p>No zlib state lives in the host between calls, so nothing is left to free when a context goes: compression
 * deflates each chunk on its own and ends it on a byte boundary (a sync flush), which concatenated is one valid
 * stream, and the guest carries the checksum from call to call; decompression takes the whole compressed body at the
 * end. Its output is capped by the context's allocation cap, so a small body that inflates to gigabytes is refused
 * rather than filling the JVM's heap inside a host call the deadline cannot interrupt. Answers are {@code "+"} and
 * the result, or {@code "-"} and why there is none.
 */
final class WebCompression {

  private static final int[] CRC_TABLE = new int[256];

  static {
    for (int n = 0; n < 256; n++) {
      int c = n;
      for (int k = 0; k < 8; k++) {
        c = (c & 1) != 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      CRC_TABLE[n] = c;
    }
  }

  /** What one step of inflating writes into. */
  private static final int INFLATE_BLOCK = 1 << 16;
  /** A final block that holds no data: what ends a stream whose blocks were sync-flushed. */
  private static final byte[] EMPTY_FINAL_BLOCK = {0x03, 0x00};
  private static final byte[] ZLIB_HEADER = {0x78, (byte) 0x9c};
  /** Magic, deflate, no flags, no time, no extra flags, unknown system. */
  private static final byte[] GZIP_HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  private WebCompression() {
  }

  /**
   * compress(format, data, first, last, checksum, totalLength) -> "+" checksum ":" output: {@code first} adds the
   * format's header, {@code last} ends the stream with its trailer; {@code checksum} is the running Adler-32
   * ({@code deflate}, starting at 1) or CRC-32 ({@code gzip}, starting at 0) of everything before {@code data}, and
   * {@code totalLength} the length of all of it modulo 2^32 (gzip's trailer). An optional seventh argument is zlib's
   * level, -1 (the default, 6) to 9 (node:zlib's {@code level} option; the Compression standard has none).
   */
  static final ProxyExecutable COMPRESS = answering("-the compression could not run", arguments -> {
    String format = arguments[0].asString();
    if (!format.equals("deflate") && !format.equals("deflate-raw") && !format.equals("gzip")) {
      return "-the format " + format + " is not supported";
    }
    byte[] data = bytes(arguments[1]);
    boolean first = arguments[2].asBoolean();
    boolean last = arguments[3].asBoolean();
    long checksum = arguments[4].asLong();
    long total = arguments[5].asLong();
    int level = arguments.length > 6 ? arguments[6].asInt() : Deflater.DEFAULT_COMPRESSION;
    if (level < Deflater.DEFAULT_COMPRESSION || level > Deflater.BEST_COMPRESSION) {
      return "-the level must be -1 to 9, not " + level;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 64);
    if (first) {
      out.writeBytes(format.equals("gzip") ? GZIP_HEADER : format.equals("deflate") ? ZLIB_HEADER : new byte[0]);
    }
    if (data.length > 0) {
      Deflater deflater = new Deflater(level, true);
      try {
        deflater.setInput(data);
        byte[] buffer = new byte[Math.max(64, Math.min(data.length + 64, 1 << 16))];
        int n;
        do {
          n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
          out.write(buffer, 0, n);
        } while (n == buffer.length || !deflater.needsInput());
      } finally {
        deflater.end();
      }
      checksum = format.equals("gzip") ? crc32(checksum, data) : adler32(checksum, data);
    }
    if (last) {
      out.writeBytes(EMPTY_FINAL_BLOCK);
      if (format.equals("deflate")) {
        writeInt(out, checksum, true);
      } else if (format.equals("gzip")) {
        writeInt(out, checksum, false);
        writeInt(out, total, false);
      }
    }
    return "+" + checksum + ":" + latin1(out.toByteArray());
  });

  /** decompress(format, data) for a context whose allocations are capped at {@code maxBytes}. */
  static ProxyExecutable decompressor(long maxBytes) {
    return answering("-the data could not be decompressed", arguments -> {
      String format = arguments[0].asString();
      byte[] data = bytes(arguments[1]);
      try {
        return switch (format) {
          case "deflate" -> "+" + latin1(inflate(data, 0, false, maxBytes, null));
          case "deflate-raw" -> "+" + latin1(inflate(data, 0, true, maxBytes, null));
          case "gzip" -> "+" + latin1(gunzip(data, maxBytes));
          default -> "-the format " + format + " is not supported";
        };
      } catch (DataFormatException | IllegalArgumentException e) {
        return "-the data is not valid " + format + ": " + e.getMessage();
      }
    });
  }

  private static byte[] gunzip(byte[] data, long maxBytes) throws DataFormatException {
    if (data.length < 18 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b || data[2] != 8) {
      throw new IllegalArgumentException("no gzip header");
    }
    int flags = data[3] & 0xff;
    int at = 10;
    if ((flags & 4) != 0) {
      at += 2 + ((data[at] & 0xff) | (data[at + 1] & 0xff) << 8);
    }
    for (int field : new int[] {8, 16}) {
      if ((flags & field) != 0) {
        while (at < data.length && data[at] != 0) {
          at++;
        }
        at++;
      }
    }
    if ((flags & 2) != 0) {
      at += 2;
    }
    if (at >= data.length) {
      throw new IllegalArgumentException("the header runs past the data");
    }
    int[] end = new int[1];
    byte[] out = inflate(data, at, true, maxBytes, end);
    if (data.length - end[0] != 8) {
      throw new IllegalArgumentException(data.length - end[0] < 8 ? "the trailer is cut short"
          : "data follows the end of the compressed stream");
    }
    CRC32 check = new CRC32();
    check.update(out);
    if (readInt(data, end[0]) != check.getValue() || readInt(data, end[0] + 4) != (out.length & 0xffffffffL)) {
      throw new IllegalArgumentException("the checksum does not match");
    }
    return out;
  }

  /**
   * Inflates {@code data} from {@code offset}; {@code end}, when given, receives where the compressed stream ended
   * (a trailer may follow it), otherwise nothing may follow it.
   */
  private static byte[] inflate(byte[] data, int offset, boolean raw, long maxBytes, int[] end)
      throws DataFormatException {
    Inflater inflater = new Inflater(raw);
    try {
      inflater.setInput(data, offset, data.length - offset);
      // inflated into blocks of its own and joined once at the end: a growing array copied itself at every doubling,
      // and the host's allocations count against the activation's memory budget, so a body that inflates past the
      // cap ran out of budget before it reached the cap, depending on when the budget was looked at
      List<byte[]> blocks = new ArrayList<>();
      long length = 0;
      while (!inflater.finished()) {
        byte[] block = new byte[INFLATE_BLOCK];
        int n = inflater.inflate(block);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("the compressed stream is cut short");
        }
        if (length + n > maxBytes) {
          throw new IllegalArgumentException("it inflates to more than " + maxBytes + " bytes");
        }
        if (n > 0) {
          blocks.add(n == block.length ? block : Arrays.copyOf(block, n));
          length += n;
        }
      }
      int consumed = data.length - inflater.getRemaining();
      if (end != null) {
        end[0] = consumed;
      } else if (consumed != data.length) {
        throw new IllegalArgumentException("data follows the end of the compressed stream");
      }
      byte[] out = new byte[(int) length];
      int at = 0;
      for (byte[] block : blocks) {
        System.arraycopy(block, 0, out, at, block.length);
        at += block.length;
      }
      return out;
    } finally {
      inflater.end();
    }
  }

  /**
   * The CRC-32 of {@code data} continued from {@code crc}: the JDK's {@link CRC32} cannot start from a value, and
   * compression carries it from chunk to chunk. A whole body (decompression's check) uses the JDK's own.
   */
  static long crc32(long crc, byte[] data) {
    int c = ~(int) crc;
    for (byte b : data) {
      c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
    }
    return ~c & 0xffffffffL;
  }

  static long adler32(long adler, byte[] data) {
    long a = adler & 0xffff;
    long b = (adler >>> 16) & 0xffff;
    for (int i = 0; i < data.length; ) {
      int stop = Math.min(data.length, i + 5552);
      for (; i < stop; i++) {
        a += data[i] & 0xff;
        b += a;
      }
      a %= 65521;
      b %= 65521;
    }
    return b << 16 | a;
  }

  private static void writeInt(ByteArrayOutputStream out, long value, boolean bigEndian) {
    for (int i = 0; i < 4; i++) {
      int shift = bigEndian ? 24 - 8 * i : 8 * i;
      out.write((int) (value >>> shift) & 0xff);
    }
  }

  private static long readInt(byte[] data, int at) {
    return (data[at] & 0xffL) | (data[at + 1] & 0xffL) << 8 | (data[at + 2] & 0xffL) << 16
        | (data[at + 3] & 0xffL) << 24;
  }
}
