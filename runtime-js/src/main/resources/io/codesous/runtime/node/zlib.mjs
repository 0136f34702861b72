// node:zlib: deflate, gzip and their raw and auto-detecting kin, over the JDK's zlib that CompressionStream uses (the
// Buffer part, web-buffer.js, hands this module those host calls under a symbol of Buffer). The convenience functions
// (gzipSync, gzip with a callback, and so on), the stream classes (createGzip and the like, Transforms of node:stream,
// built on first use so that a function that only compresses a buffer does not evaluate the streams), constants,
// codes and crc32. What differs from Node.js: a decompressing stream gives its output once its input has ended (the
// host inflates a body whole, its output capped by the context's budget); of the options that tune compression only
// the level has an effect; a preset dictionary, and Brotli, which the JDK lacks, fail with
// ERR_FEATURE_UNAVAILABLE_ON_PLATFORM.
import { invalidArgType, nodeError, requireFunction } from 'node:internal/errors';
import { lazyClass } from 'node:internal/lazy-class';

const getBuiltinModule = globalThis.process.getBuiltinModule;
const Buffer = () => globalThis.Buffer;
let host;

function native() {
  host ??= Buffer()[Symbol.for('code-sous.node:zlib')];
  return host;
}

export const constants = Object.freeze({
  Z_NO_FLUSH: 0, Z_PARTIAL_FLUSH: 1, Z_SYNC_FLUSH: 2, Z_FULL_FLUSH: 3, Z_FINISH: 4, Z_BLOCK: 5,
  Z_OK: 0, Z_STREAM_END: 1, Z_NEED_DICT: 2, Z_ERRNO: -1, Z_STREAM_ERROR: -2, Z_DATA_ERROR: -3, Z_MEM_ERROR: -4,
  Z_BUF_ERROR: -5, Z_VERSION_ERROR: -6,
  Z_NO_COMPRESSION: 0, Z_BEST_SPEED: 1, Z_BEST_COMPRESSION: 9, Z_DEFAULT_COMPRESSION: -1,
  Z_FILTERED: 1, Z_HUFFMAN_ONLY: 2, Z_RLE: 3, Z_FIXED: 4, Z_DEFAULT_STRATEGY: 0, ZLIB_VERNUM: 4865,
  DEFLATE: 1, INFLATE: 2, GZIP: 3, GUNZIP: 4, DEFLATERAW: 5, INFLATERAW: 6, UNZIP: 7, BROTLI_DECODE: 8,
  BROTLI_ENCODE: 9,
  Z_MIN_WINDOWBITS: 8, Z_MAX_WINDOWBITS: 15, Z_DEFAULT_WINDOWBITS: 15, Z_MIN_CHUNK: 64, Z_MAX_CHUNK: Infinity,
  Z_DEFAULT_CHUNK: 16384, Z_MIN_MEMLEVEL: 1, Z_MAX_MEMLEVEL: 9, Z_DEFAULT_MEMLEVEL: 8, Z_MIN_LEVEL: -1,
  Z_MAX_LEVEL: 9, Z_DEFAULT_LEVEL: -1,
  BROTLI_OPERATION_PROCESS: 0, BROTLI_OPERATION_FLUSH: 1, BROTLI_OPERATION_FINISH: 2,
  BROTLI_OPERATION_EMIT_METADATA: 3, BROTLI_PARAM_MODE: 0, BROTLI_MODE_GENERIC: 0, BROTLI_MODE_TEXT: 1,
  BROTLI_MODE_FONT: 2, BROTLI_DEFAULT_MODE: 0, BROTLI_PARAM_QUALITY: 1, BROTLI_MIN_QUALITY: 0,
  BROTLI_MAX_QUALITY: 11, BROTLI_DEFAULT_QUALITY: 11, BROTLI_PARAM_LGWIN: 2, BROTLI_MIN_WINDOW_BITS: 10,
  BROTLI_MAX_WINDOW_BITS: 24, BROTLI_DEFAULT_WINDOW: 22, BROTLI_PARAM_LGBLOCK: 3, BROTLI_PARAM_SIZE_HINT: 5,
});

const CODE_NAMES = ['Z_OK', 'Z_STREAM_END', 'Z_NEED_DICT', 'Z_ERRNO', 'Z_STREAM_ERROR', 'Z_DATA_ERROR',
  'Z_MEM_ERROR', 'Z_BUF_ERROR', 'Z_VERSION_ERROR'];
const codesByName = {};
for (const name of CODE_NAMES) {
  codesByName[name] = constants[name];
  codesByName[constants[name]] = name;
}
export const codes = Object.freeze(codesByName);

