// crypto and CryptoKey: a part of the Web platform APIs of cs-web.js, evaluated in a context when its function first
// uses one of these globals (from a Source the engine parses once); `web` is what cs-web.js shares with its parts.
(function installWebPart(web) {
  'use strict';

  const { IntrinsicPromise, TypeErrorType, apply, atob, domException, freeze, fromLatin1, host, isView, lazy,
    mathFloor, once, randomBytes, toHex, toLatin1, viewOf } = web;

  // ---------------------------------------------------------------------------------------------------------
  // crypto: random values from the JDK's SecureRandom, crypto.subtle over the JDK's providers.
  // ---------------------------------------------------------------------------------------------------------

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

})
