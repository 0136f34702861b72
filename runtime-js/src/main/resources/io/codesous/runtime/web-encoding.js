// TextEncoder and TextDecoder: a part of the Web platform APIs of cs-web.js, evaluated in a context when its
// function first uses one of these globals (from a Source the engine parses once); `web` is what cs-web.js shares
// with its parts.
(function installWebPart(web) {
  'use strict';

  const { RangeErrorType, TypeErrorType, concatBytes, fromCharCode, host, lazy, rt, toLatin1, utf8Encode,
    viewOf } = web;

  // ---------------------------------------------------------------------------------------------------------
  // Encoding: TextEncoder, TextDecoder (atob and btoa are in cs-web.js).
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

})
