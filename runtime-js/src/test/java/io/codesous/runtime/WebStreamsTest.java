package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The WHATWG Streams of the sandbox (web-streams-polyfill, bundled) with the Encoding standard's stream classes, and
 * the bodies of Request and Response read, cloned and answered as streams.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WebStreamsTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  private static void assertChecks(String checks, int expectedCount) {
    GuestChecks.assertChecks(runtime.get(), """
        const hex = (b) => [...new Uint8Array(b)].map((x) => x.toString(16).padStart(2, '0')).join(' ');
        const collect = async (stream) => { const out = []; for await (const chunk of stream) out.push(chunk);
          return out; };
        """, checks, expectedCount);
  }

  @Test
  void streamsPipeThroughTransformsIntoWritablesAndTee() {
    assertChecks("""
        const upper = new TransformStream({transform(chunk, c) { c.enqueue(chunk.toUpperCase()); }});
        const source = ReadableStream.from(['a', 'b', 'c']);
        t.push(['pipeThrough a transform', (await collect(source.pipeThrough(upper))).join(), 'A,B,C']);
        const written = [];
        const sink = new WritableStream({write(chunk) { written.push(chunk); }, close() { written.push('closed'); }});
        await ReadableStream.from(['x', 'y']).pipeTo(sink);
        t.push(['pipeTo a writable, closed at the end', written.join(), 'x,y,closed']);
        const [left, right] = ReadableStream.from([1, 2]).tee();
        t.push(['tee gives both branches everything',
            (await collect(left)).join() + '|' + (await collect(right)).join(), '1,2|1,2']);
        const reader = ReadableStream.from(['only']).getReader();
        await reader.read();
        await reader.read();
        t.push(['closed resolves once the stream is done', await reader.closed, undefined]);
        const failing = new ReadableStream({start(c) { c.error(new RangeError('broken')); }});
        t.push(['an errored stream rejects its reads', await failing.getReader().read().then(() => 'read',
            (e) => e.name), 'RangeError']);
        const bytes = new ReadableStream({type: 'bytes',
          start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4])); c.close(); }});
        const byob = bytes.getReader({mode: 'byob'});
        const first = await byob.read(new Uint8Array(3));
        t.push(['a BYOB reader fills the buffer it was given', hex(first.value), '01 02 03']);
        const slow = [];
        const queued = new WritableStream({write(chunk) { slow.push(chunk); }},
            new CountQueuingStrategy({highWaterMark: 2}));
        const writer = queued.getWriter();
        t.push(['a writer reports room by the strategy', writer.desiredSize, 2]);
        await writer.write('w');
        await writer.close();
        t.push(['a write reaches the sink', slow.join(), 'w']);
        t.push(['locked while a reader holds it', (() => { const s = new ReadableStream(); s.getReader();
            return s.locked; })(), true]);
        t.push(['queuing strategies', new ByteLengthQueuingStrategy({highWaterMark: 16}).size(new Uint8Array(5)), 5]);
        """, 10);
  }

  @Test
  void textEncoderAndDecoderStreamsKeepCharactersSplitAcrossChunksWhole() {
    assertChecks("""
        const decoded = ReadableStream.from([new Uint8Array([0x61, 0xe2, 0x82]), new Uint8Array([0xac, 0x62])])
            .pipeThrough(new TextDecoderStream());
        t.push(['a euro sign split over two chunks', (await collect(decoded)).join(''), 'a\\u20acb']);
        const encoded = ReadableStream.from(['x\\ud83d', '\\ude00'])
            .pipeThrough(new TextEncoderStream());
        t.push(['a surrogate pair split over two chunks', (await collect(encoded)).map(hex).join(' | '),
            '78 | f0 9f 98 80']);
        const dangling = ReadableStream.from(['\\ud83d']).pipeThrough(new TextEncoderStream());
        t.push(['a lone high surrogate at the end', (await collect(dangling)).map(hex).join(' | '), 'ef bf bd']);
        const fatal = ReadableStream.from([new Uint8Array([0xff])]).pipeThrough(new TextDecoderStream('utf-8',
            {fatal: true}));
        t.push(['fatal decoding errors the stream', await collect(fatal).then(() => 'decoded', (e) => e.name),
            'TypeError']);
        t.push(['encoding', new TextEncoderStream().encoding + ' ' + new TextDecoderStream('latin1').encoding,
            'utf-8 windows-1252']);
        """, 5);
  }

  @Test
  void bodiesAreStreamsThatCanBeClonedPipedAndTellWhetherTheyWereRead() {
    assertChecks("""
        const streamed = () => new Response(ReadableStream.from([new TextEncoder().encode('he'),
            new TextEncoder().encode('llo')]));
        const original = streamed();
        const copy = original.clone();
        t.push(['a streamed body clones into two readable bodies', await original.text() + ' ' + await copy.text(),
            'hello hello']);
        const read = streamed();
        const reader = read.body.getReader();
        await reader.read();
        t.push(['reading the stream uses the body', read.bodyUsed, true]);
        reader.releaseLock();
        t.push(['a used body cannot be read again', await read.text().then(() => 'read', (e) => e.name), 'TypeError']);
        const known = new Response('abc');
        t.push(['a body of known bytes is not used by looking at it', known.body instanceof ReadableStream
            && !known.bodyUsed, true]);
        t.push(['and is read back as text', await known.text(), 'abc']);
        const piped = await collect(new Response('d\\u00e9j\\u00e0').body.pipeThrough(new TextDecoderStream()));
        t.push(['a body piped through a decoder', piped.join(''), 'd\\u00e9j\\u00e0']);
        const request = new Request('https://example.com/', {method: 'POST', body: ReadableStream.from(['x']),
            duplex: 'half'});
        t.push(['a request body of strings is read as their UTF-8', await request.text(), 'x']);
        """, 7);
  }

  @Test
  void aWorkersHandlerAnswersWithAStreamItWritesAfterReturning() {
    ExecutionResult result = runtime.execute(TestRequest.entry("""
        export default {
          fetch() {
            const {readable, writable} = new TransformStream();
            const writer = writable.getWriter();
            const encoder = new TextEncoder();
            (async () => {
              for (let i = 1; i <= 3; i++) {
                await new Promise((r) => setTimeout(r, 5));
                await writer.write(encoder.encode('data: ' + i + '\\n\\n'));
              }
              await writer.close();
            })();
            return new Response(readable, {headers: {'content-type': 'text/event-stream'}});
          },
        };
        """).event("{\"httpMethod\":\"GET\",\"proxyPath\":\"/events\",\"headers\":{\"host\":\"fn.example\"}}")
        .build());
    assertEquals("data: 1\n\ndata: 2\n\ndata: 3\n\n", assertSuccessBody(result));
    assertTrue(result.responseJson().contains("text/event-stream"), result.responseJson());
  }
}
