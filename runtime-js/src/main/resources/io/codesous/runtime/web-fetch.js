// AbortController, AbortSignal, Blob, File, FormData, Headers, Request, Response, fetch and the
// adapter of the Workers shape (export default { fetch }): a part of the Web platform APIs of cs-web.js, evaluated
// in a context when its function first uses one of these globals (from a Source the engine parses once); `web` is
// what cs-web.js shares with its parts.
(function installWebPart(web) {
  'use strict';

  const { EventTypes, IntrinsicPromise, RangeErrorType, TypeErrorType, apply, atob, base64Encode, clearTimeout,
    concatBytes, defineProperty, domException, freeze, fromLatin1, host, isArrayBuffer, isView, jsonParse,
    jsonStringify, lazy, mathFloor, objectKeys, once, randomBytes, rt, setTimeout, toDelay, toHex, toLatin1,
    urlLoaded, urlModule, utf8Decode, utf8Encode, viewOf } = web;

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
  // Blob, File, FormData, Headers, Request, Response, fetch (bodies read as streams through the streams part).
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

    // What FormData and Headers iterate alike, over their own entries(): installed on each prototype as its class
    // would define them (writable, configurable, not enumerable).
    const EntryIteration = {
      forEach(callback, self = undefined) {
        for (const [name, value] of this) {
          apply(callback, self, [value, name, this]);
        }
      },
      *keys() {
        for (const [name] of this.entries()) {
          yield name;
        }
      },
      *values() {
        for (const [, value] of this.entries()) {
          yield value;
        }
      },
      [Symbol.iterator]() {
        return this.entries();
      },
    };

    function mixEntryIteration(target) {
      for (const key of ['forEach', 'keys', 'values', Symbol.iterator]) {
        defineProperty(target.prototype, key,
          { value: EntryIteration[key], writable: true, enumerable: false, configurable: true });
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
      *entries() {
        for (let i = 0; i < this.#entries.length; i++) {
          yield [this.#entries[i][0], this.#entries[i][1]];
        }
      }
      get [Symbol.toStringTag]() {
        return 'FormData';
      }
    }
    mixEntryIteration(FormData);

    // Streams are the streams part's (web-streams.js), evaluated only once a body is read as a stream or a function
    // uses a stream global: a body of known bytes stays bytes until then.
    const streamsPart = () => web.part('streams');
    // The bytes of each stream made over known bytes, which a body takes back without reading the stream.
    const knownBytes = new WeakMap();

    function isStream(value) {
      return web.partLoaded('streams') && value instanceof streamsPart().ReadableStream;
    }

    function isDisturbed(stream) {
      return streamsPart().isDisturbed(stream);
    }

    function streamOfBytes(bytes) {
      const stream = new (streamsPart().ReadableStream)({
        start(controller) {
          if (bytes.length > 0) {
            controller.enqueue(bytes);
          }
          controller.close();
        },
      });
      knownBytes.set(stream, bytes);
      return stream;
    }

    async function readAll(stream) {
      if (stream.locked || isDisturbed(stream)) {
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
      get [Symbol.toStringTag]() {
        return 'Headers';
      }
    }
    mixEntryIteration(Headers);

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
      } else if (isStream(init)) {
        const known = knownBytes.get(init);
        if (known !== undefined && !isDisturbed(init) && !init.locked) {
          bytes = known;
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
      } else if (urlLoaded() && init instanceof urlModule().URLSearchParams) {
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
        return state.used
            || (state.body !== null && state.body.stream !== null && isDisturbed(state.body.stream));
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
        const stream = state.body.stream;
        if (stream.locked || isDisturbed(stream)) {
          throw new TypeErrorType('clone: the body stream is locked or already read');
        }
        const known = knownBytes.get(stream);
        if (known !== undefined) {
          return { bytes: known, stream: null };
        }
        // a streamed body: each of the two gets a branch of it, as the Fetch standard clones a body
        const [kept, given] = stream.tee();
        state.body.stream = kept;
        return { bytes: null, stream: given };
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

    // The response's headers as the host answers them: each name's values joined, but for Set-Cookie, whose values
    // come one per line, each its own, as getSetCookie() gives them
    function headersOf(headersJson, cookies) {
      const joined = jsonParse(headersJson);
      if (cookies === '' || cookies === undefined) {
        return joined;
      }
      const pairs = [];
      for (const name of objectKeys(joined)) {
        if (name !== 'set-cookie') {
          pairs.push([name, joined[name]]);
        }
      }
      for (const cookie of cookies.split('\n')) {
        pairs.push(['set-cookie', cookie]);
      }
      return pairs;
    }

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
              (status, url, headersJson, latin1, cookies) => fromFetch(status, url, headersOf(headersJson, cookies),
                fromLatin1(latin1)));
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

    return { Blob, File, FormData, Headers, Request, Response, fetch };
  });

  lazy('Blob', () => FetchTypes().Blob);
  lazy('File', () => FetchTypes().File);
  lazy('FormData', () => FetchTypes().FormData);
  lazy('Headers', () => FetchTypes().Headers);
  lazy('Request', () => FetchTypes().Request);
  lazy('Response', () => FetchTypes().Response);
  lazy('fetch', () => FetchTypes().fetch);

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

  return freeze({ fetchHandler });
})
