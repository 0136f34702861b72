// node:internal/http: the HTTP client over fetch() that node:http and node:https hand out. request and get make a
// ClientRequest (a Writable of node:stream) that gathers its body and, at end(), sends it through fetch, so the
// platform's egress policy decides every request as it decides fetch's; the answer is an IncomingMessage (a
// Readable) with Node.js's status, headers and rawHeaders. What differs from Node.js: there are no sockets
// (req.socket is a stand-in whose timeouts and options do nothing), redirects are followed by the platform as fetch
// follows them, the body is sent once end() is called and arrives whole, an Agent pools nothing, and a failed
// request's 'error' carries the platform's code (CS_CAPABILITY_DENIED for an address the policy refuses) rather than
// a socket's. A server cannot be created: a function answers requests through its handler.
import { EventEmitter } from 'node:events';
import { invalidArgType, nodeError } from 'node:internal/errors';
import { lazyClass } from 'node:internal/lazy-class';
import { urlToHttpOptions } from 'node:url';

const getBuiltinModule = globalThis.process.getBuiltinModule;
const Buffer = () => globalThis.Buffer;

export const STATUS_CODES = Object.freeze({
  100: 'Continue', 101: 'Switching Protocols', 102: 'Processing', 103: 'Early Hints', 200: 'OK', 201: 'Created',
  202: 'Accepted', 203: 'Non-Authoritative Information', 204: 'No Content', 205: 'Reset Content',
  206: 'Partial Content', 207: 'Multi-Status', 208: 'Already Reported', 226: 'IM Used', 300: 'Multiple Choices',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 305: 'Use Proxy',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized',
  402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 406: 'Not Acceptable',
  407: 'Proxy Authentication Required', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 411: 'Length Required',
  412: 'Precondition Failed', 413: 'Payload Too Large', 414: 'URI Too Long', 415: 'Unsupported Media Type',
  416: 'Range Not Satisfiable', 417: 'Expectation Failed', 418: 'I\'m a Teapot', 421: 'Misdirected Request',
  422: 'Unprocessable Entity', 423: 'Locked', 424: 'Failed Dependency', 425: 'Too Early', 426: 'Upgrade Required',
  428: 'Precondition Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
  451: 'Unavailable For Legal Reasons', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway',
  503: 'Service Unavailable', 504: 'Gateway Timeout', 505: 'HTTP Version Not Supported',
  506: 'Variant Also Negotiates', 507: 'Insufficient Storage', 508: 'Loop Detected',
  509: 'Bandwidth Limit Exceeded', 510: 'Not Extended', 511: 'Network Authentication Required',
});

export const METHODS = Object.freeze(['ACL', 'BIND', 'CHECKOUT', 'CONNECT', 'COPY', 'DELETE', 'GET', 'HEAD', 'LINK',
  'LOCK', 'M-SEARCH', 'MERGE', 'MKACTIVITY', 'MKCALENDAR', 'MKCOL', 'MOVE', 'NOTIFY', 'OPTIONS', 'PATCH', 'POST',
  'PROPFIND', 'PROPPATCH', 'PURGE', 'PUT', 'QUERY', 'REBIND', 'REPORT', 'SEARCH', 'SOURCE', 'SUBSCRIBE', 'TRACE',
  'UNBIND', 'UNLINK', 'UNLOCK', 'UNSUBSCRIBE']);

export const maxHeaderSize = 16384;

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// what the platform's egress sets itself: a function's own would be dropped or refused there
const PLATFORM_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

function unavailable(what) {
  return nodeError(Error, 'ERR_FEATURE_UNAVAILABLE_ON_PLATFORM', what + ' is not available in code-sous: a function '
    + 'answers requests through its handler, and makes them with node:http\'s request and get or with fetch');
}

export function validateHeaderName(name) {
  if (typeof name !== 'string' || !TOKEN.test(name)) {
    throw nodeError(TypeError, 'ERR_INVALID_HTTP_TOKEN', 'Header name must be a valid HTTP token ["'
      + String(name) + '"]');
  }
}

