// node:stream/promises: node:stream's promise API (pipeline, finished) by name.
import Stream from 'node:stream';

export const pipeline = Stream.promises.pipeline;
export const finished = Stream.promises.finished;
export default Stream.promises;