// Each mode's host format, and whether it compresses; unzip inflates gzip or zlib data, whichever it is.
const MODES = Object.freeze({
  Deflate: { format: 'deflate', compress: true },
  DeflateRaw: { format: 'deflate-raw', compress: true },
  Gzip: { format: 'gzip', compress: true },
  Inflate: { format: 'deflate', compress: false },
  InflateRaw: { format: 'deflate-raw', compress: false },
  Gunzip: { format: 'gzip', compress: false },
  Unzip: { format: 'unzip', compress: false },
});

function outOfRange(name, range, value) {
  return nodeError(RangeError, 'ERR_OUT_OF_RANGE', 'The value of "options.' + name + '" is out of range. It must be '
    + range + '. Received ' + String(value));
}

function unavailable(what) {
  return nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', what
    + ' is not available in code-sous: the JDK has no Brotli; use gzip or deflate');
}

// A range-checked number option, or its default when absent
function numberOption(options, name, min, max, fallback) {
  const value = options[name];
  if (value === undefined || value === null) {
    return fallback;
  }
  if (typeof value !== 'number') {
    throw invalidArgType('options.' + name, 'number', value);
  }
  if (!(value >= min && value <= max) || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw outOfRange(name, '>= ' + min + ' and <= ' + max, value);
  }
  return value;
}

function settingsOf(options, compress) {
  if (options === undefined || options === null) {
    options = {};
  } else if (typeof options !== 'object') {
    throw invalidArgType('options', 'object', options);
  }
  // checked as Node.js checks them, then left to the JDK's zlib, which lets a caller choose the level only: the window
  // (32 KB), memory and strategy only tune how hard it compresses, and what it makes any inflater reads; a preset
  // dictionary would change what the bytes mean, so it is refused
  numberOption(options, 'chunkSize', 64, Infinity, 16384);
  numberOption(options, 'windowBits', compress ? 8 : 0, 15, 15);
  numberOption(options, 'memLevel', 1, 9, 8);
  numberOption(options, 'strategy', 0, 4, 0);
  numberOption(options, 'finishFlush', 0, 5, 4);
  if (options.dictionary !== undefined) {
    throw notSupported('a preset dictionary');
  }
  return {
    level: numberOption(options, 'level', -1, 9, -1),
    maxOutputLength: numberOption(options, 'maxOutputLength', 1, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
  };
}

function notSupported(what) {
  return nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', 'node:zlib: ' + what
    + ' is not supported in code-sous');
}

let utf8;