export function validateHeaderValue(name, value) {
  if (value === undefined) {
    throw nodeError(TypeError, 'ERR_HTTP_INVALID_HEADER_VALUE', 'Invalid value "undefined" for header "' + name
      + '"');
  }
  if (/[^\t\x20-\x7e\x80-\xff]/.test(String(value))) {
    throw nodeError(TypeError, 'ERR_INVALID_CHAR', 'Invalid character in header content ["' + name + '"]');
  }
}

export function setMaxIdleHTTPParsers() {
}

export class Agent extends EventEmitter {
  constructor(options = {}) {
    super();
    this.options = { path: null, ...options };
    this.keepAlive = options.keepAlive === true;
    this.maxSockets = options.maxSockets ?? Infinity;
    this.maxFreeSockets = options.maxFreeSockets ?? 256;
    this.maxTotalSockets = options.maxTotalSockets ?? Infinity;
    this.defaultPort = options.defaultPort ?? 80;
    this.protocol = options.protocol ?? 'http:';
    this.sockets = {};
    this.freeSockets = {};
    this.requests = {};
  }

  destroy() {
  }
}

export const globalAgent = new Agent();

// The request URL from Node.js's arguments: (url[, options][, callback]) or (options[, callback])
function targetOf(protocol, args) {
  let url = null;
  let options = {};
  let callback;
  let at = 0;
  if (typeof args[0] === 'string' || args[0] instanceof URL) {
    url = new URL(String(args[0]));
    at = 1;
  }
  if (args[at] !== null && typeof args[at] === 'object') {
    options = args[at];
    at++;
  } else if (url === null && args[at] !== undefined && typeof args[at] !== 'function') {
    throw invalidArgType('options', 'object', args[at]);
  }
  if (typeof args[at] === 'function') {
    callback = args[at];
  }
  const merged = url === null ? { ...options } : { ...urlToHttpOptions(url), ...options };
  if (merged.socketPath !== undefined) {
    throw unavailable('A request over a Unix socket (options.socketPath)');
  }
  const wanted = merged.protocol ?? protocol;
  if (wanted !== protocol) {
    throw nodeError(TypeError, 'ERR_INVALID_PROTOCOL', 'Protocol "' + wanted + '" not supported. Expected "'
      + protocol + '"');
  }
  // hostname is the name alone; host may carry a port, which port gives (an IPv6 address keeps its colons)
  const host = merged.hostname !== undefined && merged.hostname !== null ? String(merged.hostname)
    : String(merged.host ?? 'localhost').replace(/^\[(.*)\]$/, '$1').replace(/^([^:]*):\d*$/, '$1');
  const port = merged.port === undefined || merged.port === null || merged.port === '' ? '' : String(merged.port);
  const defaultPort = protocol === 'https:' ? '443' : '80';
  const path = merged.path ?? '/';
  if (/[\u0000-\u0020]/.test(path)) {
    throw nodeError(TypeError, 'ERR_UNESCAPED_CHARACTERS', 'Request path contains unescaped characters');
  }
  const method = String(merged.method ?? 'GET').toUpperCase();
  if (!TOKEN.test(method)) {
    throw nodeError(TypeError, 'ERR_INVALID_HTTP_TOKEN', 'Method must be a valid HTTP token ["' + method + '"]');
  }
  const address = (host.includes(':') ? '[' + host + ']' : host) + (port !== '' && port !== defaultPort ? ':' + port
    : '');
  return { url: protocol + '//' + address + (path.startsWith('/') ? path : '/' + path), method, host: address, path,
    options: merged, callback };
}

let classes;

