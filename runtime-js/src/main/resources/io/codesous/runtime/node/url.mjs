// node:url: the WHATWG URL classes Node.js's module re-exports; its file URL helpers (fileURLToPath(import.meta.url)
// is how ES module code finds its own path; a bundle's files sit at /) and urlToHttpOptions; and its legacy API,
// url.parse, url.format and url.resolve, which much CommonJS code on npm still calls before http.request. The legacy
// parser follows Node.js's own (lib/url.js): no validation, a host only after // or for the protocols that have one,
// the characters Node.js escapes in a path escaped, the query parsed by node:querystring when asked.
import { invalidArgType, nodeError } from 'node:internal/errors';
import querystring from 'node:querystring';

export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;

// -------------------------------------------------------------------------------------------------------------
// The file URL helpers and urlToHttpOptions
// -------------------------------------------------------------------------------------------------------------

export function fileURLToPath(url) {
  const parsed = typeof url === 'string' ? new URL(url) : url;
  if (!(parsed instanceof URL)) {
    throw invalidArgType('path', 'string or an instance of URL', url);
  }
  if (parsed.protocol !== 'file:') {
    throw nodeError(TypeError, 'ERR_INVALID_URL_SCHEME', 'The URL must be of scheme file');
  }
  if (parsed.hostname !== '') {
    throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_HOST', 'File URL host must be "localhost" or empty on linux');
  }
  if (/%2f/i.test(parsed.pathname)) {
    throw nodeError(TypeError, 'ERR_INVALID_FILE_URL_PATH', 'File URL path must not include encoded / characters');
  }
  return decodeURIComponent(parsed.pathname);
}

export function pathToFileURL(path) {
  if (typeof path !== 'string') {
    throw invalidArgType('path', 'string', path);
  }
  // resolved against /, the bundle's root, as node:path's resolve does here
  const absolute = path.startsWith('/') ? path : '/' + path;
  const url = new URL('file://');
  url.pathname = absolute.replace(/%/g, '%25').replace(/\\/g, '%5C').replace(/\n/g, '%0A').replace(/\r/g, '%0D')
    .replace(/\t/g, '%09');
  return url;
}

export function urlToHttpOptions(url) {
  const options = {
    protocol: url.protocol,
    hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
    hash: url.hash,
    search: url.search,
    pathname: url.pathname,
    path: (url.pathname || '') + (url.search || ''),
    href: url.href,
  };
  if (url.port !== '') {
    options.port = Number(url.port);
  }
  if (url.username || url.password) {
    options.auth = decodeURIComponent(url.username) + ':' + decodeURIComponent(url.password);
  }
  return options;
}

export function domainToASCII(domain) {
  try {
    return new URL('ws://' + domain).hostname;
  } catch {
    return '';
  }
}

// -------------------------------------------------------------------------------------------------------------
// The legacy API
// -------------------------------------------------------------------------------------------------------------

