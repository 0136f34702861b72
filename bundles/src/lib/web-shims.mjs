// The few Web APIs the popular packages below touch at load time or per call (TextEncoder, TextDecoder,
// crypto.getRandomValues), installed only where the runtime does not provide them, so that the same bundle runs
// unchanged on a runtime with or without them and in Node.js. Imported first: ES modules evaluate in import order.
if (typeof globalThis.TextEncoder === 'undefined') {
  globalThis.TextEncoder = class TextEncoder {
    get encoding() { return 'utf-8'; }
    encode(input = '') {
      const s = unescape(encodeURIComponent(String(input)));
      const out = new Uint8Array(s.length);
      for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
      return out;
    }
  };
}
if (typeof globalThis.TextDecoder === 'undefined') {
  globalThis.TextDecoder = class TextDecoder {
    constructor(label = 'utf-8', options = {}) { this.fatal = !!options.fatal; }
    get encoding() { return 'utf-8'; }
    decode(input) {
      if (input === undefined) return '';
      const bytes = input instanceof Uint8Array ? input
        : ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
        : new Uint8Array(input);
      let s = '';
      for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
      try {
        return decodeURIComponent(escape(s));
      } catch (e) {
        if (this.fatal) throw new TypeError('The encoded data was not valid utf-8');
        return s;
      }
    }
  };
}
if (typeof globalThis.crypto === 'undefined') {
  // Not cryptographically strong: a stand-in for benchmarking only, never reached where crypto exists.
  globalThis.crypto = {
    getRandomValues(array) {
      for (let i = 0; i < array.length; i++) array[i] = Math.floor(Math.random() * 256);
      return array;
    },
  };
}
if (typeof globalThis.structuredClone === 'undefined') {
  // zod clones default values with it; they are plain data here, which a JSON round trip copies faithfully.
  globalThis.structuredClone = (value) => (value === undefined ? undefined : JSON.parse(JSON.stringify(value)));
}
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
if (typeof globalThis.btoa === 'undefined') {
  globalThis.btoa = (binary) => {
    const s = String(binary);
    let out = '';
    for (let i = 0; i < s.length; i += 3) {
      const a = s.charCodeAt(i), b = s.charCodeAt(i + 1), c = s.charCodeAt(i + 2);
      if (a > 255 || b > 255 || c > 255) throw new RangeError('btoa: a character is outside Latin-1');
      const n = (a << 16) | ((b || 0) << 8) | (c || 0);
      out += BASE64[n >> 18] + BASE64[(n >> 12) & 63] + (i + 1 < s.length ? BASE64[(n >> 6) & 63] : '=')
        + (i + 2 < s.length ? BASE64[n & 63] : '=');
    }
    return out;
  };
}
if (typeof globalThis.atob === 'undefined') {
  globalThis.atob = (encoded) => {
    const s = String(encoded).replace(/[\t\n\f\r ]+/g, '').replace(/=+$/, '');
    let out = '';
    let bits = 0, value = 0;
    for (let i = 0; i < s.length; i++) {
      const d = BASE64.indexOf(s[i]);
      if (d < 0) throw new Error('atob: invalid character');
      value = (value << 6) | d;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out += String.fromCharCode((value >> bits) & 255);
      }
    }
    return out;
  };
}
