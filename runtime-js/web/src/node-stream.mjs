// node:stream, bundled by build.sh into the runtime's node/stream.mjs: the npm readable-stream package (Node.js's own
// streams, published for other platforms) over the runtime's Buffer, process.nextTick and AbortController, and the
// node:events and node:string_decoder modules, so a stream is an EventEmitter of node:events. The default export is
// Stream, with the classes and functions as its properties, as on Node.js.
import readable from 'readable-stream';

const Stream = readable.Stream;

export const { Readable, Writable, Duplex, Transform, PassThrough, pipeline, finished, addAbortSignal, compose,
  destroy, isDestroyed, isDisturbed, isErrored, isReadable, isWritable, getDefaultHighWaterMark,
  setDefaultHighWaterMark } = Stream;
export const promises = Stream.promises;
export { Stream };
export default Stream;
