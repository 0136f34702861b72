// The Web platform APIs of the sandbox (the WinterTC minimum common API that functions and npm packages expect).
// cs-runtime.js puts an accessor on globalThis for each of them; the first one a function touches has the host
// evaluate this script in its context (from a Source the engine parses once), and each global's value is then
// built on its own first use. A function that touches none of them pays for the accessors only: evaluating this
// script in every fresh context doubled the cost of a context.
//
// Nothing here reaches the host except through the functions below, which take and return only strings, numbers
// and booleans: bytes cross as strings of one char per byte (ISO-8859-1), never as host objects.
//
// From cs-runtime.js (rt):
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
(function installWeb(rt, monotonicMs, armTimer, randomLatin1, decodeUtf8Fatal, digest, hmac, importPublicKey, verify,
                     loadUrl) {
  'use strict';

  const host = { monotonicMs, armTimer, randomLatin1, decodeUtf8Fatal, digest, hmac, importPublicKey, verify,
    loadUrl };

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

  function webGlobal(name) {
    const factory = factories.get(name);
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
    return { Event, EventTarget };
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
    timers.set(id, { callback, args, due: host.monotonicMs() + ms, interval: repeat ? (ms > 0 ? ms : 1) : -1 });
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
        apply(due.callback, undefined, due.args);
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

  // ---------------------------------------------------------------------------------------------------------
  // console, complete.
  // ---------------------------------------------------------------------------------------------------------

  {
    const console = rt.console;
    const counts = new MapType();
    const started = new MapType();
    let indent = '';
    // A group's lines are indented by two spaces per level (write joins the arguments with one).
    const at = (level, args) => rt.write(level, indent === '' ? args : [indent.slice(1), ...args]);
    const label = (value) => (value === undefined ? 'default' : String(value));
    const methods = {
      log: (...args) => at('info', args),
      info: (...args) => at('info', args),
      warn: (...args) => at('warn', args),
      error: (...args) => at('error', args),
      debug: (...args) => at('debug', args),
      trace: (...args) => {
        const stack = new ErrorType().stack || '';
        at('debug', ['Trace:', ...args, '\n' + stack.split('\n').slice(2).join('\n')]);
      },
      dir: (value) => at('info', [value]),
      dirxml: (...args) => at('info', args),
      table: (data) => at('info', [tableOf(data)]),
      assert: (condition, ...args) => {
        if (!condition) {
          at('error', ['Assertion failed' + (args.length ? ':' : ''), ...args]);
        }
      },
      count: (name) => {
        const key = label(name);
        const n = (counts.get(key) || 0) + 1;
        counts.set(key, n);
        at('info', [key + ': ' + n]);
      },
      countReset: (name) => counts.delete(label(name)),
      time: (name) => started.set(label(name), host.monotonicMs()),
      timeLog: (name, ...args) => {
        const key = label(name);
        if (started.has(key)) {
          at('info', [key + ': ' + (host.monotonicMs() - started.get(key)).toFixed(0) + 'ms', ...args]);
        } else {
          at('warn', ['Timer "' + key + '" does not exist']);
        }
      },
      timeEnd: (name) => {
        const key = label(name);
        if (started.has(key)) {
          at('info', [key + ': ' + (host.monotonicMs() - started.get(key)).toFixed(0) + 'ms']);
          started.delete(key);
        } else {
          at('warn', ['Timer "' + key + '" does not exist']);
        }
      },
      group: (...args) => {
        if (args.length) {
          at('info', args);
        }
        indent += '  ';
      },
      groupEnd: () => {
        indent = indent.slice(2);
      },
    };
    methods.groupCollapsed = methods.group;
    const names = objectKeys(methods);
    for (let i = 0; i < names.length; i++) {
      defineProperty(console, names[i], { value: methods[names[i]], writable: true, enumerable: true,
        configurable: true });
    }
  }

  // console.table as text: one line per row, columns separated by " | ".
  function tableOf(data) {
    if (data === null || typeof data !== 'object') {
      return data;
    }
    const rows = objectKeys(data);
    const columns = [];
    for (let i = 0; i < rows.length; i++) {
      const row = data[rows[i]];
      if (row !== null && typeof row === 'object') {
        const keys = objectKeys(row);
        for (let j = 0; j < keys.length; j++) {
          if (columns.indexOf(keys[j]) < 0) {
            columns.push(keys[j]);
          }
        }
      }
    }
    const show = (v) => (typeof v === 'string' ? v : jsonStringify(v) === undefined ? String(v) : jsonStringify(v));
    const lines = ['(index) | ' + (columns.length ? columns.join(' | ') : 'Values')];
    for (let i = 0; i < rows.length; i++) {
      const row = data[rows[i]];
      const cells = columns.length && row !== null && typeof row === 'object'
        ? columns.map((c) => (c in row ? show(row[c]) : ''))
        : [show(row)];
      lines.push(rows[i] + ' | ' + cells.join(' | '));
    }
    return lines.join('\n');
  }

  // ---------------------------------------------------------------------------------------------------------
  // Encoding: TextEncoder, TextDecoder, atob, btoa.
  // ---------------------------------------------------------------------------------------------------------

  lazy('TextEncoder', () => class TextEncoder {
    get encoding() {
      return 'utf-8';
    }
    encode(input = '') {
      return utf8Encode(input);
    }
    encodeInto(source, destination) {
      const bytes = utf8Encode(source);
      // Only whole characters are written: back off to the start of the last sequence that does not fit.
      let written = bytes.length <= destination.length ? bytes.length : destination.length;
      while (written > 0 && written < bytes.length && (bytes[written] & 0xc0) === 0x80) {
        written--;
      }
      destination.set(bytes.subarray(0, written));
      let read = 0;
      for (let i = 0; i < written; i++) {
        const b = bytes[i];
        if ((b & 0xc0) !== 0x80) {
          read += b >= 0xf0 ? 2 : 1;
        }
      }
      return { read, written };
    }
  });

  // The labels of the Encoding standard for the two encodings the decoder knows.
  const UTF8_LABELS = ['unicode-1-1-utf-8', 'unicode11utf8', 'unicode20utf8', 'utf-8', 'utf8', 'x-unicode20utf8'];
  const WINDOWS_1252_LABELS = ['ansi_x3.4-1968', 'ascii', 'cp1252', 'cp819', 'csisolatin1', 'ibm819', 'iso-8859-1',
    'iso-ir-100', 'iso8859-1', 'iso88591', 'iso_8859-1', 'iso_8859-1:1987', 'l1', 'latin1', 'us-ascii',
    'windows-1252', 'x-cp1252'];
  // windows-1252 differs from ISO-8859-1 in 0x80..0x9F only.
  const WINDOWS_1252_HIGH = '\u20ac\x81\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\x8d'
      + '\u017d\x8f\x90\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\x9d\u017e\u0178';

  lazy('TextDecoder', () => class TextDecoder {
    #encoding;
    #fatal;
    #ignoreBOM;
    #pending = null;
    constructor(label = 'utf-8', options = undefined) {
      const name = String(label).replace(/^[\t\n\f\r ]+|[\t\n\f\r ]+$/g, '').toLowerCase();
      if (UTF8_LABELS.indexOf(name) >= 0) {
        this.#encoding = 'utf-8';
      } else if (WINDOWS_1252_LABELS.indexOf(name) >= 0) {
        this.#encoding = 'windows-1252';
      } else {
        throw new RangeErrorType('TextDecoder: the encoding "' + label + '" is not supported (utf-8 and windows-1252'
            + ' are)');
      }
      this.#fatal = !!(options && options.fatal);
      this.#ignoreBOM = !!(options && options.ignoreBOM);
    }
    get encoding() {
      return this.#encoding;
    }
    get fatal() {
      return this.#fatal;
    }
    get ignoreBOM() {
      return this.#ignoreBOM;
    }
    decode(input = undefined, options = undefined) {
      let bytes = input === undefined || input === null ? new Uint8Array(0) : viewOf(input);
      if (this.#encoding === 'windows-1252') {
        let out = '';
        for (let i = 0; i < bytes.length; i++) {
          const b = bytes[i];
          out += b >= 0x80 && b <= 0x9f ? WINDOWS_1252_HIGH[b - 0x80] : fromCharCode(b);
        }
        return out;
      }
      if (this.#pending !== null) {
        bytes = concatBytes([this.#pending, bytes]);
        this.#pending = null;
      }
      if (options && options.stream) {
        // Keep an incomplete sequence at the end for the next call.
        let cut = bytes.length;
        for (let back = 1; back <= 3 && bytes.length - back >= 0; back++) {
          const b = bytes[bytes.length - back];
          if ((b & 0xc0) === 0x80) {
            continue;
          }
          const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
          if (need > back) {
            cut = bytes.length - back;
          }
          break;
        }
        if (cut < bytes.length) {
          this.#pending = bytes.slice(cut);
          bytes = bytes.subarray(0, cut);
        }
      }
      if (!this.#ignoreBOM && bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
      }
      const latin1 = toLatin1(bytes);
      if (this.#fatal) {
        const text = host.decodeUtf8Fatal(latin1);
        if (text === null) {
          throw new TypeErrorType('TextDecoder: the input is not valid utf-8');
        }
        return text;
      }
      return rt.decodeUtf8(latin1);
    }
  });

  const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const BASE64_VALUES = once(() => {
    const values = new Int16Array(128).fill(-1);
    for (let i = 0; i < 64; i++) {
      values[BASE64.charCodeAt(i)] = i;
    }
    return values;
  });

  function base64Encode(latin1) {
    let out = '';
    let i = 0;
    for (; i + 2 < latin1.length; i += 3) {
      const n = (latin1.charCodeAt(i) << 16) | (latin1.charCodeAt(i + 1) << 8) | latin1.charCodeAt(i + 2);
      out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + BASE64[n & 63];
    }
    if (i + 1 === latin1.length) {
      const n = latin1.charCodeAt(i) << 16;
      out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + '==';
    } else if (i + 2 === latin1.length) {
      const n = (latin1.charCodeAt(i) << 16) | (latin1.charCodeAt(i + 1) << 8);
      out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + BASE64[(n >> 6) & 63] + '=';
    }
    return out;
  }

  function btoa(data) {
    if (arguments.length === 0) {
      throw new TypeErrorType('btoa: 1 argument required');
    }
    const s = String(data);
    for (let i = 0; i < s.length; i++) {
      if (s.charCodeAt(i) > 0xff) {
        throw domException('btoa: the string contains characters outside of the Latin1 range', 'InvalidCharacterError');
      }
    }
    return base64Encode(s);
  }

  // The forgiving-base64 decode of the HTML standard.
  function atob(data) {
    if (arguments.length === 0) {
      throw new TypeErrorType('atob: 1 argument required');
    }
    let s = String(data).replace(/[\t\n\f\r ]/g, '');
    if (s.length % 4 === 0) {
      s = s.replace(/={1,2}$/, '');
    }
    const values = BASE64_VALUES();
    if (s.length % 4 === 1) {
      throw domException('atob: the string is not correctly encoded', 'InvalidCharacterError');
    }
    let out = '';
    let buffer = 0;
    let bits = 0;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      const v = c < 128 ? values[c] : -1;
      if (v < 0) {
        throw domException('atob: the string is not correctly encoded', 'InvalidCharacterError');
      }
      buffer = (buffer << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += fromCharCode((buffer >> bits) & 0xff);
      }
    }
    return out;
  }

  lazy('atob', () => atob);
  lazy('btoa', () => btoa);
  lazy('DOMException', DOMExceptionType);
  lazy('Event', () => EventTypes().Event);
  lazy('EventTarget', () => EventTypes().EventTarget);

  // ---------------------------------------------------------------------------------------------------------
  // structuredClone.
  // ---------------------------------------------------------------------------------------------------------

  const ERROR_TYPES = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

  function structuredClone(value, options = undefined) {
    if (options !== undefined && options !== null && options.transfer !== undefined
        && options.transfer.length > 0) {
      throw domException('structuredClone: transferring is not supported', 'DataCloneError');
    }
    const seen = new MapType();
    const tag = (v) => Object.prototype.toString.call(v);
    function clone(v) {
      if (typeof v === 'function' || typeof v === 'symbol') {
        throw domException('structuredClone: ' + String(typeof v === 'symbol' ? 'Symbol()' : v.name || 'function')
            + ' could not be cloned', 'DataCloneError');
      }
      if (v === null || typeof v !== 'object') {
        return v;
      }
      if (seen.has(v)) {
        return seen.get(v);
      }
      const kind = tag(v);
      let out;
      switch (kind) {
        case '[object Date]':
          out = new Date(v.getTime());
          break;
        case '[object RegExp]':
          out = new RegExp(v.source, v.flags);
          break;
        case '[object Boolean]':
          out = Object(v.valueOf());
          break;
        case '[object Number]':
          out = Object(v.valueOf());
          break;
        case '[object String]':
          out = Object(v.valueOf());
          break;
        case '[object BigInt]':
          out = Object(v.valueOf());
          break;
        case '[object ArrayBuffer]':
          out = v.slice(0);
          break;
        case '[object DataView]': {
          const buffer = clone(v.buffer);
          out = new DataView(buffer, v.byteOffset, v.byteLength);
          break;
        }
        case '[object Map]':
          out = new MapType();
          seen.set(v, out);
          v.forEach((item, key) => out.set(clone(key), clone(item)));
          return out;
        case '[object Set]':
          out = new Set();
          seen.set(v, out);
          v.forEach((item) => out.add(clone(item)));
          return out;
        case '[object Error]': {
          const Type = ERROR_TYPES[v.name] || ErrorType;
          out = new Type(v.message);
          if (v.stack !== undefined) {
            out.stack = String(v.stack);
          }
          if ('cause' in v) {
            seen.set(v, out);
            out.cause = clone(v.cause);
          }
          break;
        }
        case '[object Array]': {
          out = new Array(v.length);
          seen.set(v, out);
          const keys = objectKeys(v);
          for (let i = 0; i < keys.length; i++) {
            out[keys[i]] = clone(v[keys[i]]);
          }
          return out;
        }
        case '[object Object]':
          if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) {
            throw domException('structuredClone: ' + kind + ' could not be cloned', 'DataCloneError');
          }
          out = {};
          seen.set(v, out);
          for (const key of objectKeys(v)) {
            out[key] = clone(v[key]);
          }
          return out;
        default:
          if (isView(v)) {
            const buffer = clone(v.buffer);
            out = new v.constructor(buffer, v.byteOffset, v.length);
            break;
          }
          throw domException('structuredClone: ' + kind + ' could not be cloned', 'DataCloneError');
      }
      seen.set(v, out);
      return out;
    }
    return clone(value);
  }

  lazy('structuredClone', () => structuredClone);

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

  // ---------------------------------------------------------------------------------------------------------
  // AbortController, AbortSignal.
  // ---------------------------------------------------------------------------------------------------------

  const AbortTypes = once(() => {
    const { Event, EventTarget } = EventTypes();
    const internal = new WeakMap();
    let constructing = false;
    class AbortSignal extends EventTarget {
      constructor() {
        if (!constructing) {
          throw new TypeErrorType('AbortSignal: Illegal constructor');
        }
        super();
        internal.set(this, { aborted: false, reason: undefined });
        this.onabort = null;
      }
      get aborted() {
        return internal.get(this).aborted;
      }
      get reason() {
        return internal.get(this).reason;
      }
      throwIfAborted() {
        const state = internal.get(this);
        if (state.aborted) {
          throw state.reason;
        }
      }
      static abort(reason) {
        const signal = newSignal();
        abortSignal(signal, reason);
        return signal;
      }
      static timeout(ms) {
        const signal = newSignal();
        setTimeout(() => abortSignal(signal, domException('The operation timed out.', 'TimeoutError')),
            toDelay(ms));
        return signal;
      }
      static any(signals) {
        const signal = newSignal();
        for (const source of signals) {
          if (source.aborted) {
            abortSignal(signal, source.reason);
            return signal;
          }
        }
        for (const source of signals) {
          source.addEventListener('abort', () => abortSignal(signal, source.reason), { once: true });
        }
        return signal;
      }
    }
    function newSignal() {
      constructing = true;
      try {
        return new AbortSignal();
      } finally {
        constructing = false;
      }
    }
    function abortSignal(signal, reason) {
      const state = internal.get(signal);
      if (state.aborted) {
        return;
      }
      state.aborted = true;
      state.reason = reason === undefined ? domException('This operation was aborted', 'AbortError') : reason;
      signal.dispatchEvent(new Event('abort'));
    }
    class AbortController {
      #signal = newSignal();
      get signal() {
        return this.#signal;
      }
      abort(reason) {
        abortSignal(this.#signal, reason);
      }
    }
    return { AbortSignal, AbortController };
  });

  lazy('AbortSignal', () => AbortTypes().AbortSignal);
  lazy('AbortController', () => AbortTypes().AbortController);

  // ---------------------------------------------------------------------------------------------------------
  // Blob, File, FormData, ReadableStream, Headers, Request, Response, fetch.
  // ---------------------------------------------------------------------------------------------------------

  const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
  const BAD_VALUE = /[\0\r\n]/;

  const FetchTypes = once(() => {
    const blobBytes = new WeakMap();

    function partBytes(part) {
      if (typeof part === 'string') {
        return utf8Encode(part);
      }
      if (blobBytes.has(part)) {
        return blobBytes.get(part);
      }
      if (isView(part) || isArrayBuffer(part)) {
        return viewOf(part).slice();
      }
      return utf8Encode(String(part));
    }

    class Blob {
      #type;
      constructor(parts = [], options = undefined) {
        const chunks = [];
        for (const part of parts) {
          chunks.push(partBytes(part));
        }
        blobBytes.set(this, concatBytes(chunks));
        const type = options && options.type !== undefined ? String(options.type) : '';
        this.#type = /^[\x20-\x7e]*$/.test(type) ? type.toLowerCase() : '';
      }
      get size() {
        return blobBytes.get(this).length;
      }
      get type() {
        return this.#type;
      }
      slice(start = 0, end = undefined, type = '') {
        const bytes = blobBytes.get(this);
        return new Blob([bytes.slice(start, end === undefined ? bytes.length : end)], { type });
      }
      text() {
        return IntrinsicPromise.resolve(utf8Decode(blobBytes.get(this)));
      }
      arrayBuffer() {
        return IntrinsicPromise.resolve(blobBytes.get(this).slice().buffer);
      }
      bytes() {
        return IntrinsicPromise.resolve(blobBytes.get(this).slice());
      }
      stream() {
        return streamOfBytes(blobBytes.get(this).slice());
      }
      get [Symbol.toStringTag]() {
        return 'Blob';
      }
    }

    class File extends Blob {
      #name;
      #lastModified;
      constructor(parts, name, options = undefined) {
        super(parts, options);
        this.#name = String(name);
        this.#lastModified = options && options.lastModified !== undefined ? +options.lastModified : Date.now();
      }
      get name() {
        return this.#name;
      }
      get lastModified() {
        return this.#lastModified;
      }
      get [Symbol.toStringTag]() {
        return 'File';
      }
    }

    class FormData {
      #entries = [];
      constructor(form = undefined) {
        if (form !== undefined) {
          throw new TypeErrorType('FormData: there is no HTML form to read');
        }
      }
      static #entry(name, value, filename) {
        if (value instanceof Blob) {
          const file = value instanceof File && filename === undefined ? value
            : new File([value], filename === undefined ? (value instanceof File ? value.name : 'blob') : filename,
                { type: value.type });
          return [String(name), file];
        }
        return [String(name), String(value)];
      }
      append(name, value, filename = undefined) {
        this.#entries.push(FormData.#entry(name, value, filename));
      }
      // Replaces the first entry of the name and drops the others, or appends.
      set(name, value, filename = undefined) {
        const entry = FormData.#entry(name, value, filename);
        const at = this.#entries.findIndex((e) => e[0] === entry[0]);
        if (at < 0) {
          this.#entries.push(entry);
          return;
        }
        this.#entries = this.#entries.filter((e, i) => e[0] !== entry[0] || i === at);
        this.#entries[at] = entry;
      }
      get(name) {
        const found = this.#entries.find((e) => e[0] === String(name));
        return found === undefined ? null : found[1];
      }
      getAll(name) {
        return this.#entries.filter((e) => e[0] === String(name)).map((e) => e[1]);
      }
      has(name) {
        return this.#entries.some((e) => e[0] === String(name));
      }
      delete(name) {
        this.#entries = this.#entries.filter((e) => e[0] !== String(name));
      }
      forEach(callback, self = undefined) {
        for (const [name, value] of this) {
          apply(callback, self, [value, name, this]);
        }
      }
      *entries() {
        for (let i = 0; i < this.#entries.length; i++) {
          yield [this.#entries[i][0], this.#entries[i][1]];
        }
      }
      *keys() {
        for (const [name] of this.entries()) {
          yield name;
        }
      }
      *values() {
        for (const [, value] of this.entries()) {
          yield value;
        }
      }
      [Symbol.iterator]() {
        return this.entries();
      }
      get [Symbol.toStringTag]() {
        return 'FormData';
      }
    }

    // A readable stream of byte chunks: over known bytes (a body), or fed by an underlying source's start and
    // pull through its controller. Readers, async iteration, cancel; no byob readers, no tee, no piping.
    const streamState = new WeakMap();
    class ReadableStream {
      constructor(source = undefined, strategy = undefined) {
        const state = { queue: [], closed: false, errored: false, error: undefined, locked: false, waiting: [],
          source, bytes: null, pulling: false, disturbed: false };
        streamState.set(this, state);
        const controller = {
          enqueue(chunk) {
            if (state.closed) {
              throw new TypeErrorType('ReadableStream: enqueue after close');
            }
            state.queue.push(chunk);
            settleWaiting(state);
          },
          close() {
            state.closed = true;
            settleWaiting(state);
          },
          error(reason) {
            state.errored = true;
            state.error = reason;
            settleWaiting(state);
          },
          get desiredSize() {
            return state.closed ? 0 : 1 - state.queue.length;
          },
        };
        state.controller = controller;
        if (source && typeof source.start === 'function') {
          try {
            const started = apply(source.start, source, [controller]);
            if (started && typeof started.then === 'function') {
              started.then(undefined, (reason) => controller.error(reason));
            }
          } catch (error) {
            controller.error(error);
          }
        }
        void strategy;
      }
      get locked() {
        return streamState.get(this).locked;
      }
      cancel(reason) {
        const state = streamState.get(this);
        state.queue = [];
        state.closed = true;
        state.disturbed = true;
        if (state.source && typeof state.source.cancel === 'function') {
          try {
            apply(state.source.cancel, state.source, [reason]);
          } catch (ignored) {
            // a failing cancel leaves the stream cancelled all the same
          }
        }
        settleWaiting(state);
        return IntrinsicPromise.resolve();
      }
      getReader(options = undefined) {
        if (options && options.mode !== undefined) {
          throw new TypeErrorType('ReadableStream: only default readers are supported');
        }
        const state = streamState.get(this);
        if (state.locked) {
          throw new TypeErrorType('ReadableStream: the stream is locked to a reader');
        }
        state.locked = true;
        const stream = this;
        let released = false;
        return {
          read() {
            if (released) {
              return IntrinsicPromise.reject(new TypeErrorType('ReadableStream: the reader was released'));
            }
            state.disturbed = true;
            return new IntrinsicPromise((resolve, reject) => {
              state.waiting.push({ resolve, reject });
              settleWaiting(state);
              pull(state);
            });
          },
          releaseLock() {
            released = true;
            state.locked = false;
          },
          cancel(reason) {
            return stream.cancel(reason);
          },
          get closed() {
            return new IntrinsicPromise((resolve) => resolve(undefined));
          },
        };
      }
      async *[Symbol.asyncIterator]() {
        const reader = this.getReader();
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) {
              return;
            }
            yield value;
          }
        } finally {
          reader.releaseLock();
        }
      }
      values() {
        return this[Symbol.asyncIterator]();
      }
      get [Symbol.toStringTag]() {
        return 'ReadableStream';
      }
    }

    function settleWaiting(state) {
      while (state.waiting.length > 0) {
        if (state.errored) {
          state.waiting.shift().reject(state.error);
        } else if (state.queue.length > 0) {
          state.waiting.shift().resolve({ value: state.queue.shift(), done: false });
        } else if (state.closed) {
          state.waiting.shift().resolve({ value: undefined, done: true });
        } else {
          return;
        }
      }
    }

    function pull(state) {
      const source = state.source;
      if (state.pulling || state.closed || state.errored || state.queue.length > 0 || !source
          || typeof source.pull !== 'function') {
        return;
      }
      state.pulling = true;
      let result;
      try {
        result = apply(source.pull, source, [state.controller]);
      } catch (error) {
        state.controller.error(error);
      }
      IntrinsicPromise.resolve(result).then(() => {
        state.pulling = false;
        if (state.waiting.length > 0) {
          pull(state);
        }
      }, (error) => state.controller.error(error));
    }

    // A stream over known bytes, which a body reads back without going through the queue.
    function streamOfBytes(bytes) {
      const stream = new ReadableStream({
        start(controller) {
          if (bytes.length > 0) {
            controller.enqueue(bytes);
          }
          controller.close();
        },
      });
      streamState.get(stream).bytes = bytes;
      return stream;
    }

    async function readAll(stream) {
      const state = streamState.get(stream);
      if (state.locked || state.disturbed) {
        throw new TypeErrorType('the body stream is locked or already read');
      }
      const reader = stream.getReader();
      const chunks = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done) {
          break;
        }
        chunks.push(typeof value === 'string' ? utf8Encode(value) : viewOf(value));
      }
      return concatBytes(chunks);
    }

    // Headers: a list of (lower-case name, value) pairs, in insertion order.
    const GUARD = new WeakMap();
    class Headers {
      #list = [];
      constructor(init = undefined) {
        if (init === undefined || init === null) {
          return;
        }
        if (init instanceof Headers) {
          init.#list.forEach(([name, value]) => this.#list.push([name, value]));
        } else if (typeof init === 'object' && typeof init[Symbol.iterator] === 'function') {
          for (const pair of init) {
            const items = [...pair];
            if (items.length !== 2) {
              throw new TypeErrorType('Headers: each header must be a [name, value] pair');
            }
            this.append(items[0], items[1]);
          }
        } else if (typeof init === 'object') {
          for (const name of objectKeys(init)) {
            this.append(name, init[name]);
          }
        } else {
          throw new TypeErrorType('Headers: init must be an object, an iterable of pairs or a Headers');
        }
      }
      static #name(name) {
        const s = String(name);
        if (!TOKEN.test(s)) {
          throw new TypeErrorType('Headers: "' + s + '" is not a valid header name');
        }
        return s.toLowerCase();
      }
      static #value(name, value) {
        const s = String(value).replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
        if (BAD_VALUE.test(s)) {
          throw new TypeErrorType('Headers: the value of "' + name + '" contains CR, LF or NUL');
        }
        return s;
      }
      #check() {
        if (GUARD.get(this) === 'immutable') {
          throw new TypeErrorType('Headers: these headers are immutable');
        }
      }
      append(name, value) {
        this.#check();
        const key = Headers.#name(name);
        this.#list.push([key, Headers.#value(key, value)]);
      }
      set(name, value) {
        this.#check();
        const key = Headers.#name(name);
        const v = Headers.#value(key, value);
        const at = this.#list.findIndex((e) => e[0] === key);
        if (at < 0) {
          this.#list.push([key, v]);
          return;
        }
        this.#list[at] = [key, v];
        this.#list = this.#list.filter((e, i) => e[0] !== key || i === at);
      }
      get(name) {
        const key = Headers.#name(name);
        const values = this.#list.filter((e) => e[0] === key).map((e) => e[1]);
        return values.length === 0 ? null : values.join(', ');
      }
      getSetCookie() {
        return this.#list.filter((e) => e[0] === 'set-cookie').map((e) => e[1]);
      }
      has(name) {
        const key = Headers.#name(name);
        return this.#list.some((e) => e[0] === key);
      }
      delete(name) {
        this.#check();
        const key = Headers.#name(name);
        this.#list = this.#list.filter((e) => e[0] !== key);
      }
      forEach(callback, self = undefined) {
        for (const [name, value] of this) {
          apply(callback, self, [value, name, this]);
        }
      }
      // Sorted by name, a repeated header's values combined, except set-cookie (one entry per value).
      *entries() {
        const names = [...new Set(this.#list.map((e) => e[0]))].sort();
        for (const name of names) {
          if (name === 'set-cookie') {
            for (const value of this.getSetCookie()) {
              yield [name, value];
            }
          } else {
            yield [name, this.get(name)];
          }
        }
      }
      *keys() {
        for (const [name] of this.entries()) {
          yield name;
        }
      }
      *values() {
        for (const [, value] of this.entries()) {
          yield value;
        }
      }
      [Symbol.iterator]() {
        return this.entries();
      }
      get [Symbol.toStringTag]() {
        return 'Headers';
      }
    }

    // The body of a Request or Response: known bytes, or a stream read on demand.
    function extractBody(init, headers) {
      if (init === undefined || init === null) {
        return null;
      }
      let type = null;
      let bytes;
      if (typeof init === 'string') {
        bytes = utf8Encode(init);
        type = 'text/plain;charset=UTF-8';
      } else if (init instanceof Blob) {
        bytes = blobBytes.get(init);
        type = init.type || null;
      } else if (isView(init) || isArrayBuffer(init)) {
        bytes = viewOf(init).slice();
      } else if (init instanceof ReadableStream) {
        const state = streamState.get(init);
        if (state.bytes !== null && !state.disturbed && !state.locked) {
          bytes = state.bytes;
        } else {
          return { bytes: null, stream: init };
        }
      } else if (init instanceof FormData) {
        const boundary = '----cs' + toHex(randomBytes(12));
        const chunks = [];
        for (const [name, value] of init) {
          const quoted = (s) => s.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22');
          let head = '--' + boundary + '\r\nContent-Disposition: form-data; name="' + quoted(name) + '"';
          if (typeof value === 'string') {
            chunks.push(utf8Encode(head + '\r\n\r\n' + value + '\r\n'));
          } else {
            head += '; filename="' + quoted(value.name) + '"\r\nContent-Type: '
                + (value.type || 'application/octet-stream') + '\r\n\r\n';
            chunks.push(utf8Encode(head), blobBytes.get(value), utf8Encode('\r\n'));
          }
        }
        chunks.push(utf8Encode('--' + boundary + '--\r\n'));
        bytes = concatBytes(chunks);
        type = 'multipart/form-data; boundary=' + boundary;
      } else if (urlLoaded && init instanceof urlModule().URLSearchParams) {
        bytes = utf8Encode(init.toString());
        type = 'application/x-www-form-urlencoded;charset=UTF-8';
      } else {
        bytes = utf8Encode(String(init));
        type = 'text/plain;charset=UTF-8';
      }
      if (type !== null && !headers.has('content-type')) {
        headers.append('content-type', type);
      }
      return { bytes, stream: null };
    }

    // What Request and Response share: the body and the ways to read it once.
    const bodies = new WeakMap();

    function bodyOf(owner) {
      return bodies.get(owner);
    }

    function consume(owner) {
      const state = bodyOf(owner);
      if (state.used) {
        return IntrinsicPromise.reject(new TypeErrorType('the body has already been read'));
      }
      state.used = true;
      const body = state.body;
      if (body === null) {
        return IntrinsicPromise.resolve(new Uint8Array(0));
      }
      if (body.bytes !== null) {
        return IntrinsicPromise.resolve(body.bytes);
      }
      return readAll(body.stream);
    }

    function parseFormData(bytes, contentType) {
      const form = new FormData();
      const type = (contentType || '').toLowerCase();
      if (type.startsWith('application/x-www-form-urlencoded')) {
        const params = new (urlModule().URLSearchParams)(utf8Decode(bytes));
        for (const [name, value] of params) {
          form.append(name, value);
        }
        return form;
      }
      const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || '');
      if (!type.startsWith('multipart/form-data') || !match) {
        throw new TypeErrorType('formData: the body is neither urlencoded nor multipart/form-data');
      }
      const boundary = '--' + (match[1] || match[2]);
      const text = toLatin1(bytes);
      const parts = text.split(boundary);
      for (let i = 1; i < parts.length; i++) {
        const part = parts[i];
        if (part.startsWith('--')) {
          break;
        }
        const split = part.indexOf('\r\n\r\n');
        if (split < 0) {
          throw new TypeErrorType('formData: a multipart part has no header end');
        }
        const head = part.slice(2, split);
        const content = part.slice(split + 4, part.endsWith('\r\n') ? part.length - 2 : part.length);
        const name = /name="([^"]*)"/i.exec(head);
        if (!name) {
          throw new TypeErrorType('formData: a multipart part has no name');
        }
        const filename = /filename="([^"]*)"/i.exec(head);
        const partType = /content-type:\s*([^\r\n]+)/i.exec(head);
        const partName = rt.decodeUtf8(name[1]);
        if (filename) {
          form.append(partName, new File([fromLatin1(content)], rt.decodeUtf8(filename[1]),
              { type: partType ? partType[1] : '' }));
        } else {
          form.append(partName, rt.decodeUtf8(content));
        }
      }
      return form;
    }

    const BodyMethods = {
      get body() {
        const state = bodyOf(this);
        if (state.body === null) {
          return null;
        }
        if (state.body.stream === null) {
          state.body.stream = streamOfBytes(state.body.bytes);
          state.body.bytes = null;
        }
        return state.body.stream;
      },
      get bodyUsed() {
        const state = bodyOf(this);
        return state.used || (state.body !== null && state.body.stream !== null
            && streamState.get(state.body.stream).disturbed);
      },
      arrayBuffer() {
        return consume(this).then((bytes) => bytes.slice().buffer);
      },
      bytes() {
        return consume(this).then((bytes) => bytes.slice());
      },
      text() {
        return consume(this).then(utf8Decode);
      },
      json() {
        return consume(this).then((bytes) => jsonParse(utf8Decode(bytes)));
      },
      blob() {
        const type = this.headers.get('content-type') || '';
        return consume(this).then((bytes) => new Blob([bytes], { type }));
      },
      formData() {
        const type = this.headers.get('content-type');
        return consume(this).then((bytes) => parseFormData(bytes, type));
      },
    };

    function mixBody(target) {
      for (const name of Object.getOwnPropertyNames(BodyMethods)) {
        defineProperty(target.prototype, name, Object.getOwnPropertyDescriptor(BodyMethods, name));
      }
    }

    function cloneBody(owner) {
      const state = bodyOf(owner);
      if (state.used) {
        throw new TypeErrorType('clone: the body has already been read');
      }
      if (state.body === null) {
        return null;
      }
      if (state.body.stream !== null) {
        const bytesOfStream = streamState.get(state.body.stream).bytes;
        if (bytesOfStream === null || streamState.get(state.body.stream).disturbed) {
          throw new TypeErrorType('clone: a streamed body cannot be cloned');
        }
        return { bytes: bytesOfStream, stream: null };
      }
      return { bytes: state.body.bytes, stream: null };
    }

    // URLs the runtime or a function wrote already normalized pass as they are; any other goes through the URL
    // parser, which is loaded for it. The pattern admits only what the parser leaves unchanged.
    const NORMALIZED = /^(https?):\/\/[a-z0-9-]+(\.[a-z0-9-]+)*(:[1-9][0-9]{0,4})?\/[A-Za-z0-9\-._~!$&()*+,;=:@%/]*(\?[A-Za-z0-9\-._~!$&()*+,;=:@%/?]*)?$/;

    function parseUrl(input, what) {
      const s = String(input);
      const m = NORMALIZED.exec(s);
      if (m !== null && !/\/\.\.?(\/|\?|$)/.test(s) && !/%(?![0-9A-Fa-f]{2})/.test(s)
          && !(m[3] !== undefined && ((m[1] === 'http' && m[3] === ':80') || (m[1] === 'https' && m[3] === ':443')))) {
        return s;
      }
      try {
        return new (urlModule().URL)(s).href;
      } catch (error) {
        throw new TypeErrorType(what + ': "' + s + '" is not a valid absolute URL');
      }
    }

    const METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH'];

    class Request {
      #method;
      #url;
      #headers;
      #signal;
      #redirect;
      constructor(input, init = undefined) {
        const options = init === undefined || init === null ? {} : init;
        let inputBody = null;
        if (input instanceof Request) {
          this.#url = input.#url;
          this.#method = input.#method;
          this.#headers = new Headers(input.#headers);
          this.#signal = input.#signal;
          this.#redirect = input.#redirect;
          if (options.body === undefined) {
            if (bodyOf(input).used) {
              throw new TypeErrorType('Request: the body of the input request has already been read');
            }
            inputBody = bodyOf(input).body;
          }
        } else {
          this.#url = parseUrl(input, 'Request');
          this.#method = 'GET';
          this.#headers = new Headers();
          this.#signal = null;
          this.#redirect = 'follow';
        }
        if (options.method !== undefined) {
          const method = String(options.method);
          if (!TOKEN.test(method)) {
            throw new TypeErrorType('Request: "' + method + '" is not a valid method');
          }
          const upper = method.toUpperCase();
          if (upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK') {
            throw new TypeErrorType('Request: the method ' + upper + ' is forbidden');
          }
          this.#method = METHODS.indexOf(upper) >= 0 ? upper : method;
        }
        if (options.headers !== undefined) {
          this.#headers = new Headers(options.headers);
        }
        if (options.signal !== undefined) {
          this.#signal = options.signal;
        }
        if (options.redirect !== undefined) {
          this.#redirect = String(options.redirect);
        }
        let body = inputBody;
        if (options.body !== undefined && options.body !== null) {
          if (this.#method === 'GET' || this.#method === 'HEAD') {
            throw new TypeErrorType('Request: a ' + this.#method + ' request cannot have a body');
          }
          body = extractBody(options.body, this.#headers);
        }
        bodies.set(this, { body, used: false });
      }
      get method() {
        return this.#method;
      }
      get url() {
        return this.#url;
      }
      get headers() {
        return this.#headers;
      }
      get signal() {
        if (this.#signal === null) {
          this.#signal = new (AbortTypes().AbortController)().signal;
        }
        return this.#signal;
      }
      get redirect() {
        return this.#redirect;
      }
      get cache() {
        return 'default';
      }
      get credentials() {
        return 'same-origin';
      }
      get mode() {
        return 'cors';
      }
      get referrer() {
        return 'about:client';
      }
      get integrity() {
        return '';
      }
      get keepalive() {
        return false;
      }
      get destination() {
        return '';
      }
      clone() {
        const copy = new Request(this.#url, { method: this.#method, headers: this.#headers, redirect: this.#redirect,
          signal: this.#signal === null ? undefined : this.#signal });
        bodyOf(copy).body = cloneBody(this);
        return copy;
      }
      get [Symbol.toStringTag]() {
        return 'Request';
      }
    }
    mixBody(Request);

    const NULL_BODY_STATUS = [101, 103, 204, 205, 304];
    const REDIRECT_STATUS = [301, 302, 303, 307, 308];
    let internalResponse = false;

    class Response {
      #status;
      #statusText;
      #headers;
      #type;
      #url;
      constructor(body = null, init = undefined) {
        const options = init === undefined || init === null ? {} : init;
        const status = options.status === undefined ? 200 : +options.status;
        if (!internalResponse && !(status >= 200 && status <= 599 && status === mathFloor(status))) {
          throw new RangeErrorType('Response: status must be an integer 200..599, got ' + options.status);
        }
        const statusText = options.statusText === undefined ? '' : String(options.statusText);
        if (/[\r\n]/.test(statusText)) {
          throw new TypeErrorType('Response: statusText must not contain CR or LF');
        }
        this.#status = status;
        this.#statusText = statusText;
        this.#headers = new Headers(options.headers);
        this.#type = 'default';
        this.#url = '';
        if (body !== null && body !== undefined && NULL_BODY_STATUS.indexOf(status) >= 0) {
          throw new TypeErrorType('Response: a ' + status + ' response cannot have a body');
        }
        bodies.set(this, { body: extractBody(body, this.#headers), used: false });
      }
      static json(data, init = undefined) {
        const text = jsonStringify(data);
        if (text === undefined) {
          throw new TypeErrorType('Response.json: the data is not JSON-serializable');
        }
        const response = new Response(text, init);
        response.#headers.set('content-type', 'application/json');
        return response;
      }
      static redirect(url, status = 302) {
        if (REDIRECT_STATUS.indexOf(+status) < 0) {
          throw new RangeErrorType('Response.redirect: status must be 301, 302, 303, 307 or 308, got ' + status);
        }
        const response = new Response(null, { status: +status, headers: { location: parseUrl(url, 'Response.redirect') } });
        GUARD.set(response.#headers, 'immutable');
        return response;
      }
      static error() {
        internalResponse = true;
        let response;
        try {
          response = new Response(null, { status: 0 });
        } finally {
          internalResponse = false;
        }
        response.#type = 'error';
        GUARD.set(response.#headers, 'immutable');
        return response;
      }
      static fromFetch(status, url, headers, bytes) {
        internalResponse = true;
        let response;
        try {
          response = new Response(NULL_BODY_STATUS.indexOf(status) >= 0 ? null : bytes, { status, headers });
        } finally {
          internalResponse = false;
        }
        response.#type = 'basic';
        response.#url = url;
        return response;
      }
      get status() {
        return this.#status;
      }
      get ok() {
        return this.#status >= 200 && this.#status <= 299;
      }
      get statusText() {
        return this.#statusText;
      }
      get headers() {
        return this.#headers;
      }
      get type() {
        return this.#type;
      }
      get url() {
        return this.#url;
      }
      get redirected() {
        return false;
      }
      clone() {
        internalResponse = true;
        let copy;
        try {
          copy = new Response(null, { status: this.#status, statusText: this.#statusText, headers: this.#headers });
        } finally {
          internalResponse = false;
        }
        copy.#type = this.#type;
        copy.#url = this.#url;
        bodyOf(copy).body = cloneBody(this);
        return copy;
      }
      get [Symbol.toStringTag]() {
        return 'Response';
      }
    }
    mixBody(Response);
    const fromFetch = Response.fromFetch;
    delete Response.fromFetch;

    // fetch: the same capability call as cs.http.fetch, so the same egress policy (allow-list, addresses after
    // DNS, checked redirects, bounded time and size) decides. An aborted signal rejects at once; the host call's
    // late answer is then ignored.
    function fetch(input, init = undefined) {
      let request;
      try {
        request = new Request(input, init);
      } catch (error) {
        return IntrinsicPromise.reject(error);
      }
      const signal = init && init.signal !== undefined ? init.signal : (input instanceof Request ? input.signal : null);
      if (signal && signal.aborted) {
        return IntrinsicPromise.reject(signal.reason);
      }
      return new IntrinsicPromise((resolve, reject) => {
        let settled = false;
        const onAbort = () => {
          if (!settled) {
            settled = true;
            reject(signal.reason);
          }
        };
        if (signal) {
          signal.addEventListener('abort', onAbort, { once: true });
        }
        consume(request).then((bytes) => {
          let encoded = '';
          let count = 0;
          for (const [name, value] of request.headers) {
            encoded += (count++ > 0 ? '\0' : '') + name + '\0' + value;
          }
          const kind = bodyOf(request).body === null ? 'none' : 'bytes';
          const buffer = kind === 'bytes' ? bytes.slice().buffer : undefined;
          return rt.hostPromise('http.fetch', request.url, request.method, encoded, kind, buffer,
              (status, url, headersJson, latin1) => fromFetch(status, url, jsonParse(headersJson), fromLatin1(latin1)));
        }).then((response) => {
          if (!settled) {
            settled = true;
            resolve(response);
          }
        }, (error) => {
          if (!settled) {
            settled = true;
            const failure = new TypeErrorType('fetch failed: ' + (error && error.message));
            failure.cause = error;
            reject(failure);
          }
        });
      });
    }

    return { Blob, File, FormData, ReadableStream, Headers, Request, Response, fetch };
  });

  lazy('Blob', () => FetchTypes().Blob);
  lazy('File', () => FetchTypes().File);
  lazy('FormData', () => FetchTypes().FormData);
  lazy('ReadableStream', () => FetchTypes().ReadableStream);
  lazy('Headers', () => FetchTypes().Headers);
  lazy('Request', () => FetchTypes().Request);
  lazy('Response', () => FetchTypes().Response);
  lazy('fetch', () => FetchTypes().fetch);

  // ---------------------------------------------------------------------------------------------------------
  // crypto: random values from the JDK's SecureRandom, crypto.subtle over the JDK's providers.
  // ---------------------------------------------------------------------------------------------------------

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

  const CryptoTypes = once(() => {
    const INTEGER_ARRAYS = ['[object Int8Array]', '[object Uint8Array]', '[object Uint8ClampedArray]',
      '[object Int16Array]', '[object Uint16Array]', '[object Int32Array]', '[object Uint32Array]',
      '[object BigInt64Array]', '[object BigUint64Array]'];

    function getRandomValues(array) {
      if (!isView(array) || INTEGER_ARRAYS.indexOf(Object.prototype.toString.call(array)) < 0) {
        throw domException('getRandomValues: the argument must be an integer typed array', 'TypeMismatchError');
      }
      if (array.byteLength > 65536) {
        throw domException('getRandomValues: more than 65536 bytes were requested', 'QuotaExceededError');
      }
      viewOf(array).set(randomBytes(array.byteLength));
      return array;
    }

    function randomUUID() {
      const b = randomBytes(16);
      b[6] = (b[6] & 0x0f) | 0x40;
      b[8] = (b[8] & 0x3f) | 0x80;
      const h = toHex(b);
      return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
    }

    const HASHES = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'];
    const keyData = new WeakMap();
    let constructing = false;

    class CryptoKey {
      constructor() {
        if (!constructing) {
          throw new TypeErrorType('CryptoKey: Illegal constructor');
        }
      }
      get type() {
        return keyData.get(this).type;
      }
      get extractable() {
        return keyData.get(this).extractable;
      }
      get algorithm() {
        return keyData.get(this).algorithm;
      }
      get usages() {
        return keyData.get(this).usages.slice();
      }
      get [Symbol.toStringTag]() {
        return 'CryptoKey';
      }
    }

    function newKey(data) {
      constructing = true;
      try {
        const key = new CryptoKey();
        keyData.set(key, data);
        return key;
      } finally {
        constructing = false;
      }
    }

    function notSupported(what) {
      return domException(what + ' is not supported', 'NotSupportedError');
    }

    function algorithmOf(algorithm) {
      const a = typeof algorithm === 'string' ? { name: algorithm } : algorithm;
      if (a === null || typeof a !== 'object' || typeof a.name !== 'string') {
        throw new TypeErrorType('the algorithm must be a name or an object with a name');
      }
      return a;
    }

    function hashOf(hash) {
      const name = typeof hash === 'string' ? hash : hash && hash.name;
      const upper = String(name).toUpperCase();
      if (HASHES.indexOf(upper) < 0) {
        throw notSupported('the hash ' + name);
      }
      return upper;
    }

    function bytesOf(data) {
      return toLatin1(viewOf(data));
    }

    function base64UrlToLatin1(text) {
      if (typeof text !== 'string') {
        throw domException('the JWK misses a member', 'DataError');
      }
      return atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    }

    function fail(result) {
      throw domException(result, result.indexOf('not supported') >= 0 ? 'NotSupportedError' : 'DataError');
    }

    function importKey(format, data, algorithm, extractable, usages) {
      const a = algorithmOf(algorithm);
      const name = a.name.toUpperCase();
      const uses = [...usages].map(String);
      if (name === 'HMAC') {
        const hash = hashOf(a.hash);
        let secret;
        if (format === 'raw') {
          secret = bytesOf(data);
        } else if (format === 'jwk') {
          if (data.kty !== 'oct') {
            throw domException('an HMAC JWK must have kty "oct"', 'DataError');
          }
          secret = base64UrlToLatin1(data.k);
        } else {
          throw notSupported('the key format ' + format + ' for HMAC');
        }
        if (secret.length === 0) {
          throw domException('an HMAC key must not be empty', 'DataError');
        }
        return newKey({ type: 'secret', extractable: !!extractable, usages: uses, secret,
          algorithm: freeze({ name: 'HMAC', hash: freeze({ name: hash }), length: secret.length * 8 }) });
      }
      const kind = name === 'ECDSA' ? 'ECDSA' : name === 'RSASSA-PKCS1-V1_5' ? 'RSASSA-PKCS1-v1_5'
        : name === 'RSA-PSS' ? 'RSA-PSS' : null;
      if (kind === null) {
        throw notSupported('the algorithm ' + a.name);
      }
      let material;
      if (format === 'spki' || format === 'raw') {
        if (format === 'raw' && kind !== 'ECDSA') {
          throw notSupported('the raw format for ' + kind);
        }
        material = [format, bytesOf(data), '', ''];
      } else if (format === 'jwk') {
        if (data.d !== undefined) {
          throw notSupported('importing a private key');
        }
        material = kind === 'ECDSA'
          ? ['jwk', String(data.crv), base64UrlToLatin1(data.x), base64UrlToLatin1(data.y)]
          : ['jwk', '', base64UrlToLatin1(data.n), base64UrlToLatin1(data.e)];
        if (kind === 'ECDSA' && data.kty !== 'EC' || kind !== 'ECDSA' && data.kty !== 'RSA') {
          throw domException('the JWK has kty "' + data.kty + '", which does not fit ' + kind, 'DataError');
        }
      } else {
        throw notSupported('the key format ' + format);
      }
      if (kind === 'ECDSA' && material[0] !== 'jwk') {
        material[2] = String(a.namedCurve);
      }
      const imported = host.importPublicKey(kind, material[0], material[1], material[2], material[3]);
      if (!imported.startsWith('ok:')) {
        fail(imported);
      }
      const bits = +imported.slice(3);
      let described;
      if (kind === 'ECDSA') {
        if (a.namedCurve !== undefined && material[0] === 'jwk' && a.namedCurve !== data.crv) {
          throw domException('the JWK curve ' + data.crv + ' is not ' + a.namedCurve, 'DataError');
        }
        described = { name: 'ECDSA', namedCurve: String(a.namedCurve === undefined ? data.crv : a.namedCurve) };
      } else {
        described = { name: kind, hash: freeze({ name: hashOf(a.hash) }), modulusLength: bits,
          publicExponent: new Uint8Array([1, 0, 1]) };
      }
      return newKey({ type: 'public', extractable: true, usages: uses, material, kind, algorithm: freeze(described) });
    }

    function checkKey(key, usage, name) {
      const data = keyData.get(key);
      if (data === undefined) {
        throw new TypeErrorType('the key is not a CryptoKey');
      }
      if (data.algorithm.name.toUpperCase() !== name.toUpperCase()) {
        throw domException('the key is for ' + data.algorithm.name + ', not ' + name, 'InvalidAccessError');
      }
      if (data.usages.indexOf(usage) < 0) {
        throw domException('the key may not be used to ' + usage, 'InvalidAccessError');
      }
      return data;
    }

    // Every method returns a promise and rejects rather than throws, as the standard has it.
    function async(body) {
      return (...args) => {
        try {
          return IntrinsicPromise.resolve(apply(body, undefined, args));
        } catch (error) {
          return IntrinsicPromise.reject(error);
        }
      };
    }

    // Compares in time independent of where the strings differ, so a MAC cannot be guessed byte by byte.
    function sameBytes(a, b) {
      if (a.length !== b.length) {
        return false;
      }
      let difference = 0;
      for (let i = 0; i < a.length; i++) {
        difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
      }
      return difference === 0;
    }

    function signature(algorithm, key, signatureBytes, data) {
      const a = algorithmOf(algorithm);
      const name = a.name.toUpperCase();
      if (name === 'HMAC') {
        const k = checkKey(key, 'verify', 'HMAC');
        return sameBytes(host.hmac(k.algorithm.hash.name, k.secret, bytesOf(data)), bytesOf(signatureBytes));
      }
      const k = checkKey(key, 'verify', a.name);
      const hash = k.kind === 'ECDSA' ? hashOf(a.hash) : k.algorithm.hash.name;
      const salt = k.kind === 'RSA-PSS' ? +a.saltLength : 0;
      if (!(salt >= 0 && salt <= 1024 && salt === mathFloor(salt))) {
        throw new TypeErrorType('RSA-PSS: saltLength must be an integer 0..1024, got ' + a.saltLength);
      }
      const result = host.verify(k.kind, hash, salt, k.material[0], k.material[1], k.material[2], k.material[3],
          bytesOf(signatureBytes), bytesOf(data));
      if (result !== 'true' && result !== 'false') {
        throw domException(result, 'OperationError');
      }
      return result === 'true';
    }

    const subtle = freeze({
      digest: async((algorithm, data) => fromLatin1(host.digest(hashOf(algorithmOf(algorithm).name), bytesOf(data)))
          .buffer),
      importKey: async(importKey),
      sign: async((algorithm, key, data) => {
        const a = algorithmOf(algorithm);
        if (a.name.toUpperCase() !== 'HMAC') {
          throw notSupported('signing with ' + a.name);
        }
        const k = checkKey(key, 'sign', 'HMAC');
        return fromLatin1(host.hmac(k.algorithm.hash.name, k.secret, bytesOf(data))).buffer;
      }),
      verify: async(signature),
      exportKey: async((format, key) => {
        const data = keyData.get(key);
        if (data === undefined || !data.extractable) {
          throw domException('the key is not extractable', 'InvalidAccessError');
        }
        if (format === 'raw' && data.type === 'secret') {
          return fromLatin1(data.secret).buffer;
        }
        throw notSupported('exporting in ' + format);
      }),
      generateKey: async(() => {
        throw notSupported('generateKey');
      }),
    });

    const crypto = freeze({ getRandomValues, randomUUID, subtle });
    return { crypto, CryptoKey };
  });

  lazy('crypto', () => CryptoTypes().crypto);
  lazy('CryptoKey', () => CryptoTypes().CryptoKey);

  // ---------------------------------------------------------------------------------------------------------
  // The Workers shape: export default { fetch(request, env, ctx) }, a Hono app among them.
  // ---------------------------------------------------------------------------------------------------------

  const TEXTUAL = /^text\/|json|xml|javascript|^application\/x-www-form-urlencoded/i;

  function requestOf(event) {
    const { Request } = FetchTypes();
    const headers = event.headers !== null && typeof event.headers === 'object' ? event.headers : {};
    const host = typeof headers.host === 'string' && /^[A-Za-z0-9.\-:[\]]+$/.test(headers.host)
      ? headers.host.toLowerCase() : 'localhost';
    const proto = headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
    const path = typeof event.proxyPath === 'string' ? event.proxyPath
      : typeof event.path === 'string' ? event.path : '/';
    const query = queryOf(event);
    const method = typeof event.httpMethod === 'string' ? event.httpMethod : 'GET';
    const init = { method, headers: [] };
    const multi = event.multiValueHeaders !== null && typeof event.multiValueHeaders === 'object'
      ? event.multiValueHeaders : null;
    for (const name of objectKeys(headers)) {
      const values = multi !== null && Array.isArray(multi[name]) ? multi[name] : [headers[name]];
      for (const value of values) {
        init.headers.push([name, String(value)]);
      }
    }
    if (typeof event.body === 'string' && method !== 'GET' && method !== 'HEAD') {
      init.body = event.isBase64Encoded === true ? fromLatin1(atob(event.body)) : utf8Encode(event.body);
    }
    return new Request(proto + '://' + host + path + query, init);
  }

  // The query string as received is not in the event; it is rebuilt from the multi-valued parameters.
  function queryOf(event) {
    const params = event.multiValueQueryStringParameters;
    if (params === null || typeof params !== 'object') {
      return '';
    }
    const encode = (s) => encodeURIComponent(s).replace(/%20/g, '+');
    let query = '';
    for (const name of objectKeys(params)) {
      const values = Array.isArray(params[name]) ? params[name] : [params[name]];
      for (const value of values) {
        query += (query === '' ? '?' : '&') + encode(String(name)) + '=' + encode(String(value));
      }
    }
    return query;
  }

  async function responseOf(response) {
    const { Response } = FetchTypes();
    if (!(response instanceof Response)) {
      throw new TypeErrorType('the fetch handler must return a Response, got '
          + (response === null ? 'null' : typeof response));
    }
    const headers = {};
    for (const [name, value] of response.headers) {
      headers[name] = headers[name] === undefined ? value : headers[name] + ', ' + value;
    }
    const bytes = new Uint8Array(await response.arrayBuffer());
    const latin1 = toLatin1(bytes);
    const type = response.headers.get('content-type');
    const text = bytes.length === 0 ? '' : (type === null || TEXTUAL.test(type)) ? host.decodeUtf8Fatal(latin1)
      : null;
    if (text !== null) {
      return { statusCode: response.status, headers, body: text, isBase64Encoded: false };
    }
    return { statusCode: response.status, headers, body: base64Encode(latin1), isBase64Encoded: true };
  }

  // How long before the deadline the handler stops waiting for ctx.waitUntil work, so that the response it
  // already has is not lost to the timeout: a tenth of the time budget, within these bounds.
  const MIN_WAIT_UNTIL_MARGIN_MS = 25;
  const MAX_WAIT_UNTIL_MARGIN_MS = 1000;

  function fetchHandler(app) {
    return async function fetchShape(event, ctx) {
      const margin = Math.min(MAX_WAIT_UNTIL_MARGIN_MS, Math.max(MIN_WAIT_UNTIL_MARGIN_MS, ctx.remainingMs() / 10));
      const pending = [];
      const executionContext = freeze({
        waitUntil(promise) {
          pending.push(IntrinsicPromise.resolve(promise).then(undefined, (error) => {
            rt.write('error', ['ctx.waitUntil: a promise rejected:', error]);
          }));
        },
        passThroughOnException() {
        },
        props: freeze({}),
      });
      // env: the manifest's env values and the activation's secrets, by name.
      const env = freeze({ ...ctx.env, ...ctx.secrets });
      const response = await responseOf(await apply(app.fetch, app, [requestOf(event), env, executionContext]));
      if (pending.length > 0) {
        const budget = ctx.remainingMs() - margin;
        let timer;
        const finished = await IntrinsicPromise.race([
          IntrinsicPromise.all(pending).then(() => true),
          new IntrinsicPromise((resolve) => {
            timer = setTimeout(() => resolve(false), budget > 0 ? budget : 0);
          }),
        ]);
        clearTimeout(timer);
        if (!finished) {
          rt.write('warn', ['[cs] ctx.waitUntil work did not finish before the deadline; it was stopped']);
        }
      }
      return response;
    };
  }

  rt.onActivation(() => {
    clearTimers();
    originMs = host.monotonicMs();
    originWallMs = Date.now();
  }, clearTimers);

  return freeze({ runTimer, fetchHandler, global: webGlobal });
})