// The classes, built on the first request: node:stream is evaluated then, not when this module is imported
function httpClasses() {
  if (classes !== undefined) {
    return classes;
  }
  const { Readable, Writable } = getBuiltinModule('node:stream');

  // What stands for the connection: code that sets a socket's timeout or options, or listens to it, runs unchanged
  class SocketStandIn extends EventEmitter {
    constructor() {
      super();
      this.connecting = false;
      this.destroyed = false;
      this.encrypted = false;
    }

    setTimeout(ms, callback) {
      if (typeof callback === 'function') {
        this.once('timeout', callback);
      }
      return this;
    }

    setNoDelay() {
      return this;
    }

    setKeepAlive() {
      return this;
    }

    ref() {
      return this;
    }

    unref() {
      return this;
    }

    destroy() {
      this.destroyed = true;
      return this;
    }
  }

  class IncomingMessage extends Readable {
    constructor(response, body, socket) {
      super();
      this.statusCode = response.status;
      this.statusMessage = response.statusText || STATUS_CODES[response.status] || '';
      this.httpVersion = '1.1';
      this.httpVersionMajor = 1;
      this.httpVersionMinor = 1;
      this.headers = {};
      this.rawHeaders = [];
      for (const [name, value] of response.headers) {
        if (name === 'set-cookie') {
          continue;
        }
        this.headers[name] = value;
        this.rawHeaders.push(name, value);
      }
      const cookies = response.headers.getSetCookie();
      if (cookies.length > 0) {
        this.headers['set-cookie'] = cookies;
        for (const cookie of cookies) {
          this.rawHeaders.push('set-cookie', cookie);
        }
      }
      this.trailers = {};
      this.rawTrailers = [];
      this.url = '';
      this.method = null;
      this.socket = this.connection = socket;
      this.aborted = false;
      this.complete = false;
      this.#body = body;
    }

    #body;

    _read() {
      if (this.#body !== null) {
        const body = this.#body;
        this.#body = null;
        if (body.length > 0) {
          this.push(body);
        }
        this.complete = true;
        this.push(null);
      }
    }

    setTimeout(ms, callback) {
      this.socket.setTimeout(ms, callback);
      return this;
    }
  }

  class ClientRequest extends Writable {
    #target;
    #headers = new Map();
    #chunks = [];
    #controller = new AbortController();
    #timer;

    constructor(protocol, args) {
      const target = targetOf(protocol, args);
      // not destroyed once its body is written, as a Writable is by default: the answer is still to come, and
      // destroying the request aborts its fetch
      super({ autoDestroy: false });
      this.#target = target;
      this.method = target.method;
      this.path = target.path;
      this.host = target.host;
      this.protocol = protocol;
      this.agent = target.options.agent ?? globalAgent;
      this.aborted = false;
      this.reusedSocket = false;
      this.headersSent = false;
      this.maxHeadersCount = null;
      this.socket = this.connection = new SocketStandIn();
      const headers = target.options.headers;
      if (Array.isArray(headers)) {
        for (let i = 0; i + 1 < headers.length; i += 2) {
          this.setHeader(headers[i], headers[i + 1]);
        }
      } else if (headers) {
        for (const name of Object.keys(headers)) {
          this.setHeader(name, headers[name]);
        }
      }
      if (target.options.auth && !this.hasHeader('authorization')) {
        this.setHeader('Authorization', 'Basic ' + Buffer().from(String(target.options.auth)).toString('base64'));
      }
      if (target.callback) {
        this.once('response', target.callback);
      }
      if (target.options.timeout !== undefined) {
        this.setTimeout(target.options.timeout);
      }
      const signal = target.options.signal;
      if (signal) {
        if (signal.aborted) {
          globalThis.queueMicrotask(() => this.destroy(signal.reason));
        } else {
          signal.addEventListener('abort', () => this.destroy(signal.reason), { once: true });
        }
      }
      globalThis.queueMicrotask(() => this.emit('socket', this.socket));
    }

    setHeader(name, value) {
      if (this.headersSent) {
        throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot set headers after they are sent to the client');
      }
      validateHeaderName(name);
      validateHeaderValue(name, value);
      this.#headers.set(name.toLowerCase(), [name, value]);
      return this;
    }

    getHeader(name) {
      return this.#headers.get(String(name).toLowerCase())?.[1];
    }

    getHeaders() {
      const headers = Object.create(null);
      for (const [key, [, value]] of this.#headers) {
        headers[key] = value;
      }
      return headers;
    }

    getHeaderNames() {
      return Array.from(this.#headers.keys());
    }

    getRawHeaderNames() {
      return Array.from(this.#headers.values(), ([name]) => name);
    }

    hasHeader(name) {
      return this.#headers.has(String(name).toLowerCase());
    }

    removeHeader(name) {
      if (this.headersSent) {
        throw nodeError(Error, 'ERR_HTTP_HEADERS_SENT', 'Cannot remove headers after they are sent to the client');
      }
      this.#headers.delete(String(name).toLowerCase());
    }

    flushHeaders() {
    }

    setNoDelay() {
    }

    setSocketKeepAlive() {
    }

    // Node.js emits 'timeout' and leaves it to the listener to end the request
    setTimeout(ms, callback) {
      if (typeof callback === 'function') {
        this.once('timeout', callback);
      }
      globalThis.clearTimeout(this.#timer);
      if (ms > 0) {
        this.#timer = globalThis.setTimeout(() => {
          this.socket.emit('timeout');
          this.emit('timeout');
        }, ms);
      }
      return this;
    }

    abort() {
      if (!this.aborted) {
        this.aborted = true;
        globalThis.queueMicrotask(() => this.emit('abort'));
        this.destroy();
      }
    }

    _write(chunk, encoding, callback) {
      this.#chunks.push(typeof chunk === 'string' ? Buffer().from(chunk, encoding) : chunk);
      callback();
    }

    _final(callback) {
      this.#send();
      callback();
    }

    _destroy(error, callback) {
      globalThis.clearTimeout(this.#timer);
      this.#controller.abort(error ?? undefined);
      this.socket.destroy();
      callback(error);
    }

    #send() {
      this.headersSent = true;
      const headers = [];
      for (const [key, [, value]] of this.#headers) {
        if (!PLATFORM_HEADERS.has(key)) {
          for (const one of Array.isArray(value) ? value : [value]) {
            headers.push([key, String(one)]);
          }
        }
      }
      const body = Buffer().concat(this.#chunks);
      this.#chunks = [];
      const init = { method: this.method, headers, signal: this.#controller.signal };
      if (body.length > 0 || (this.method !== 'GET' && this.method !== 'HEAD')) {
        init.body = body;
      }
      globalThis.fetch(this.#target.url, init)
        .then((response) => response.arrayBuffer().then((bytes) => [response, bytes]))
        .then(([response, bytes]) => {
          if (this.destroyed) {
            return;
          }
          globalThis.clearTimeout(this.#timer);
          const message = new IncomingMessage(response, Buffer().from(bytes), this.socket);
          this.res = message;
          message.on('end', () => this.emit('close'));
          // as Node.js does, a response nobody listens for is read to its end and dropped
          if (!this.emit('response', message)) {
            message.resume();
          }
        }, (failure) => {
          if (this.destroyed) {
            return;
          }
          const cause = failure && failure.cause;
          const error = new Error(failure && failure.message ? failure.message : String(failure));
          error.code = cause && cause.code ? cause.code : 'ECONNRESET';
          error.cause = cause ?? failure;
          this.destroy(error);
        });
    }
  }

  classes = { ClientRequest, IncomingMessage };
  return classes;
}

// built on the first request (see httpClasses); Node.js's ClientRequest takes what request() takes
export const ClientRequest = lazyClass('ClientRequest', () => httpClasses().ClientRequest,
  (Built, args) => new Built('http:', args));
export const IncomingMessage = lazyClass('IncomingMessage', () => httpClasses().IncomingMessage);

export function OutgoingMessage() {
  throw unavailable('node:http\'s OutgoingMessage');
}

export function Server() {
  throw unavailable('node:http\'s server');
}

export function ServerResponse() {
  throw unavailable('node:http\'s ServerResponse');
}

export function createServer() {
  throw unavailable('node:http\'s server');
}

// request and get for protocol (http: or https:)
export function clientOf(protocol) {
  const request = (...args) => new (httpClasses().ClientRequest)(protocol, args);
  const get = (...args) => {
    const req = request(...args);
    req.end();
    return req;
  };
  return { request, get };
}
