package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * CompressionStream and DecompressionStream in the Compression standard's three formats: what the sandbox compresses
 * in several chunks, the JDK's own readers (GZIPInputStream, InflaterInputStream) decompress; what the JDK
 * compresses, the sandbox decompresses; and bodies that are cut short, followed by junk or inflate past the
 * context's allocation cap are refused with a TypeError.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebCompressionTest {

  private static final String TEXT = "code-sous compresses what it streams, ".repeat(40);
  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  /** Compresses TEXT in three chunks in the sandbox; answers the bytes, base64. */
  private static byte[] compressedInside(String format) {
    String body = assertSuccessBody(runtime.execute(TestRequest.asyncHandler("""
        const text = %s;
        const encoder = new TextEncoder();
        const third = Math.floor(text.length / 3);
        const source = ReadableStream.from([text.slice(0, third), text.slice(third, 2 * third), text.slice(2 * third)]
            .map((part) => encoder.encode(part)));
        const parts = [];
        for await (const chunk of source.pipeThrough(new CompressionStream('%s'))) parts.push(...chunk);
        return {statusCode: 200, body: btoa(String.fromCharCode(...parts))};
        """.formatted(jsString(TEXT), format)).build()));
    return Base64.getDecoder().decode(body);
  }

  private static String jsString(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static String readAll(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void whatTheSandboxCompressesInChunksTheJdkDecompresses() throws Exception {
    byte[] gzip = compressedInside("gzip");
    assertEquals(TEXT, readAll(new GZIPInputStream(new ByteArrayInputStream(gzip))), "gzip, its CRC and length");
    byte[] deflate = compressedInside("deflate");
    assertEquals(TEXT, readAll(new InflaterInputStream(new ByteArrayInputStream(deflate))), "zlib, its Adler-32");
    byte[] raw = compressedInside("deflate-raw");
    assertEquals(TEXT, readAll(new InflaterInputStream(new ByteArrayInputStream(raw), new Inflater(true))),
        "raw deflate");
    assertTrue(TEXT.length() > 4 * gzip.length, "it compresses: " + gzip.length + " bytes");
  }

  private static String decompressInside(String format, byte[] compressed, long memoryBytes) {
    ExecutionResult result = runtime.execute(TestRequest.asyncHandler("""
        const bytes = Uint8Array.from(atob(event.data), (c) => c.charCodeAt(0));
        const half = bytes.length >> 1;
        try {
          const stream = ReadableStream.from([bytes.slice(0, half), bytes.slice(half)])
              .pipeThrough(new DecompressionStream(event.format));
          let length = 0;
          let text = '';
          for await (const chunk of stream) {
            length += chunk.length;
            if (length < 10000) text += new TextDecoder().decode(chunk);
          }
          return {statusCode: 200, body: length < 10000 ? text : 'inflated ' + length};
        } catch (e) {
          return {statusCode: 200, body: e.name + ': ' + e.message};
        }
        """).event("{\"format\":\"" + format + "\",\"data\":\"" + Base64.getEncoder().encodeToString(compressed)
        + "\"}").memoryBytes(memoryBytes).build());
    return assertSuccessBody(result);
  }

  @Test
  void whatTheJdkCompressesTheSandboxDecompresses() throws Exception {
    byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(text);
    }
    assertEquals(TEXT, decompressInside("gzip", gzip.toByteArray(), 128L << 20));
    ByteArrayOutputStream zlib = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(zlib)) {
      out.write(text);
    }
    assertEquals(TEXT, decompressInside("deflate", zlib.toByteArray(), 128L << 20));
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    try (DeflaterOutputStream out = new DeflaterOutputStream(raw, new Deflater(Deflater.BEST_SPEED, true))) {
      out.write(text);
    }
    assertEquals(TEXT, decompressInside("deflate-raw", raw.toByteArray(), 128L << 20));
  }

  @Test
  void bodiesCutShortFollowedByJunkOrInflatingPastTheCapAreRefused() throws Exception {
    ByteArrayOutputStream gzip = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
      out.write(TEXT.getBytes(StandardCharsets.UTF_8));
    }
    byte[] whole = gzip.toByteArray();
    byte[] cut = Arrays.copyOf(whole, whole.length - 12);
    assertEquals("TypeError: DecompressionStream: the data is not valid gzip: the compressed stream is cut short",
        decompressInside("gzip", cut, 128L << 20));
    byte[] junk = Arrays.copyOf(whole, whole.length + 3);
    assertEquals("TypeError: DecompressionStream: the data is not valid gzip: data follows the end of the compressed "
        + "stream", decompressInside("gzip", junk, 128L << 20));
    byte[] tampered = whole.clone();
    tampered[tampered.length - 6] ^= 1;
    assertEquals("TypeError: DecompressionStream: the data is not valid gzip: the checksum does not match",
        decompressInside("gzip", tampered, 128L << 20));
    // 64 MB of zeros compress to about 64 KB; a context with a 16 MB budget may hold strings of 8 MB at most
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bomb)) {
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        out.write(zeros);
      }
    }
    assertEquals("TypeError: DecompressionStream: the data is not valid gzip: it inflates to more than 8388608 bytes",
        decompressInside("gzip", bomb.toByteArray(), 16L << 20));
    assertEquals("TypeError: DecompressionStream: the format must be deflate, deflate-raw or gzip, not br",
        decompressInside("br", whole, 128L << 20));
  }
}