const PROTOCOL = /^[a-z0-9.+-]+:/i;
const PORT = /:[0-9]*$/;
const SIMPLE_PATH = /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/;
const SLASHED = new Set(['http:', 'https:', 'ftp:', 'gopher:', 'file:', 'ws:', 'wss:']);
const HOSTLESS = new Set(['javascript:']);
// where a host ends, and the characters Node.js escapes in what follows it
const HOST_END = /[/?#\s"'<>\\^`{|}%;]/;
const AUTO_ESCAPE = { '\t': '%09', '\n': '%0A', '\r': '%0D', ' ': '%20', '"': '%22', '\'': '%27', '<': '%3C',
  '>': '%3E', '\\': '%5C', '^': '%5E', '`': '%60', '{': '%7B', '|': '%7C', '}': '%7D' };

export function Url() {
  this.protocol = null;
  this.slashes = null;
  this.auth = null;
  this.host = null;
  this.port = null;
  this.hostname = null;
  this.hash = null;
  this.search = null;
  this.query = null;
  this.pathname = null;
  this.path = null;
  this.href = null;
}

function setQuery(url, rest, parseQueryString) {
  let remaining = rest;
  const hash = remaining.indexOf('#');
  if (hash >= 0) {
    url.hash = remaining.slice(hash);
    remaining = remaining.slice(0, hash);
  }
  const question = remaining.indexOf('?');
  if (question >= 0) {
    url.search = remaining.slice(question);
    url.query = remaining.slice(question + 1);
    if (parseQueryString) {
      url.query = querystring.parse(url.query);
    }
    remaining = remaining.slice(0, question);
  } else if (parseQueryString) {
    url.search = null;
    url.query = Object.create(null);
  }
  return remaining;
}

Url.prototype.parse = function parse(input, parseQueryString, slashesDenoteHost) {
  if (typeof input !== 'string') {
    throw invalidArgType('url', 'string', input);
  }
  // backslashes before the query are slashes, as browsers take them
  let rest = input.trim();
  const queryAt = rest.search(/[?#]/);
  rest = (queryAt < 0 ? rest : rest.slice(0, queryAt)).replace(/\\/g, '/') + (queryAt < 0 ? '' : rest.slice(queryAt));
  if (!slashesDenoteHost && input.indexOf('#') < 0) {
    const simple = SIMPLE_PATH.exec(rest);
    if (simple) {
      this.path = rest;
      this.href = rest;
      this.pathname = simple[1];
      if (simple[2]) {
        this.search = simple[2];
        this.query = parseQueryString ? querystring.parse(this.search.slice(1)) : this.search.slice(1);
      } else if (parseQueryString) {
        this.search = null;
        this.query = Object.create(null);
      }
      return this;
    }
  }
  const protocol = PROTOCOL.exec(rest);
  let lowerProtocol;
  if (protocol) {
    lowerProtocol = protocol[0].toLowerCase();
    this.protocol = lowerProtocol;
    rest = rest.slice(protocol[0].length);
  }
  let slashes = false;
  if (slashesDenoteHost || protocol || /^\/\/[^@/]+@[^@/]+/.test(rest)) {
    slashes = rest.startsWith('//');
    if (slashes && !(protocol && HOSTLESS.has(lowerProtocol))) {
      rest = rest.slice(2);
      this.slashes = true;
    }
  }
  if (!HOSTLESS.has(lowerProtocol) && (slashes || (protocol && !SLASHED.has(lowerProtocol)))) {
    // the authority ends at the first /, ? or #; its user information at the last @ before that
    let end = rest.search(/[/?#]/);
    if (end < 0) {
      end = rest.length;
    }
    const at = rest.lastIndexOf('@', end);
    if (at >= 0) {
      this.auth = decodeURIComponent(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
    let hostEnd = rest.search(HOST_END);
    if (hostEnd < 0) {
      hostEnd = rest.length;
    }
    let host = rest.slice(0, hostEnd);
    rest = rest.slice(hostEnd);
    const port = PORT.exec(host);
    if (port) {
      if (port[0] !== ':') {
        this.port = port[0].slice(1);
      }
      host = host.slice(0, host.length - port[0].length);
    }
    const ipv6 = host.startsWith('[') && host.endsWith(']');
    let hostname = ipv6 ? host.slice(1, -1) : host.toLowerCase();
    if (!ipv6 && /[^\x00-\x7f]/.test(hostname)) {
      hostname = domainToASCII(hostname) || hostname;
    }
    this.hostname = hostname;
    this.host = (ipv6 ? '[' + hostname + ']' : hostname) + (this.port ? ':' + this.port : '');
  }
  let escaped = '';
  for (const char of rest) {
    escaped += AUTO_ESCAPE[char] ?? char;
  }
  const path = setQuery(this, escaped, parseQueryString);
  if (path) {
    this.pathname = path;
  }
  if (SLASHED.has(lowerProtocol) && this.hostname && !this.pathname) {
    this.pathname = '/';
  }
  if (this.pathname || this.search) {
    this.path = (this.pathname || '') + (this.search || '');
  }
  this.href = this.format();
  return this;
};

Url.prototype.format = function format() {
  let auth = this.auth || '';
  if (auth) {
    auth = encodeURIComponent(auth).replace(/%3A/i, ':') + '@';
  }
  let protocol = this.protocol || '';
  let pathname = this.pathname || '';
  let hash = this.hash || '';
  let host = '';
  if (this.host) {
    host = auth + this.host;
  } else if (this.hostname) {
    host = auth + (this.hostname.includes(':') && !this.hostname.startsWith('[') ? '[' + this.hostname + ']'
      : this.hostname) + (this.port ? ':' + this.port : '');
  }
  let query = '';
  if (this.query !== null && typeof this.query === 'object') {
    query = querystring.stringify(this.query);
  }
  let search = this.search || (query && '?' + query) || '';
  if (protocol && !protocol.endsWith(':')) {
    protocol += ':';
  }
  pathname = pathname.replace(/[?#]/g, (c) => encodeURIComponent(c));
  if (this.slashes || SLASHED.has(protocol)) {
    if (this.slashes || host) {
      if (pathname && !pathname.startsWith('/')) {
        pathname = '/' + pathname;
      }
      host = '//' + host;
    } else if (protocol === 'file:') {
      host = '//';
    }
  }
  search = search.replace(/#/g, '%23');
  if (hash && !hash.startsWith('#')) {
    hash = '#' + hash;
  }
  if (search && !search.startsWith('?')) {
    search = '?' + search;
  }
  return protocol + host + pathname + search + hash;
};

Url.prototype.resolve = function resolve(relative) {
  return urlResolve(this.format(), relative);
};

export function parse(input, parseQueryString, slashesDenoteHost) {
  if (input instanceof Url) {
    return input;
  }
  return new Url().parse(input, parseQueryString, slashesDenoteHost);
}

export function format(input, options) {
  if (typeof input === 'string') {
    return parse(input).format();
  }
  if (input instanceof URL) {
    const url = new URL(input.href);
    if (options && options.auth === false) {
      url.username = '';
      url.password = '';
    }
    if (options && options.search === false) {
      url.search = '';
    }
    if (options && options.fragment === false) {
      url.hash = '';
    }
    return url.href;
  }
  if (input === null || typeof input !== 'object') {
    throw invalidArgType('urlObject', 'object or string', input);
  }
  return Url.prototype.format.call(input);
}

// A base of Node.js's resolve that is not an absolute URL (a path) is resolved under a scheme of its own and given
// back without it
function urlResolve(from, to) {
  try {
    return new URL(to, from).href;
  } catch {
    const base = 'resolve://' + (from.startsWith('/') ? '' : '/') + from;
    const resolved = new URL(to, base).href.slice('resolve://'.length);
    return from.startsWith('/') ? resolved : resolved.replace(/^\//, '');
  }
}

export { urlResolve as resolve };

export default {
  URL, URLSearchParams, Url, domainToASCII, fileURLToPath, format, parse, pathToFileURL, resolve: urlResolve,
  urlToHttpOptions,
};
