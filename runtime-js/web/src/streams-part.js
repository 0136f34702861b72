  // The glue of the streams part, appended by build.sh after the bundled ponyfill (`webStreams`), inside
  // installWebPart: registers each global with cs-web.js and adds TextEncoderStream and TextDecoderStream, which the
  // Encoding standard defines as transform streams around an encoder and a decoder.
  const { freeze, lazy, webGlobal } = web;
  const streams = webStreams;
  const NAMES = ['ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'ReadableByteStreamController',
    'ReadableStream', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest', 'ReadableStreamDefaultController',
    'ReadableStreamDefaultReader', 'TransformStream', 'TransformStreamDefaultController', 'WritableStream',
    'WritableStreamDefaultController', 'WritableStreamDefaultWriter'];
  for (let i = 0; i < NAMES.length; i++) {
    const name = NAMES[i];
    lazy(name, () => streams[name]);
  }

  class TextEncoderStream {
    #transform;
    constructor() {
      const encoder = new (webGlobal('TextEncoder'))();
      // A high surrogate that ends a chunk waits for the low one that may begin the next.
      let pending = '';
      this.#transform = new streams.TransformStream({
        transform(chunk, controller) {
          let text = pending + String(chunk);
          pending = '';
          const last = text.charCodeAt(text.length - 1);
          if (last >= 0xd800 && last <= 0xdbff) {
            pending = text.slice(-1);
            text = text.slice(0, -1);
          }
          if (text.length > 0) {
            controller.enqueue(encoder.encode(text));
          }
        },
        flush(controller) {
          if (pending !== '') {
            controller.enqueue(new Uint8Array([0xef, 0xbf, 0xbd]));
          }
        },
      });
    }
    get encoding() {
      return 'utf-8';
    }
    get readable() {
      return this.#transform.readable;
    }
    get writable() {
      return this.#transform.writable;
    }
    get [Symbol.toStringTag]() {
      return 'TextEncoderStream';
    }
  }

  class TextDecoderStream {
    #transform;
    #decoder;
    constructor(label = 'utf-8', options = undefined) {
      const decoder = new (webGlobal('TextDecoder'))(label, options);
      this.#decoder = decoder;
      this.#transform = new streams.TransformStream({
        transform(chunk, controller) {
          const text = decoder.decode(chunk, { stream: true });
          if (text !== '') {
            controller.enqueue(text);
          }
        },
        flush(controller) {
          const text = decoder.decode();
          if (text !== '') {
            controller.enqueue(text);
          }
        },
      });
    }
    get encoding() {
      return this.#decoder.encoding;
    }
    get fatal() {
      return this.#decoder.fatal;
    }
    get ignoreBOM() {
      return this.#decoder.ignoreBOM;
    }
    get readable() {
      return this.#transform.readable;
    }
    get writable() {
      return this.#transform.writable;
    }
    get [Symbol.toStringTag]() {
      return 'TextDecoderStream';
    }
  }

  lazy('TextEncoderStream', () => TextEncoderStream);
  lazy('TextDecoderStream', () => TextDecoderStream);

  // For the bodies of Request and Response (web-fetch.js): the class, and whether a stream was ever read from or
  // cancelled, which the standard calls disturbed and the ponyfill keeps as `_disturbed`.
  return freeze({
    ReadableStream: streams.ReadableStream,
    isDisturbed: (stream) => stream._disturbed === true,
  });
