// The Web platform APIs of the sandbox (the WinterTC minimum common API that functions and npm packages expect).
// cs-runtime.js puts an accessor on globalThis for each of them; the first one a function touches has the host
// evaluate this script in its context (from a Source the engine parses once), and each global's value is then
// built on its own first use. A function that touches none of them pays for the accessors only: evaluating this
// script in every fresh context doubled the cost of a context.
//
// This script holds what is small or shared (bytes, DOMException and Event, timers, performance, atob and btoa,
// the URL loader); the larger APIs are parts of their own (web-encoding.js, web-clone.js, web-fetch.js,
// web-crypto.js, web-console.js), each evaluated in a context only when its function first uses one of their
// globals (PART_OF below). A fresh context touching TextEncoder thus evaluates this script and the encoding part
// (24 KB), not fetch's and crypto's code as well (81 KB in all). Measured in one JVM, fresh contexts on a shared
// engine, 2 cores at load 25-30: the process's first such context spent 1.8 ms of CPU on it instead of 9.3 ms
// (parsing what it evaluates); once the engine has parsed and the JIT compiled, both cost 0.1-0.2 ms more than a
// bare context, within the noise of that machine.
//
// Nothing here reaches the host except through the functions below, which take and return only strings, numbers
// and booleans: bytes cross as strings of one char per byte (ISO-8859-1), never as host objects.
//
// From cs-runtime.js (rt):
//   asyncContext                           the AsyncContext namespace (Variable, Snapshot), which timers carry
//   console                                the runtime's console, which gets the rest of the console API here
//   write(level, args)                     logs like console.log
//   hostPromise(op, a, b, c, d, e, convert) a capability call (the same path, checks and egress as cs.http.fetch)
//   decodeUtf8(latin1) -> string            UTF-8 with U+FFFD for malformed input
//   copyLatin1(latin1, arrayBuffer)
//   onActivation(begin, end)                registers what to do when an activation begins and ends
// Host functions, in this order:
//   monotonicMs() -> number                 a monotonic clock in milliseconds
//   armTimer(dueMs)                          the earliest timer is due at dueMs of that clock (-1: none)
//   randomLatin1(n) -> string               n bytes from the JDK's SecureRandom
//   decodeUtf8Fatal(latin1) -> string|null  null when the bytes are not well-formed UTF-8
//   digest(hash, latin1) -> latin1
//   hmac(hash, keyLatin1, dataLatin1) -> latin1
//   importPublicKey(kind, format, a, b, c) -> string   "ok:<bits>" or why the key is refused
//   verify(kind, hash, saltLength, format, a, b, c, signatureLatin1, dataLatin1) -> string  "true", "false" or why
//   loadUrl() -> function                   evaluates the bundled whatwg-url and returns its factory
//   loadPart(name) -> function              evaluates web-<name>.js and returns its installer, a function of `web`
//   base64Encode(latin1) -> string|null     null when a char is above U+00FF
//   base64Decode(text) -> latin1|null        the forgiving-base64 decode of the HTML standard; null on failure
//   cipher(mode, encrypt, key, iv, additionalData, tagBits, data) -> "+" latin1 | "-" why   AES-GCM and AES-CBC
//   deriveBits(kind, hash, secret, salt, info, iterations, bits) -> "+" latin1 | "-" why   PBKDF2 and HKDF
//   importPrivateKey(kind, material) -> string   "ok:<bits>" or why the key is refused
//   sign(kind, hash, saltLength, material, data) -> "+" latin1 | "-" why
//   compress(format, data, first, last, checksum, totalLength[, level]) -> "+" checksum ":" latin1 | "-" why
//   decompress(format, data) -> "+" latin1 | "-" why     the whole body at once, capped by the context's budget
//   generateKeyPair(kind, parameter) -> "+" spkiLength ":" spki pkcs8 | "-" why   curve or modulus bits
//   exportKey(kind, type, format, material) -> "+" latin1 (jwk: "+" name=base64url,...) | "-" why
//   agree(kind, privateMaterial, publicMaterial) -> "+" latin1 | "-" why   ECDH and X25519
//   oaep(encrypt, hash, label, material, data) -> "+" latin1 | "-" why    RSA-OAEP
(function installWeb(rt, monotonicMs, armTimer, randomLatin1, decodeUtf8Fatal, digest, hmac, importPublicKey, verify,
                     loadUrl, loadPart, base64EncodeLatin1, base64Decode, cipher, deriveBits, importPrivateKey, sign,
                     compress, decompress, generateKeyPair, exportKey, agree, oaep) {
  'use strict';

  const host = { monotonicMs, armTimer, randomLatin1, decodeUtf8Fatal, digest, hmac, importPublicKey, verify,
    loadUrl, base64Encode: base64EncodeLatin1, base64Decode, cipher, deriveBits, importPrivateKey, sign, compress,
    decompress, generateKeyPair, exportKey, agree, oaep };

  const global = globalThis;
  const defineProperty = Object.defineProperty;
  const freeze = Object.freeze;
  const objectKeys = Object.keys;
  const apply = Reflect.apply;
  const fromCharCode = String.fromCharCode;
  const isView = ArrayBuffer.isView;
  const IntrinsicPromise = Promise;
  const promiseResolve = Promise.resolve;
  const promiseThen = Promise.prototype.then;
  const MapType = Map;
  const mathFloor = Math.floor;
  const arrayBufferByteLength = Object.getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const TypeErrorType = TypeError;
  const RangeErrorType = RangeError;
  const ErrorType = Error;
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;

  // What each global of this script is, built on first use; cs-runtime.js asks through global(name) below.
  const factories = new MapType();

  function lazy(name, build) {
    factories.set(name, once(build));
  }

  // The part that defines each global not defined here; it registers its globals with lazy() when evaluated.
  const PART_OF = freeze({
    __proto__: null,
    TextEncoder: 'encoding', TextDecoder: 'encoding',
    structuredClone: 'clone',
    AbortController: 'fetch', AbortSignal: 'fetch', Blob: 'fetch', File: 'fetch', FormData: 'fetch',
    Headers: 'fetch', Request: 'fetch', Response: 'fetch', fetch: 'fetch',
    crypto: 'crypto', Crypto: 'crypto', CryptoKey: 'crypto', SubtleCrypto: 'crypto',
    ByteLengthQueuingStrategy: 'streams', CompressionStream: 'streams', CountQueuingStrategy: 'streams',
    DecompressionStream: 'streams', ReadableByteStreamController: 'streams',
    ReadableStream: 'streams', ReadableStreamBYOBReader: 'streams', ReadableStreamBYOBRequest: 'streams',
    ReadableStreamDefaultController: 'streams', ReadableStreamDefaultReader: 'streams', TextDecoderStream: 'streams',
    TextEncoderStream: 'streams', TransformStream: 'streams', TransformStreamDefaultController: 'streams',
    WritableStream: 'streams', WritableStreamDefaultController: 'streams', WritableStreamDefaultWriter: 'streams',
    Buffer: 'buffer',
    URLPattern: 'urlpattern',
  });

  // What each part evaluated in this context returned (the fetch part: the Workers-shape adapter).
  const parts = new MapType();

  function part(name) {
    let exports = parts.get(name);
    if (exports === undefined) {
      exports = loadPart(name)(web) || freeze({});
      parts.set(name, exports);
    }
    return exports;
  }

  function webGlobal(name) {
    let factory = factories.get(name);
    if (factory === undefined && PART_OF[name] !== undefined) {
      part(PART_OF[name]);
      factory = factories.get(name);
    }
    if (factory === undefined) {
      throw new TypeErrorType('no Web platform global ' + name);
    }
    return factory();
  }

  // A value built once per context, shared by the globals that need it; independent of what the function does
  // to the globals.
  function once(build) {
    let value;
    let built = false;
    return () => {
      if (!built) {
        value = build();
        built = true;
      }
      return value;
    };
  }

  function isArrayBuffer(value) {
    try {
      apply(arrayBufferByteLength, value, []);
      return true;
    } catch (ignored) {
      return false;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Bytes.
  // ---------------------------------------------------------------------------------------------------------

  // The bytes of an ArrayBuffer or a view, as a Uint8Array over the same memory.
  function viewOf(source) {
    if (source instanceof Uint8Array) {
      return source;
    }
    if (isView(source)) {
      return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
    }
    if (isArrayBuffer(source)) {
      return new Uint8Array(source);
    }
    throw new TypeErrorType('expected an ArrayBuffer or a view of one');
  }

  function toLatin1(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i += 8192) {
      out += apply(fromCharCode, null, bytes.subarray(i, i + 8192));
    }
    return out;
  }

  function fromLatin1(latin1) {
    const buffer = new ArrayBuffer(latin1.length);
    rt.copyLatin1(latin1, buffer);
    return new Uint8Array(buffer);
  }

  // The UTF-8 length of a string: counted first, so that the buffer is the exact size (a budget-sized cap on
  // buffers must not refuse a string whose worst case, three bytes per unit, would not fit).
  function utf8Length(s) {
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  function utf8Encode(text) {
    const s = String(text);
    const out = new Uint8Array(utf8Length(s));
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) {
        out[n++] = c;
        continue;
      }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          out[n++] = 0xf0 | (c >> 18);
          out[n++] = 0x80 | ((c >> 12) & 0x3f);
          out[n++] = 0x80 | ((c >> 6) & 0x3f);
          out[n++] = 0x80 | (c & 0x3f);
          continue;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) {
        c = 0xfffd; // a lone surrogate is encoded as U+FFFD
      }
      if (c < 0x800) {
        out[n++] = 0xc0 | (c >> 6);
        out[n++] = 0x80 | (c & 0x3f);
      } else {
        out[n++] = 0xe0 | (c >> 12);
        out[n++] = 0x80 | ((c >> 6) & 0x3f);
        out[n++] = 0x80 | (c & 0x3f);
      }
    }
    return out;
  }

  function utf8Decode(bytes) {
    return rt.decodeUtf8(toLatin1(bytes));
  }

  function concatBytes(chunks) {
    let size = 0;
    for (let i = 0; i < chunks.length; i++) {
      size += chunks[i].length;
    }
    const out = new Uint8Array(size);
    let at = 0;
    for (let i = 0; i < chunks.length; i++) {
      out.set(chunks[i], at);
      at += chunks[i].length;
    }
    return out;
  }

  // Random bytes from the JDK's SecureRandom (crypto, multipart boundaries), and bytes as hex.
  function randomBytes(n) {
    return fromLatin1(host.randomLatin1(n));
  }

  function toHex(bytes) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      out += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------------------
  // DOMException, Event, EventTarget.
  // ---------------------------------------------------------------------------------------------------------

  const DOMExceptionType = once(() => {
    const CODES = { IndexSizeError: 1, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
      SyntaxError: 12, InvalidCharacterError: 5, InvalidAccessError: 15, TypeMismatchError: 17, AbortError: 20,
      TimeoutError: 23, DataCloneError: 25, OperationError: 0, NotReadableError: 0, DataError: 0 };
    class DOMException extends ErrorType {
      constructor(message = '', name = 'Error') {
        super(String(message));
        defineProperty(this, 'name', { value: String(name), writable: true, configurable: true });
      }
      get code() {
        return CODES[this.name] || 0;
      }
    }
    return DOMException;
  });

  function domException(message, name) {
    const DOMException = DOMExceptionType();
    return new DOMException(message, name);
  }

  const EventTypes = once(() => {
    class Event {
      #type;
      #defaultPrevented = false;
      #stopped = false;
      constructor(type, init) {
        if (arguments.length === 0) {
          throw new TypeErrorType('Event: the type is required');
        }
        this.#type = String(type);
        this.cancelable = !!(init && init.cancelable);
        this.bubbles = !!(init && init.bubbles);
        this.timeStamp = performanceNow();
        this.target = null;
        this.currentTarget = null;
      }
      get type() {
        return this.#type;
      }
      get defaultPrevented() {
        return this.#defaultPrevented;
      }
      preventDefault() {
        if (this.cancelable) {
          this.#defaultPrevented = true;
        }
      }
      stopImmediatePropagation() {
        this.#stopped = true;
      }
      stopPropagation() {
      }
      static isStopped(event) {
        return event.#stopped;
      }
    }
    const isStopped = Event.isStopped;
    delete Event.isStopped;

    class CustomEvent extends Event {
      #detail;
      constructor(type, init) {
        if (arguments.length === 0) {
          throw new TypeErrorType('CustomEvent: the type is required');
        }
        super(type, init);
        this.#detail = init && init.detail !== undefined ? init.detail : null;
      }
      get detail() {
        return this.#detail;
      }
    }

    const listenersOf = new WeakMap();
    class EventTarget {
      constructor() {
        listenersOf.set(this, new MapType());
      }
      addEventListener(type, listener, options) {
        if (listener === null || listener === undefined) {
          return;
        }
        const map = listenersOf.get(this);
        const key = String(type);
        const once = typeof options === 'object' && options !== null && !!options.once;
        const signal = typeof options === 'object' && options !== null ? options.signal : undefined;
        if (signal && signal.aborted) {
          return;
        }
        let list = map.get(key);
        if (!list) {
          list = [];
          map.set(key, list);
        }
        for (let i = 0; i < list.length; i++) {
          if (list[i].listener === listener) {
            return;
          }
        }
        list.push({ listener, once });
        if (signal) {
          signal.addEventListener('abort', () => this.removeEventListener(key, listener));
        }
      }
      removeEventListener(type, listener) {
        const list = listenersOf.get(this).get(String(type));
        if (list) {
          for (let i = 0; i < list.length; i++) {
            if (list[i].listener === listener) {
              list.splice(i, 1);
              return;
            }
          }
        }
      }
      dispatchEvent(event) {
        if (!(event instanceof Event)) {
          throw new TypeErrorType('dispatchEvent: the argument is not an Event');
        }
        event.target = this;
        event.currentTarget = this;
        const handler = this['on' + event.type];
        const list = (listenersOf.get(this).get(event.type) || []).slice();
        if (typeof handler === 'function') {
          callListener(handler, this, event);
        }
        for (let i = 0; i < list.length && !isStopped(event); i++) {
          if (list[i].once) {
            this.removeEventListener(event.type, list[i].listener);
          }
          const listener = list[i].listener;
          if (typeof listener === 'function') {
            callListener(listener, this, event);
          } else if (listener && typeof listener.handleEvent === 'function') {
            callListener(listener.handleEvent, listener, event);
          }
        }
        event.currentTarget = null;
        return !event.defaultPrevented;
      }
    }
    return { CustomEvent, Event, EventTarget };
  });

  // A listener that throws does not stop the others; the error ends the activation like an unhandled rejection.
  function callListener(fn, self, event) {
    try {
      apply(fn, self, [event]);
    } catch (error) {
      reportUncaught(error);
    }
  }

  function reportUncaught(error) {
    apply(promiseThen, apply(promiseResolve, IntrinsicPromise, []), [() => {
      throw error;
    }]);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Timers: the activation's own. The host runs them from the activation's task loop, one per call, so the
  // engine's job queue drains between two of them; they end with the activation.
  // ---------------------------------------------------------------------------------------------------------

  let timers = new MapType();
  let nextTimerId = 1;
  let armedDue = -1;
  // A timer's callback runs in the async context its setTimeout ran in, as promise jobs do (the engine carries those),
  // so a store of node:async_hooks set around the call is there in the callback, as in Node.js and Workers.
  const SnapshotType = rt.asyncContext.Snapshot;
  const snapshotRun = SnapshotType.prototype.run;

  function rearm() {
    let earliest = -1;
    timers.forEach((timer) => {
      if (earliest < 0 || timer.due < earliest) {
        earliest = timer.due;
      }
    });
    if (earliest !== armedDue) {
      armedDue = earliest;
      host.armTimer(earliest);
    }
  }

  function toDelay(delay) {
    const n = +delay;
    return n > 0 ? (n > 2147483647 ? 1 : mathFloor(n)) : 0;
  }

  function addTimer(callback, delay, args, repeat) {
    if (typeof callback !== 'function') {
      throw new TypeErrorType((repeat ? 'setInterval' : 'setTimeout') + ': the callback must be a function');
    }
    const id = nextTimerId++;
    const ms = toDelay(delay);
    timers.set(id, { callback, args, due: host.monotonicMs() + ms, interval: repeat ? (ms > 0 ? ms : 1) : -1,
      context: new SnapshotType() });
    rearm();
    return id;
  }

  function clearTimer(id) {
    if (timers.delete(+id)) {
      rearm();
    }
  }

  // Called by the host when the armed time has come: runs the earliest due timer, if any, and arms the next.
  function runTimer() {
    armedDue = -1;
    const now = host.monotonicMs();
    let dueId = -1;
    let due;
    timers.forEach((timer, id) => {
      if (timer.due <= now && (dueId < 0 || timer.due < due.due)) {
        dueId = id;
        due = timer;
      }
    });
    if (dueId >= 0) {
      if (due.interval >= 0) {
        due.due = now + due.interval;
      } else {
        timers.delete(dueId);
      }
      try {
        const callback = due.callback;
        const args = due.args;
        apply(snapshotRun, due.context, [() => apply(callback, undefined, args)]);
      } catch (error) {
        reportUncaught(error);
      }
    }
    rearm();
  }

  function clearTimers() {
    timers = new MapType();
    armedDue = -1;
  }

  function setTimeout(callback, delay, ...args) {
    return addTimer(callback, delay, args, false);
  }

  function setInterval(callback, delay, ...args) {
    return addTimer(callback, delay, args, true);
  }

  function clearTimeout(id) {
    clearTimer(id);
  }

  function clearInterval(id) {
    clearTimer(id);
  }

  function queueMicrotask(callback) {
    if (typeof callback !== 'function') {
      throw new TypeErrorType('queueMicrotask: the callback must be a function');
    }
    apply(promiseThen, apply(promiseResolve, IntrinsicPromise, []), [() => {
      callback();
    }]);
  }

  lazy('setTimeout', () => setTimeout);
  lazy('setInterval', () => setInterval);
  lazy('clearTimeout', () => clearTimeout);
  lazy('clearInterval', () => clearInterval);
  lazy('queueMicrotask', () => queueMicrotask);

  // performance.now(): milliseconds since the activation began, in whole milliseconds like Date.now(), so that it
  // gives a function no finer clock than it already has.
  let originMs = host.monotonicMs();
  let originWallMs = Date.now();

  function performanceNow() {
    return mathFloor(host.monotonicMs() - originMs);
  }

  lazy('performance', () => freeze({
    now: performanceNow,
    get timeOrigin() {
      return originWallMs;
    },
    toJSON() {
      return { timeOrigin: originWallMs };
    },
  }));

  // Both loops run in the JDK (Base64Text): bytes cross as strings of one char per byte.
  function base64Encode(latin1) {
    return host.base64Encode(latin1);
  }

  function btoa(data) {
    if (arguments.length === 0) {
      throw new TypeErrorType('btoa: 1 argument required');
    }
    const encoded = host.base64Encode(String(data));
    if (encoded === null) {
      throw domException('btoa: the string contains characters outside of the Latin1 range', 'InvalidCharacterError');
    }
    return encoded;
  }

  // The forgiving-base64 decode of the HTML standard.
  function atob(data) {
    if (arguments.length === 0) {
      throw new TypeErrorType('atob: 1 argument required');
    }
    const decoded = host.base64Decode(String(data));
    if (decoded === null) {
      throw domException('atob: the string is not correctly encoded', 'InvalidCharacterError');
    }
    return decoded;
  }

  lazy('atob', () => atob);
  lazy('btoa', () => btoa);
  lazy('DOMException', DOMExceptionType);
  lazy('Event', () => EventTypes().Event);
  lazy('CustomEvent', () => EventTypes().CustomEvent);
  // What a function may learn of where it runs: the platform's name, and one core whatever the host has.
  lazy('navigator', () => freeze({ userAgent: 'code-sous', hardwareConcurrency: 1 }));
  // Reports an error as if it were thrown and not caught (HTML's reportError): like an event listener's throw, it
  // ends the activation as an unhandled rejection does.
  lazy('reportError', () => function reportError(error) {
    if (arguments.length === 0) {
      throw new TypeErrorType('reportError: 1 argument required');
    }
    reportUncaught(error);
  });
  lazy('EventTarget', () => EventTypes().EventTarget);

  // ---------------------------------------------------------------------------------------------------------
  // URL and URLSearchParams: whatwg-url, evaluated on first use.
  // ---------------------------------------------------------------------------------------------------------

  let urlLoaded = false;
  const urlModule = once(() => {
    const module = host.loadUrl()(webGlobal('TextEncoder'), webGlobal('TextDecoder'));
    urlLoaded = true;
    return module;
  });
  lazy('URL', () => urlModule().URL);
  lazy('URLSearchParams', () => urlModule().URLSearchParams);

  // What the parts build on (see PART_OF); handed to them only, never to the guest.
  const web = freeze({
    ErrorType, EventTypes, IntrinsicPromise, MapType, RangeErrorType, TypeErrorType, apply, atob, base64Encode,
    clearTimeout, concatBytes, defineProperty, domException, freeze, fromCharCode, fromLatin1, host, isArrayBuffer,
    isView, jsonParse, jsonStringify, lazy, mathFloor, objectKeys, once, part, partLoaded: (name) => parts.has(name),
    randomBytes, rt, setTimeout, toDelay, toHex, toLatin1, urlLoaded: () => urlLoaded, urlModule, utf8Decode,
    utf8Encode, viewOf, webGlobal,
  });

  rt.onActivation(() => {
    clearTimers();
    originMs = host.monotonicMs();
    originWallMs = Date.now();
  }, clearTimers);

  return freeze({
    runTimer,
    fetchHandler: (app) => part('fetch').fetchHandler(app),
    installConsole: () => {
      part('console');
    },
    global: webGlobal,
  });
})
