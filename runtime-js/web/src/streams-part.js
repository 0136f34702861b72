  // The glue of the streams part, appended by build.sh after the bundled ponyfill (`webStreams`), inside
  // installWebPart: registers each global with cs-web.js and adds TextEncoderStream and TextDecoderStream, which the
  // Encoding standard defines as transform streams around an encoder and a decoder, and the Compression standard's
  // CompressionStream and DecompressionStream.
  const { TypeErrorType, concatBytes, freeze, fromLatin1, host, lazy, toLatin1, viewOf, webGlobal } = web;
  const streams = webStreams;
  const NAMES = ['ByteLengthQueuingStrategy', 'CountQueuingStrategy', 'ReadableByteStreamController',
    'ReadableStream', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest', 'ReadableStreamDefaultController',
    'ReadableStreamDefaultReader', 'TransformStream', 'TransformStreamDefaultController', 'WritableStream',
    'WritableStreamDefaultController', 'WritableStreamDefaultWriter'];
  for (let i = 0; i < NAMES.length; i++) {
    const name = NAMES[i];
    lazy(name, () => streams[name]);
  }

  // What the Encoding and Compression standards call a GenericTransformStream: the two sides of a transform stream.
  class GenericTransformStream {
    #transform;
    constructor(transformer) {
      this.#transform = new streams.TransformStream(transformer);
    }
    get readable() {
      return this.#transform.readable;
    }
    get writable() {
      return this.#transform.writable;
    }
  }

  class TextEncoderStream extends GenericTransformStream {
    constructor() {
      const encoder = new (webGlobal('TextEncoder'))();
      // A high surrogate that ends a chunk waits for the low one that may begin the next.
      let pending = '';
      super({
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
    get [Symbol.toStringTag]() {
      return 'TextEncoderStream';
    }
  }

  class TextDecoderStream extends GenericTransformStream {
    #decoder;
    constructor(label = 'utf-8', options = undefined) {
      const decoder = new (webGlobal('TextDecoder'))(label, options);
      super({
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
      this.#decoder = decoder;
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
    get [Symbol.toStringTag]() {
      return 'TextDecoderStream';
    }
  }

  lazy('TextEncoderStream', () => TextEncoderStream);
  lazy('TextDecoderStream', () => TextDecoderStream);

  // CompressionStream and DecompressionStream: the Compression standard's formats, over the JDK's zlib. The host keeps
  // no state between calls: each chunk is compressed on its own (the guest carries the checksum), and a body is
  // decompressed whole once its last chunk came, its output capped by the longest string the context may hold.
  const FORMATS = ['deflate', 'deflate-raw', 'gzip'];

  function formatOf(args, what) {
    if (args.length === 0) {
      throw new TypeErrorType(what + ': the format is required');
    }
    const format = String(args[0]);
    if (FORMATS.indexOf(format) < 0) {
      throw new TypeErrorType(what + ': the format must be deflate, deflate-raw or gzip, not ' + format);
    }
    return format;
  }

  class CompressionStream extends GenericTransformStream {
    constructor(format) {
      const f = formatOf(arguments, 'CompressionStream');
      let first = true;
      let checksum = f === 'deflate' ? 1 : 0;
      let total = 0;
      const step = (bytes, last, controller) => {
        const answer = host.compress(f, toLatin1(bytes), first, last, checksum, total);
        if (answer.charAt(0) !== '+') {
          throw new TypeErrorType('CompressionStream: ' + answer.slice(1));
        }
        first = false;
        const colon = answer.indexOf(':');
        checksum = +answer.slice(1, colon);
        if (colon + 1 < answer.length) {
          controller.enqueue(fromLatin1(answer.slice(colon + 1)));
        }
      };
      super({
        transform(chunk, controller) {
          const bytes = viewOf(chunk);
          if (bytes.length > 0) {
            total = (total + bytes.length) % 4294967296;
            step(bytes, false, controller);
          }
        },
        flush(controller) {
          step(new Uint8Array(0), true, controller);
        },
      });
    }
    get [Symbol.toStringTag]() {
      return 'CompressionStream';
    }
  }

  class DecompressionStream extends GenericTransformStream {
    constructor(format) {
      const f = formatOf(arguments, 'DecompressionStream');
      const chunks = [];
      super({
        transform(chunk) {
          chunks.push(viewOf(chunk).slice());
        },
        flush(controller) {
          const answer = host.decompress(f, toLatin1(concatBytes(chunks)));
          chunks.length = 0;
          if (answer.charAt(0) !== '+') {
            throw new TypeErrorType('DecompressionStream: ' + answer.slice(1));
          }
          if (answer.length > 1) {
            controller.enqueue(fromLatin1(answer.slice(1)));
          }
        },
      });
    }
    get [Symbol.toStringTag]() {
      return 'DecompressionStream';
    }
  }

  lazy('CompressionStream', () => CompressionStream);
  lazy('DecompressionStream', () => DecompressionStream);

  // For the bodies of Request and Response (web-fetch.js): the class, and whether a stream was ever read from or
  // cancelled, which the standard calls disturbed and the ponyfill keeps as `_disturbed`.
  return freeze({
    ReadableStream: streams.ReadableStream,
    isDisturbed: (stream) => stream._disturbed === true,
  });
