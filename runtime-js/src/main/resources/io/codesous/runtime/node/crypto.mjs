// node:crypto. What Node.js's module shares with the Web Crypto API (webcrypto, subtle, getRandomValues,
// randomUUID) is the crypto global, and randomBytes fills a Buffer from it. The hashes and HMACs Node.js code
// computes synchronously (createHash, createHmac, hash) run on the JDK through the host calls crypto.subtle makes,
// which the crypto part hands this module under a symbol of crypto. Ciphers, signatures and key objects are not
// here: code that imports them fails to link, naming the export; crypto.subtle does that work.
const webcrypto = globalThis.crypto;
const subtle = webcrypto.subtle;
const native = webcrypto[Symbol.for('code-sous.node:crypto')];
const Buffer = () => globalThis.Buffer;

function getRandomValues(array) {
  return webcrypto.getRandomValues(array);
}

function randomUUID() {
  return webcrypto.randomUUID();
}

// getRandomValues fills at most 65,536 bytes a call (the Web Crypto API's limit)
function randomFill(bytes) {
  for (let at = 0; at < bytes.length; at += 65536) {
    webcrypto.getRandomValues(bytes.subarray(at, Math.min(bytes.length, at + 65536)));
  }
  return bytes;
}

function randomBytes(size, callback) {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError('randomBytes: size must be a non-negative integer, not ' + String(size));
  }
  if (callback !== undefined && typeof callback !== 'function') {
    throw new TypeError('randomBytes: the callback must be a function');
  }
  const bytes = randomFill(Buffer().alloc(size));
  if (callback === undefined) {
    return bytes;
  }
  globalThis.queueMicrotask(() => callback(null, bytes));
  return undefined;
}

// Node.js takes OpenSSL's names, in any case, with or without the dash
function hashName(algorithm, caller) {
  const name = typeof algorithm === 'string' ? algorithm.toLowerCase().replace('-', '') : '';
  if (native.names.indexOf(name) < 0) {
    throw new TypeError(caller + ': unsupported digest ' + String(algorithm) + '; supported: '
      + native.names.join(', '));
  }
  return name;
}

let utf8;

function bytesOf(data, encoding, what) {
  if (typeof data === 'string') {
    if (encoding === undefined || encoding === 'utf8' || encoding === 'utf-8') {
      // TextEncoder encodes on the host; Buffer's encoders are JavaScript
      utf8 ??= new globalThis.TextEncoder();
      return utf8.encode(data);
    }
    return Buffer().from(data, encoding);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new TypeError(what + ' must be a string, a Buffer, a TypedArray or a DataView, not '
    + (data === null ? 'null' : typeof data));
}

function output(bytes, encoding) {
  const buffer = Buffer().from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return encoding === undefined || encoding === 'buffer' ? buffer : buffer.toString(encoding);
}

function concat(chunks) {
  let length = 0;
  for (const chunk of chunks) {
    length += chunk.byteLength;
  }
  const all = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    all.set(chunk, at);
    at += chunk.byteLength;
  }
  return all;
}

// A Hash or an Hmac: update() until digest(), which ends it, as on Node.js. The data is kept (copied, as the caller
// may reuse its buffer) and digested in one host call.
class Digest {
  #chunks;
  #finish;
  #caller;

  constructor(finish, caller, chunks = []) {
    this.#finish = finish;
    this.#caller = caller;
    this.#chunks = chunks;
  }

  #open() {
    if (this.#chunks === null) {
      throw new Error(this.#caller + ': digest already called');
    }
    return this.#chunks;
  }

  update(data, inputEncoding) {
    this.#open().push(bytesOf(data, inputEncoding, this.#caller + '.update: the data').slice());
    return this;
  }

  digest(encoding) {
    const bytes = this.#finish(concat(this.#open()));
    this.#chunks = null;
    return output(bytes, encoding);
  }

  copy() {
    return new this.constructor(this.#finish, this.#caller, this.#open().slice());
  }
}

class Hash extends Digest {
}

class Hmac extends Digest {
}

function createHash(algorithm) {
  const name = hashName(algorithm, 'createHash');
  return new Hash((data) => native.digest(name, data), 'Hash');
}

function createHmac(algorithm, key) {
  const name = hashName(algorithm, 'createHmac');
  const secret = bytesOf(key, 'utf8', 'createHmac: the key').slice();
  return new Hmac((data) => native.hmac(name, secret, data), 'Hmac');
}

// Node.js 21.7's one-shot digest: hex unless another encoding is asked for
function hash(algorithm, data, outputEncoding = 'hex') {
  return output(native.digest(hashName(algorithm, 'hash'), bytesOf(data, 'utf8', 'hash: the data')), outputEncoding);
}

function getHashes() {
  return native.names.slice();
}

// Node.js's argument checks (a RangeError for different lengths, where Workers' throws a TypeError), then the
// comparison of crypto.subtle.timingSafeEqual, which looks at every byte whatever the first difference
function timingSafeEqual(a, b) {
  if (typeof a === 'string' || typeof b === 'string') {
    throw new TypeError('timingSafeEqual: the arguments must be Buffers, TypedArrays or DataViews');
  }
  const x = bytesOf(a, undefined, 'timingSafeEqual: the first argument');
  const y = bytesOf(b, undefined, 'timingSafeEqual: the second argument');
  if (x.byteLength !== y.byteLength) {
    throw new RangeError('timingSafeEqual: the inputs must have the same byte length');
  }
  return subtle.timingSafeEqual(x, y);
}

export { createHash, createHmac, getHashes, getRandomValues, hash, randomBytes, randomUUID, subtle, timingSafeEqual,
  webcrypto };
export default { createHash, createHmac, getHashes, getRandomValues, hash, randomBytes, randomUUID, subtle,
  timingSafeEqual, webcrypto };
