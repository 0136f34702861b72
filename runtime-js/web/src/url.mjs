// URL and URLSearchParams from whatwg-url, the WHATWG URL standard's reference implementation, with fast paths for
// the inputs most functions parse on every request (new URL(request.url), a query of plain ASCII): the standard's
// parser is a state machine run code point by code point, which costs a sandbox without a JIT about 0.3-0.45 ms per
// URL. Each fast path answers only inputs for which the parser's result is plain to read off the text, and leaves
// every other input to the parser:
// - an absolute http(s) URL in lower case with no user info, a host of letters, digits, hyphens and dots whose last
//   label starts with a letter (so not an IPv4 address) and no label starting "xn--" (so no punycode to check),
//   an optional non-default port without leading zeros, and a path, query and fragment of characters the parser
//   copies unchanged, with no "." or ".." segment (even percent-encoded);
// - a urlencoded string of ASCII whose percent-escapes all stand for ASCII bytes;
// - serializing name-value pairs of ASCII letters, digits, "*-._" and spaces.
import usm from 'whatwg-url/lib/url-state-machine.js';
import urlencoded from 'whatwg-url/lib/urlencoded.js';

export { URL, URLSearchParams } from 'whatwg-url';

const SIMPLE_URL = new RegExp('^(https?)://((?:[a-z0-9-]+\\.)*[a-z][a-z0-9-]*)(?::([1-9][0-9]{0,4}))?'
  + "((?:/[A-Za-z0-9\\-._~!$&'()*+,;=:@%]*)*)(?:\\?([A-Za-z0-9\\-._~!$&()*+,;=:@%/?]*))?"
  + "(?:#([A-Za-z0-9\\-._~!$&'()*+,;=:@%/?]*))?$");
const DEFAULT_PORT = { http: 80, https: 443 };

function simpleUrl(input) {
  const m = SIMPLE_URL.exec(input);
  if (m === null || /(^|\.)xn--/.test(m[2])) {
    return null;
  }
  let port = null;
  if (m[3] !== undefined) {
    port = Number(m[3]);
    if (port > 65535) {
      return null;
    }
    if (port === DEFAULT_PORT[m[1]]) {
      port = null;
    }
  }
  const path = m[4] === '' ? [''] : m[4].slice(1).split('/');
  for (const segment of path) {
    const dots = segment.length <= 6 ? segment.replace(/%2e/gi, '.') : segment;
    if (dots === '.' || dots === '..') {
      return null;
    }
  }
  return {
    scheme: m[1], username: '', password: '', host: m[2], port, path,
    query: m[5] === undefined ? null : m[5], fragment: m[6] === undefined ? null : m[6],
  };
}

const basicURLParse = usm.basicURLParse;
usm.basicURLParse = function fastBasicURLParse(input, options = {}) {
  if (typeof input === 'string' && options.baseURL == null && options.url === undefined
      && options.stateOverride === undefined) {
    const simple = simpleUrl(input);
    if (simple !== null) {
      return simple;
    }
  }
  return basicURLParse(input, options);
};

const SIMPLE_URLENCODED = /^[\x21-\x7e]*$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

// An ASCII name or value: "+" is a space and a percent-escape of an ASCII byte its character; null when an escape
// stands for a byte above 0x7F (UTF-8 to decode).
function decodeAscii(text) {
  if (text.indexOf('%') < 0) {
    return text.indexOf('+') < 0 ? text : text.replace(/\+/g, ' ');
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '+') {
      out += ' ';
    } else if (c === '%' && HEX_PAIR.test(text.slice(i + 1, i + 3))) {
      const byte = parseInt(text.slice(i + 1, i + 3), 16);
      if (byte > 0x7f) {
        return null;
      }
      out += String.fromCharCode(byte);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

const parseUrlencodedString = urlencoded.parseUrlencodedString;
urlencoded.parseUrlencodedString = function fastParseUrlencodedString(input) {
  if (typeof input === 'string' && SIMPLE_URLENCODED.test(input)) {
    const output = [];
    for (const sequence of input.split('&')) {
      if (sequence.length === 0) {
        continue;
      }
      const equals = sequence.indexOf('=');
      const name = decodeAscii(equals >= 0 ? sequence.slice(0, equals) : sequence);
      const value = decodeAscii(equals >= 0 ? sequence.slice(equals + 1) : '');
      if (name === null || value === null) {
        return parseUrlencodedString(input);
      }
      output.push([name, value]);
    }
    return output;
  }
  return parseUrlencodedString(input);
};

const PLAIN_PAIR = /^[A-Za-z0-9*\-._ ]*$/;
const serializeUrlencoded = urlencoded.serializeUrlencoded;
urlencoded.serializeUrlencoded = function fastSerializeUrlencoded(tuples) {
  let output = '';
  for (let i = 0; i < tuples.length; i++) {
    const [name, value] = tuples[i];
    if (!PLAIN_PAIR.test(name) || !PLAIN_PAIR.test(value)) {
      return serializeUrlencoded(tuples);
    }
    output += (i === 0 ? '' : '&') + name.replace(/ /g, '+') + '=' + value.replace(/ /g, '+');
  }
  return output;
};