// Node.js takes a string (as UTF-8), a Buffer, any TypedArray or DataView, or an ArrayBuffer
function bytesOf(data, what) {
  if (typeof data === 'string') {
    utf8 ??= new globalThis.TextEncoder();
    return utf8.encode(data);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  throw invalidArgType(what, 'string or an instance of Buffer, TypedArray, DataView, or ArrayBuffer', data);
}

function toBuffer(bytes) {
  return Buffer().from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// How Node.js reports bad compressed data: an Error with zlib's code and errno
function dataError(message) {
  const error = nodeError(Error, 'Z_DATA_ERROR', message);
  error.errno = constants.Z_DATA_ERROR;
  return error;
}

function tooLarge(limit) {
  return nodeError(RangeError, 'ERR_BUFFER_TOO_LARGE', 'Cannot create a Buffer larger than ' + limit + ' bytes');
}

function checksumStart(format) {
  return format === 'deflate' ? 1 : 0;
}

function compressBytes(format, bytes, level) {
  const answer = native().compress(format, bytes, true, true, checksumStart(format), bytes.length % 4294967296,
    level);
  if (answer.why !== undefined) {
    throw new Error('node:zlib: ' + answer.why);
  }
  return answer.bytes;
}

// gzip data starts with its magic number; anything else is taken for zlib's format, as zlib's own detection does
function formatOfUnzip(bytes) {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b ? 'gzip' : 'deflate';
}

function decompressBytes(format, bytes, maxOutputLength) {
  const answer = native().decompress(format === 'unzip' ? formatOfUnzip(bytes) : format, bytes);
  if (answer.why !== undefined) {
    if (answer.why.indexOf('inflates to more than') >= 0) {
      throw tooLarge(maxOutputLength);
    }
    throw dataError(answer.why);
  }
  if (answer.bytes.length > maxOutputLength) {
    throw tooLarge(maxOutputLength);
  }
  return answer.bytes;
}

function processData(mode, data, options) {
  const { format, compress } = MODES[mode];
  const bytes = bytesOf(data, 'buffer');
  const settings = settingsOf(options, compress);
  return toBuffer(compress ? compressBytes(format, bytes, settings.level)
    : decompressBytes(format, bytes, settings.maxOutputLength));
}

// The callback form: the work is done at once, its outcome delivered on a later turn, as Node.js's threadpool does
function processLater(mode, data, options, callback) {
  if (typeof options === 'function') {
    callback = options;
    options = {};
  }
  requireFunction(callback, 'callback');
  let result;
  let failure = null;
  try {
    result = processData(mode, data, options);
  } catch (error) {
    if (error.code === 'ERR_INVALID_ARG_TYPE' || error.code === 'ERR_OUT_OF_RANGE') {
      throw error;
    }
    failure = error;
  }
  globalThis.queueMicrotask(() => (failure === null ? callback(null, result) : callback(failure)));
}

// Each mode's two convenience functions, named as Node.js names them
function syncOf(name, mode) {
  return Object.defineProperty((buffer, options) => processData(mode, buffer, options), 'name', { value: name });
}

function withCallbackOf(name, mode) {
  return Object.defineProperty((buffer, options, callback) => processLater(mode, buffer, options, callback), 'name',
    { value: name });
}

export const deflateSync = syncOf('deflateSync', 'Deflate');
export const deflateRawSync = syncOf('deflateRawSync', 'DeflateRaw');
export const gzipSync = syncOf('gzipSync', 'Gzip');
export const inflateSync = syncOf('inflateSync', 'Inflate');
export const inflateRawSync = syncOf('inflateRawSync', 'InflateRaw');
export const gunzipSync = syncOf('gunzipSync', 'Gunzip');
export const unzipSync = syncOf('unzipSync', 'Unzip');
export const deflate = withCallbackOf('deflate', 'Deflate');
export const deflateRaw = withCallbackOf('deflateRaw', 'DeflateRaw');
export const gzip = withCallbackOf('gzip', 'Gzip');
export const inflate = withCallbackOf('inflate', 'Inflate');
export const inflateRaw = withCallbackOf('inflateRaw', 'InflateRaw');
export const gunzip = withCallbackOf('gunzip', 'Gunzip');
export const unzip = withCallbackOf('unzip', 'Unzip');

export function brotliCompressSync() {
  throw unavailable('Brotli');
}

export function brotliDecompressSync() {
  throw unavailable('Brotli');
}

export function brotliCompress(buffer, options, callback) {
  const done = typeof options === 'function' ? options : callback;
  requireFunction(done, 'callback');
  globalThis.queueMicrotask(() => done(unavailable('Brotli')));
}

export function brotliDecompress(buffer, options, callback) {
  brotliCompress(buffer, options, callback);
}

let crcTable;

// built on first use: a strict context that imports this module for gzipSync does not pay for it
function crcTableOf() {
  if (crcTable === undefined) {
    crcTable = new Int32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) {
        c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      }
      crcTable[n] = c;
    }
  }
  return crcTable;
}

