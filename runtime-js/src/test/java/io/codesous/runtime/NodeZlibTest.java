package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** node:zlib: the convenience functions, the streams and crc32, as Node.js code and npm packages use them. */
class NodeZlibTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  /** What Node.js 20's zlib made of {@link #TEXT}: gzipSync, deflateSync and deflateRawSync, in base64. */
  private static final String NODE_GZIP = "H4sIAAAAAAAAA0vOT0nVLc4vLVZIHtKsw3vyDq9PPrwt5fBKhUdzJgMAK8bNo9cAAAA=";
  private static final String NODE_DEFLATE = "eJxLzk9J1S3OLy1WSB7SrMN78g6vTz68LeXwSoVHcyYDALYXUyU=";
  private static final String NODE_DEFLATE_RAW = "S85PSdUtzi8tVkge0qzDe/IOr08+vC3l8EqFR3MmAwA=";
  private static final String TEXT = "code-sous ".repeat(20) + "ünïcödé ✓";

  @Test
  void whatNodeJsCompressedDecompressesInEveryFormatAndUnzipTellsGzipFromZlib() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import zlib, { gunzipSync, inflateSync, inflateRawSync, unzipSync } from 'node:zlib';
        const b = (s) => Buffer.from(s, 'base64');
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          gunzipSync(b('%s')).toString(),
          inflateSync(b('%s')).toString(),
          inflateRawSync(b('%s')).toString(),
          unzipSync(b('%s')).toString() === unzipSync(b('%s')).toString(),
          Buffer.isBuffer(gunzipSync(b('%s'))),
          zlib.gunzipSync === gunzipSync,
        ])});
        """.formatted(NODE_GZIP, NODE_DEFLATE, NODE_DEFLATE_RAW, NODE_GZIP, NODE_DEFLATE, NODE_GZIP)));

    assertEquals("[\"" + TEXT + "\",\"" + TEXT + "\",\"" + TEXT + "\",true,true,true]", assertSuccessBody(result));
  }

  @Test
  void whatItCompressesIsReadByTheJdksOwnGzipAndZlibReaders() throws IOException {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { gzipSync, deflateSync, deflateRawSync, inflateRawSync } from 'node:zlib';
        const text = %s;
        export const handler = () => ({statusCode: 200, body: [
          gzipSync(text).toString('base64'),
          deflateSync(new TextEncoder().encode(text), {level: 9}).toString('base64'),
          inflateRawSync(deflateRawSync(Buffer.from(text).buffer)).toString() === text,
        ].join(' ')});
        """.formatted(quoted(TEXT))));

    String[] answers = assertSuccessBody(result).split(" ");
    assertArrayEquals(bytes(TEXT), readAll(new GZIPInputStream(decode(answers[0]))), "gzip");
    assertArrayEquals(bytes(TEXT), readAll(new InflaterInputStream(decode(answers[1]))), "zlib");
    assertEquals("true", answers[2], "deflate-raw round trip");
  }

  @Test
  void theLevelDecidesTheSizeAndOneOutOfRangeIsRefusedAsNodeJsRefusesIt() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { gzipSync, constants } from 'node:zlib';
        import zlib from 'node:zlib';
        const text = 'abcdefgh'.repeat(4096);
        export const handler = () => {
          let refused;
          try {
            gzipSync(text, {level: 10});
          } catch (e) {
            refused = [e.name, e.code, e.message];
          }
          const stored = gzipSync(text, {level: constants.Z_NO_COMPRESSION}).length;
          const best = gzipSync(text, {level: zlib.Z_BEST_COMPRESSION}).length;
          return {statusCode: 200, body: JSON.stringify([stored > text.length, best < 200, refused])};
        };
        """));

    assertEquals("[true,true,[\"RangeError\",\"ERR_OUT_OF_RANGE\",\"The value of \\\"options.level\\\" is out of "
        + "range. It must be >= -1 and <= 9. Received 10\"]]", assertSuccessBody(result));
  }

  @Test
  void dataThatIsNotCompressedFailsWithZlibsCodeAndAnOutputBeyondItsLimitWithNodeJssRangeError() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { gunzipSync, inflateSync, gzipSync, gunzip } from 'node:zlib';
        const failure = (f) => {
          try {
            f();
            return 'no error';
          } catch (e) {
            return [e.name, e.code, e.errno ?? null];
          }
        };
        export const handler = async () => {
          const viaCallback = await new Promise((resolve) => gunzip(Buffer.from('not gzip at all, long enough'),
            (error, out) => resolve([error.code, out === undefined])));
          return {statusCode: 200, body: JSON.stringify([
            failure(() => gunzipSync(Buffer.from('not gzip at all, long enough'))),
            failure(() => inflateSync(Buffer.from('xx not zlib'))),
            failure(() => gunzipSync(gzipSync('a'.repeat(1000)), {maxOutputLength: 10})),
            failure(() => gunzipSync(42)),
            viaCallback,
          ])};
        };
        """));

    assertEquals("[[\"Error\",\"Z_DATA_ERROR\",-3],[\"Error\",\"Z_DATA_ERROR\",-3],"
        + "[\"RangeError\",\"ERR_BUFFER_TOO_LARGE\",null],[\"TypeError\",\"ERR_INVALID_ARG_TYPE\",null],"
        + "[\"Z_DATA_ERROR\",true]]", assertSuccessBody(result));
  }

  @Test
  void theCallbackFormsAnswerOnALaterTurnAndPromisifyAsNodeJssDo() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { gzip, gunzip, deflate, inflate } from 'node:zlib';
        import { promisify } from 'node:util';
        export const handler = async () => {
          const order = [];
          const zipped = await new Promise((resolve, reject) => {
            gzip('once more', (error, out) => {
              order.push('callback');
              return error ? reject(error) : resolve(out);
            });
            order.push('after the call');
          });
          const back = (await promisify(gunzip)(zipped)).toString();
          const viaOptions = (await promisify(inflate)(await promisify(deflate)('with options', {level: 1})))
            .toString();
          return {statusCode: 200, body: JSON.stringify([order, back, viaOptions])};
        };
        """));

    assertEquals("[[\"after the call\",\"callback\"],\"once more\",\"with options\"]", assertSuccessBody(result));
  }

  @Test
  void streamsCompressAndDecompressThroughAPipelineAcrossManyChunks() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createGzip, createGunzip, createDeflate, createUnzip, gunzipSync, Gzip } from 'node:zlib';
        import { Readable, Writable } from 'node:stream';
        import { pipeline } from 'node:stream/promises';
        export const handler = async () => {
          // 200 chunks of 1 KB: more than one gathering of a compressing stream
          const chunks = Array.from({length: 200}, (_, i) => Buffer.from(String(i % 10).repeat(1024)));
          const expected = Buffer.concat(chunks).toString();
          const zipped = [];
          const gzip = createGzip();
          await pipeline(Readable.from(chunks), gzip, new Writable({
            write(chunk, encoding, callback) { zipped.push(chunk); callback(); },
          }));
          const whole = Buffer.concat(zipped);
          const out = [];
          await pipeline(Readable.from([whole.subarray(0, 7), whole.subarray(7)]), createGunzip(), new Writable({
            write(chunk, encoding, callback) { out.push(chunk); callback(); },
          }));
          const viaUnzip = [];
          await pipeline(Readable.from([Buffer.from('zlib data')]), createDeflate(), createUnzip(), new Writable({
            write(chunk, encoding, callback) { viaUnzip.push(chunk); callback(); },
          }));
          return {statusCode: 200, body: JSON.stringify([
            gunzipSync(whole).toString() === expected,
            Buffer.concat(out).toString() === expected,
            zipped.length > 1,
            gzip.bytesWritten,
            gzip instanceof Gzip,
            Buffer.concat(viaUnzip).toString(),
          ])};
        };
        """));

    assertEquals("[true,true,true,204800,true,\"zlib data\"]", assertSuccessBody(result));
  }

  @Test
  void aStreamThatFailsToDecompressEmitsZlibsErrorAndFlushGivesOutWhatWasGathered() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createGunzip, createDeflate, inflateSync } from 'node:zlib';
        import { Readable, PassThrough } from 'node:stream';
        import { pipeline } from 'node:stream/promises';
        export const handler = async () => {
          const failed = await pipeline(Readable.from([Buffer.from('plain text, not gzip')]), createGunzip(),
            new PassThrough()).then(() => 'resolved', (e) => e.code);
          const deflate = createDeflate();
          const out = [];
          deflate.on('data', (chunk) => out.push(chunk));
          deflate.write('flushed before the end');
          await new Promise((resolve) => deflate.flush(resolve));
          const beforeEnd = Buffer.concat(out).length;
          await new Promise((resolve) => deflate.end(resolve));
          return {statusCode: 200, body: JSON.stringify([failed, beforeEnd > 0,
            inflateSync(Buffer.concat(out)).toString()])};
        };
        """));

    assertEquals("[\"Z_DATA_ERROR\",true,\"flushed before the end\"]", assertSuccessBody(result));
  }

  @Test
  void crc32MatchesNodeJsAndContinuesFromAValue() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { crc32 } from 'node:zlib';
        export const handler = () => ({statusCode: 200, body: JSON.stringify([
          crc32('hello'), crc32('world', crc32('hello ')), crc32(Buffer.from('hello world')), crc32(''),
        ])});
        """));

    // Node.js 20.20's zlib.crc32 of the same inputs
    assertEquals("[907060870,222957957,222957957,0]", assertSuccessBody(result));
  }

  @Test
  void brotliAndAPresetDictionaryAreRefusedAndTheTuningOptionsCheckedAsNodeJsChecksThem() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { brotliCompressSync, brotliDecompress, createBrotliCompress, deflateSync } from 'node:zlib';
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        const failure = (f) => {
          try {
            f();
            return 'no error';
          } catch (e) {
            return [e.code, e.message];
          }
        };
        export const handler = async () => {
          const viaCallback = await new Promise((resolve) => brotliDecompress(Buffer.alloc(4), (e) => resolve(e.code)));
          return {statusCode: 200, body: JSON.stringify([
            failure(() => brotliCompressSync('x')),
            failure(() => createBrotliCompress()),
            failure(() => deflateSync('x', {windowBits: 16})),
            require('node:zlib').inflateSync(deflateSync('tuned', {windowBits: 9, memLevel: 9, strategy: 3}))
              .toString(),
            failure(() => deflateSync('x', {dictionary: Buffer.from('dict')})),
            viaCallback,
          ])};
        };
        """));

    String brotli = "[\"ERR_FEATURE_UNAVAILABLE_ON_PLATFORM\",\"Brotli is not available in code-sous: the JDK has "
        + "no Brotli; use gzip or deflate\"]";
    assertEquals("[" + brotli + "," + brotli + ",[\"ERR_OUT_OF_RANGE\",\"The value of \\\"options.windowBits\\\" is "
        + "out of range. It must be >= 8 and <= 15. Received 16\"],\"tuned\","
        + "[\"ERR_FEATURE_UNAVAILABLE_ON_PLATFORM\",\"node:zlib: a preset dictionary is not supported in code-sous\"],"
        + "\"ERR_FEATURE_UNAVAILABLE_ON_PLATFORM\"]", assertSuccessBody(result));
  }

  @Test
  void commonJsCodeRequiresItWithItsConstantsAndCodesOnTheModule() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        export const handler = () => {
          const zlib = require('zlib');
          return {statusCode: 200, body: JSON.stringify([zlib === require('node:zlib'), zlib.Z_BEST_COMPRESSION,
            zlib.constants.Z_SYNC_FLUSH, zlib.codes.Z_DATA_ERROR, zlib.codes['-3'],
            zlib.inflateSync(zlib.deflateSync('required')).toString()])};
        };
        """));

    assertEquals("[true,9,2,-3,\"Z_DATA_ERROR\",\"required\"]", assertSuccessBody(result));
  }

  private static String quoted(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static InputStream decode(String base64) {
    return new ByteArrayInputStream(Base64.getDecoder().decode(base64));
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readAllBytes();
    }
  }
}
