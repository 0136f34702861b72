// ReadableStream, WritableStream, TransformStream, their readers, writers and controllers and the queuing
// strategies: web-streams-polyfill's ponyfill, which follows the WHATWG Streams standard and is tested against the
// web-platform-tests; it defines no globals of its own.
export * from 'web-streams-polyfill';