// Node.js 22's crc32(data[, value]): the CRC-32 of data, continued from value
export function crc32(data, value = 0) {
  const bytes = bytesOf(data, 'data');
  if (typeof value !== 'number') {
    throw invalidArgType('value', 'number', value);
  }
  const table = crcTableOf();
  let c = ~value;
  for (let i = 0; i < bytes.length; i++) {
    c = table[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return ~c >>> 0;
}

// Input a compressing stream gathers before deflating it: each deflate ends on a byte boundary, so deflating every
// small write on its own would cost the ratio
const GATHER_BYTES = 64 * 1024;

let classes;

// The stream classes, built when first asked for: node:stream is evaluated then, not on import of this module
function streamClasses() {
  if (classes !== undefined) {
    return classes;
  }
  const { Transform } = getBuiltinModule('node:stream');

  class Zlib extends Transform {
    #mode;
    #settings;
    #pending = [];
    #pendingBytes = 0;
    #first = true;
    #checksum;
    #total = 0;

    constructor(mode, options) {
      const compress = MODES[mode].compress;
      const settings = settingsOf(options, compress);
      super(options);
      this.#mode = MODES[mode];
      this.#settings = settings;
      this.#checksum = checksumStart(this.#mode.format);
      this.bytesWritten = 0;
    }

    _transform(chunk, encoding, callback) {
      let bytes;
      try {
        bytes = typeof chunk === 'string' ? bytesOf(Buffer().from(chunk, encoding), 'chunk') : bytesOf(chunk, 'chunk');
      } catch (error) {
        callback(error);
        return;
      }
      this.bytesWritten += bytes.length;
      this.#pending.push(bytes.slice());
      this.#pendingBytes += bytes.length;
      if (this.#mode.compress && this.#pendingBytes >= GATHER_BYTES) {
        this.#deflatePending(false, callback);
        return;
      }
      callback();
    }

    _flush(callback) {
      if (this.#mode.compress) {
        this.#deflatePending(true, callback);
        return;
      }
      let out;
      try {
        out = decompressBytes(this.#mode.format, this.#takePending(), this.#settings.maxOutputLength);
      } catch (error) {
        callback(error);
        return;
      }
      if (out.length > 0) {
        this.push(toBuffer(out));
      }
      callback();
    }

    #takePending() {
      const all = new Uint8Array(this.#pendingBytes);
      let at = 0;
      for (const bytes of this.#pending) {
        all.set(bytes, at);
        at += bytes.length;
      }
      this.#pending = [];
      this.#pendingBytes = 0;
      return all;
    }

    #deflatePending(last, callback) {
      const bytes = this.#takePending();
      if (!last && bytes.length === 0) {
        callback();
        return;
      }
      this.#total = (this.#total + bytes.length) % 4294967296;
      const answer = native().compress(this.#mode.format, bytes, this.#first, last, this.#checksum, this.#total,
        this.#settings.level);
      if (answer.why !== undefined) {
        callback(new Error('node:zlib: ' + answer.why));
        return;
      }
      this.#first = false;
      this.#checksum = answer.checksum;
      if (answer.bytes.length > 0) {
        this.push(toBuffer(answer.bytes));
      }
      callback();
    }

    // flush([kind, ]callback): what a compressing stream gathered is deflated and given out now
    flush(kind, callback) {
      if (typeof kind === 'function') {
        callback = kind;
      }
      const done = typeof callback === 'function' ? callback : () => {};
      if (!this.#mode.compress || this.writableEnded) {
        globalThis.queueMicrotask(done);
        return;
      }
      this.#deflatePending(false, (error) => {
        if (error) {
          this.destroy(error);
        }
        done();
      });
    }

    params(level, strategy, callback) {
      numberOption({ strategy }, 'strategy', 0, 4, 0);
      this.#settings = { ...this.#settings, level: numberOption({ level }, 'level', -1, 9, -1) };
      if (typeof callback === 'function') {
        globalThis.queueMicrotask(callback);
      }
    }

    reset() {
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#first = true;
      this.#checksum = checksumStart(this.#mode.format);
      this.#total = 0;
    }

    close(callback) {
      if (typeof callback === 'function') {
        this.once('close', callback);
      }
      this.destroy();
    }
  }

  const built = { Zlib };
  for (const mode of Object.keys(MODES)) {
    built[mode] = {
      [mode]: class extends Zlib {
        constructor(options) {
          super(mode, options);
        }
      },
    }[mode];
  }
  classes = built;
  return classes;
}

function streamClass(mode) {
  return lazyClass(mode, () => streamClasses()[mode]);
}

export const Deflate = streamClass('Deflate');
export const DeflateRaw = streamClass('DeflateRaw');
export const Gzip = streamClass('Gzip');
export const Inflate = streamClass('Inflate');
export const InflateRaw = streamClass('InflateRaw');
export const Gunzip = streamClass('Gunzip');
export const Unzip = streamClass('Unzip');

export function BrotliCompress() {
  throw unavailable('Brotli');
}

export function BrotliDecompress() {
  throw unavailable('Brotli');
}

export const createDeflate = (options) => new Deflate(options);
export const createDeflateRaw = (options) => new DeflateRaw(options);
export const createGzip = (options) => new Gzip(options);
export const createInflate = (options) => new Inflate(options);
export const createInflateRaw = (options) => new InflateRaw(options);
export const createGunzip = (options) => new Gunzip(options);
export const createUnzip = (options) => new Unzip(options);
export const createBrotliCompress = () => BrotliCompress();
export const createBrotliDecompress = () => BrotliDecompress();

export default {
  constants, codes, crc32, deflateSync, deflateRawSync, gzipSync, inflateSync, inflateRawSync, gunzipSync,
  unzipSync, deflate, deflateRaw, gzip, inflate, inflateRaw, gunzip, unzip, brotliCompressSync,
  brotliDecompressSync, brotliCompress, brotliDecompress, Deflate, DeflateRaw, Gzip, Inflate, InflateRaw, Gunzip,
  Unzip, BrotliCompress, BrotliDecompress, createDeflate, createDeflateRaw, createGzip, createInflate,
  createInflateRaw, createGunzip, createUnzip, createBrotliCompress, createBrotliDecompress,
  // Node.js still puts zlib's constants on the module itself (Z_BEST_COMPRESSION and the like), which older code
  // reads there
  ...Object.fromEntries(Object.entries(constants).filter(([name]) => name.startsWith('Z_'))),
};
