package io.codesous.runtime;

import static io.codesous.runtime.Results.assertSuccessBody;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** node:stream and node:stream/promises: Node.js's streams (the readable-stream package) as Node.js code uses them. */
class NodeStreamTest {

  @RegisterExtension
  static final SharedRuntime runtime = new SharedRuntime();

  @Test
  void aPipelineOfAReadableATransformAndAWritableCarriesEveryChunkInOrder() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { Readable, Transform, Writable } from 'node:stream';
        import { pipeline } from 'node:stream/promises';
        export const handler = async () => {
          const lines = [];
          const upper = new Transform({
            transform(chunk, encoding, callback) { callback(null, chunk.toString().toUpperCase()); },
          });
          const sink = new Writable({
            write(chunk, encoding, callback) { lines.push(chunk.toString()); setTimeout(callback, 1); },
          });
          await pipeline(Readable.from(['a', 'b', 'c'].map((s) => Buffer.from(s))), upper, sink);
          return {statusCode: 200, body: lines.join()};
        };
        """));

    assertEquals("A,B,C", assertSuccessBody(result));
  }

  @Test
  void objectModeStreamsIterateAsyncAndAStreamIsAnEventEmitterOfNodeEvents() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import stream, { Readable, PassThrough, Stream } from 'stream';
        import { EventEmitter } from 'node:events';
        import { createRequire } from 'node:module';
        const require = createRequire(import.meta.url);
        export const handler = async () => {
          const through = new PassThrough({objectMode: true});
          const events = [];
          through.on('end', () => events.push('end'));
          Readable.from([{n: 1}, {n: 2}, {n: 3}]).pipe(through);
          let sum = 0;
          for await (const item of through) {
            sum += item.n;
          }
          await new Promise((resolve) => setTimeout(resolve, 1));
          return {statusCode: 200, body: JSON.stringify([sum, events, through instanceof EventEmitter,
            stream === Stream, stream.Readable === Readable, require('stream') === stream,
            require('node:stream/promises').pipeline === stream.promises.pipeline])};
        };
        """));

    assertEquals("[6,[\"end\"],true,true,true,true,true]", assertSuccessBody(result));
  }

  @Test
  void aFailingTransformRejectsThePipelineAndDestroysTheOtherStreams() {
    ExecutionResult result = runtime.run(TestRequest.entry("""
        import { Readable, Transform, Writable } from 'node:stream';
        import { pipeline, finished } from 'node:stream/promises';
        export const handler = async () => {
          const source = new Readable({read() { this.push('chunk'); }});
          const failing = new Transform({
            transform(chunk, encoding, callback) { callback(new Error('bad chunk')); },
          });
          const sink = new Writable({write(chunk, encoding, callback) { callback(); }});
          const message = await pipeline(source, failing, sink).then(() => 'resolved', (e) => e.message);
          const whole = Readable.from(['x', 'y']);
          whole.resume();
          await finished(whole);
          return {statusCode: 200, body: [message, source.destroyed, sink.destroyed, whole.readableEnded].join()};
        };
        """));

    assertEquals("bad chunk,true,true,true", assertSuccessBody(result));
  }
}
