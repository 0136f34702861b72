// crypto and CryptoKey: a part of the Web platform APIs of cs-web.js, evaluated in a context when its function first
// uses one of these globals (from a Source the engine parses once); `web` is what cs-web.js shares with its parts.
(function installWebPart(web) {
  'use strict';

  const { IntrinsicPromise, TypeErrorType, apply, atob, base64Encode, defineProperty, domException, freeze, fromLatin1,
    host, isView, jsonParse, jsonStringify, lazy, mathFloor, objectKeys, once, randomBytes, toHex, toLatin1, utf8Decode,
    utf8Encode, viewOf } = web;

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
    // node:crypto's names (lower case, no dash) for the host's
    const NODE_HASHES = { md5: 'MD5', sha1: 'SHA-1', sha224: 'SHA-224', sha256: 'SHA-256', sha384: 'SHA-384',
      sha512: 'SHA-512' };
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

    // Throws what the host answered: a NotSupportedError for what it does not support, else `otherwise`.
    function fail(result, otherwise = 'DataError') {
      throw domException(result, result.indexOf('not supported') >= 0 ? 'NotSupportedError' : otherwise);
    }

    // What each algorithm's secret keys may be used for; any other usage is refused when a key is imported or
    // generated.
    const USAGES = {
      'HMAC': ['sign', 'verify'],
      'AES-GCM': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
      'AES-CBC': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
      'AES-CTR': ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
      'AES-KW': ['wrapKey', 'unwrapKey'],
      'PBKDF2': ['deriveBits', 'deriveKey'],
      'HKDF': ['deriveBits', 'deriveKey'],
    };
    // The same for the public and the private key of each asymmetric algorithm.
    const PUBLIC_USAGES = {
      'ECDSA': ['verify'], 'RSASSA-PKCS1-v1_5': ['verify'], 'RSA-PSS': ['verify'], 'Ed25519': ['verify'],
      'RSA-OAEP': ['encrypt', 'wrapKey'], 'ECDH': [], 'X25519': [],
    };
    const PRIVATE_USAGES = {
      'ECDSA': ['sign'], 'RSASSA-PKCS1-v1_5': ['sign'], 'RSA-PSS': ['sign'], 'Ed25519': ['sign'],
      'RSA-OAEP': ['decrypt', 'unwrapKey'], 'ECDH': ['deriveBits', 'deriveKey'], 'X25519': ['deriveBits', 'deriveKey'],
    };
    const CANONICAL = { 'HMAC': 'HMAC', 'AES-GCM': 'AES-GCM', 'AES-CBC': 'AES-CBC', 'AES-CTR': 'AES-CTR',
      'AES-KW': 'AES-KW', 'PBKDF2': 'PBKDF2',
      'HKDF': 'HKDF', 'ECDSA': 'ECDSA', 'RSASSA-PKCS1-V1_5': 'RSASSA-PKCS1-v1_5', 'RSA-PSS': 'RSA-PSS',
      'RSA-OAEP': 'RSA-OAEP', 'ECDH': 'ECDH', 'ED25519': 'Ed25519', 'X25519': 'X25519' };
    // The bits of the curve each name stands for, as the host reports a key's field size.
    const CURVE_BITS = { 'P-256': 256, 'P-384': 384, 'P-521': 521 };
    // The JWK "alg" of an RSA key, by algorithm, then the hash's bits ("1" for SHA-1).
    const RSA_JWK_ALG = { 'RSASSA-PKCS1-v1_5': 'RS', 'RSA-PSS': 'PS', 'RSA-OAEP': 'RSA-OAEP-' };

    function isEc(kind) {
      return kind === 'ECDSA' || kind === 'ECDH';
    }

    // Ed25519 and X25519: JWK's octet key pairs, whose size is fixed.
    function isOkp(kind) {
      return kind === 'Ed25519' || kind === 'X25519';
    }

    function usagesOf(usages, name, type) {
      const uses = [...usages].map(String);
      const allowed = type === 'public' ? PUBLIC_USAGES[name] : type === 'private' ? PRIVATE_USAGES[name]
        : USAGES[name];
      for (let i = 0; i < uses.length; i++) {
        if (allowed.indexOf(uses[i]) < 0) {
          throw domException('a ' + name + ' ' + type + ' key cannot be used to ' + uses[i], 'SyntaxError');
        }
      }
      if (uses.length === 0 && type !== 'public') {
        throw domException('a ' + type + ' key needs at least one usage', 'SyntaxError');
      }
      return uses;
    }

    // The default and the bounds of a secret key's length, in bits: an HMAC key as long as its hash's block.
    function hmacBits(hash) {
      return hash === 'SHA-384' || hash === 'SHA-512' ? 1024 : 512;
    }

    function isAes(name) {
      return name === 'AES-GCM' || name === 'AES-CBC' || name === 'AES-CTR' || name === 'AES-KW';
    }

    function aesLength(a) {
      const length = +a.length;
      if (length !== 128 && length !== 192 && length !== 256) {
        throw domException(a.name + ': the length must be 128, 192 or 256 bits, got ' + a.length,
          'OperationError');
      }
      return length;
    }

    // The length of the AES or HMAC key `a` describes, for a key being generated or derived (`purpose`).
    function secretKeyBits(a, name, purpose) {
      if (isAes(name)) {
        return aesLength(a);
      }
      if (name === 'HMAC') {
        return a.length === undefined ? hmacBits(hashOf(a.hash)) : +a.length;
      }
      throw notSupported(purpose + ' a key for ' + a.name);
    }

    function secretKey(name, a, secret, extractable, usages) {
      let described;
      if (name === 'HMAC') {
        if (secret.length === 0) {
          throw domException('an HMAC key must not be empty', 'DataError');
        }
        described = { name, hash: freeze({ name: hashOf(a.hash) }), length: secret.length * 8 };
      } else if (isAes(name)) {
        if (secret.length !== 16 && secret.length !== 24 && secret.length !== 32) {
          throw domException('an AES key must be 16, 24 or 32 bytes, got ' + secret.length, 'DataError');
        }
        described = { name, length: secret.length * 8 };
      } else {
        if (extractable) {
          throw domException('a ' + name + ' key cannot be extractable', 'SyntaxError');
        }
        described = { name };
      }
      return newKey({ type: 'secret', extractable: !!extractable, usages: usagesOf(usages, name, 'secret'), secret,
        algorithm: freeze(described) });
    }

    function importKey(format, data, algorithm, extractable, usages) {
      const a = algorithmOf(algorithm);
      const name = CANONICAL[a.name.toUpperCase()];
      if (name === undefined) {
        throw notSupported('the algorithm ' + a.name);
      }
      if (name === 'HMAC' || isAes(name) || name === 'PBKDF2' || name === 'HKDF') {
        let secret;
        if (format === 'raw') {
          secret = bytesOf(data);
        } else if (format === 'jwk' && (name === 'HMAC' || isAes(name))) {
          if (data.kty !== 'oct') {
            throw domException('an ' + (name === 'HMAC' ? 'HMAC' : 'AES') + ' JWK must have kty "oct"', 'DataError');
          }
          secret = base64UrlToLatin1(data.k);
        } else {
          throw notSupported('the key format ' + format + ' for ' + name);
        }
        return secretKey(name, a, secret, extractable, usages);
      }
      const kind = name;
      if (format === 'pkcs8' || format === 'jwk' && data.d !== undefined) {
        return importPrivateKey(kind, a, format, data, extractable, usages);
      }
      const uses = usagesOf(usages, kind, 'public');
      let material;
      if (format === 'spki' || format === 'raw') {
        if (format === 'raw' && !isEc(kind) && !isOkp(kind)) {
          throw notSupported('the raw format for ' + kind);
        }
        material = [format, bytesOf(data), '', ''];
      } else if (format === 'jwk') {
        checkKty(kind, data);
        material = isEc(kind) ? ['jwk', String(data.crv), base64UrlToLatin1(data.x), base64UrlToLatin1(data.y)]
          : isOkp(kind) ? ['jwk', String(data.crv), base64UrlToLatin1(data.x), '']
            : ['jwk', '', base64UrlToLatin1(data.n), base64UrlToLatin1(data.e)];
      } else {
        throw notSupported('the key format ' + format);
      }
      if (isEc(kind) && material[0] !== 'jwk') {
        material[2] = String(a.namedCurve);
      }
      const imported = host.importPublicKey(kind, material[0], material[1], material[2], material[3]);
      if (!imported.startsWith('ok:')) {
        fail(imported);
      }
      const bits = +imported.slice(3);
      let curve;
      if (isEc(kind)) {
        if (a.namedCurve !== undefined && material[0] === 'jwk' && a.namedCurve !== data.crv) {
          throw domException('the JWK curve ' + data.crv + ' is not ' + a.namedCurve, 'DataError');
        }
        curve = String(a.namedCurve === undefined ? data.crv : a.namedCurve);
      }
      return newKey({ type: 'public', extractable: true, usages: uses, material, kind,
        algorithm: describedKey(kind, a, bits, curve) });
    }

    function describedKey(kind, a, bits, curve) {
      if (isEc(kind)) {
        return freeze({ name: kind, namedCurve: curve });
      }
      if (isOkp(kind)) {
        return freeze({ name: kind });
      }
      return freeze({ name: kind, hash: freeze({ name: hashOf(a.hash) }), modulusLength: bits,
        publicExponent: new Uint8Array([1, 0, 1]) });
    }

    function checkKty(kind, data) {
      const kty = isEc(kind) ? 'EC' : isOkp(kind) ? 'OKP' : 'RSA';
      if (data.kty !== kty) {
        throw domException('the JWK has kty "' + data.kty + '", which does not fit ' + kind, 'DataError');
      }
      if (isOkp(kind) && data.crv !== kind) {
        throw domException('the JWK has crv "' + data.crv + '", which does not fit ' + kind, 'DataError');
      }
    }

    // A private key (pkcs8, or a JWK with `d`): the host checks its material and reports its size; it is read from
    // the material again on each signature, as public keys are.
    function importPrivateKey(kind, a, format, data, extractable, usages) {
      const uses = usagesOf(usages, kind, 'private');
      let material;
      if (format === 'pkcs8') {
        material = ['pkcs8', bytesOf(data)];
      } else {
        checkKty(kind, data);
        const optional = (member) => data[member] === undefined ? '' : base64UrlToLatin1(data[member]);
        material = isEc(kind) || isOkp(kind) ? ['jwk', String(data.crv), base64UrlToLatin1(data.d)]
          : ['jwk', base64UrlToLatin1(data.n), base64UrlToLatin1(data.e), base64UrlToLatin1(data.d),
            optional('p'), optional('q'), optional('dp'), optional('dq'), optional('qi')];
      }
      const imported = host.importPrivateKey(kind, material);
      if (!imported.startsWith('ok:')) {
        fail(imported);
      }
      const bits = +imported.slice(3);
      let curve;
      if (isEc(kind)) {
        curve = String(a.namedCurve === undefined && format === 'jwk' ? data.crv : a.namedCurve);
        if (CURVE_BITS[curve] !== bits || format === 'jwk' && data.crv !== curve) {
          throw domException('the key is not on the curve ' + curve, 'DataError');
        }
      }
      return newKey({ type: 'private', extractable: !!extractable, usages: uses, material, kind,
        algorithm: describedKey(kind, a, bits, curve) });
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
      const hash = signatureHash(k, a);
      const salt = k.kind === 'RSA-PSS' ? saltOf(a) : 0;
      const result = host.verify(k.kind, hash, salt, k.material[0], k.material[1], k.material[2], k.material[3],
          bytesOf(signatureBytes), bytesOf(data));
      if (result !== 'true' && result !== 'false') {
        throw domException(result, 'OperationError');
      }
      return result === 'true';
    }

    // ECDSA names its hash with each signature, RSA with the key, Ed25519 has its own.
    function signatureHash(k, a) {
      return k.kind === 'ECDSA' ? hashOf(a.hash) : k.kind === 'Ed25519' ? '' : k.algorithm.hash.name;
    }

    function base64UrlOf(latin1) {
      return base64Encode(latin1).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    }

    function saltOf(a) {
      const salt = +a.saltLength;
      if (!(salt >= 0 && salt <= 1024 && salt === mathFloor(salt))) {
        throw new TypeErrorType('RSA-PSS: saltLength must be an integer 0..1024, got ' + a.saltLength);
      }
      return salt;
    }

    // A host answer of "+" and bytes, or "-" and why there are none.
    function resultOf(answer) {
      if (answer.charAt(0) === '+') {
        return fromLatin1(answer.slice(1));
      }
      return fail(answer.slice(1), 'OperationError');
    }

    // encrypt and decrypt, and wrapKey and unwrapKey after and before them (`usage` says which): the key must allow
    // the usage; AES-KW only wraps and unwraps.
    function crypt(algorithm, key, bytes, encrypt, usage) {
      const a = algorithmOf(algorithm);
      const name = CANONICAL[a.name.toUpperCase()];
      if (name === 'RSA-OAEP') {
        const k = checkKey(key, usage, name);
        const label = a.label === undefined ? '' : bytesOf(a.label);
        return resultOf(host.oaep(encrypt, k.algorithm.hash.name, label, k.material, bytes)).buffer;
      }
      if (!isAes(name)) {
        throw notSupported((encrypt ? 'encrypting' : 'decrypting') + ' with ' + a.name);
      }
      const k = checkKey(key, usage, name);
      let iv = '';
      let tagBits = 0;
      let additional = '';
      if (name === 'AES-CTR') {
        if (a.counter === undefined || a.length === undefined) {
          throw new TypeErrorType('AES-CTR: the algorithm needs a counter and a length');
        }
        iv = bytesOf(a.counter);
        tagBits = +a.length;
        if (iv.length !== 16 || !(tagBits >= 1 && tagBits <= 128)) {
          throw domException('AES-CTR: the counter must be 16 bytes and the length 1 to 128 bits', 'OperationError');
        }
      } else if (name !== 'AES-KW') {
        if (a.iv === undefined) {
          throw new TypeErrorType(name + ': the algorithm needs an iv');
        }
        iv = bytesOf(a.iv);
        tagBits = a.tagLength === undefined ? 128 : +a.tagLength;
        additional = a.additionalData === undefined ? '' : bytesOf(a.additionalData);
      } else if (bytes.length % 8 !== 0 || bytes.length < 16) {
        throw domException('AES-KW: the data must be a multiple of 8 bytes, at least 16, got ' + bytes.length,
          'OperationError');
      }
      return resultOf(host.cipher(name, encrypt, k.secret, iv, additional, tagBits, bytes)).buffer;
    }

    function exportKey(format, key) {
      const data = keyData.get(key);
      if (data === undefined || !data.extractable) {
        throw domException('the key is not extractable', 'InvalidAccessError');
      }
      if (format === 'raw' && data.type === 'secret') {
        return fromLatin1(data.secret).buffer;
      }
      if (format === 'jwk' && data.type === 'secret') {
        const a = data.algorithm;
        const alg = a.name === 'HMAC' ? 'HS' + a.hash.name.slice(4) : 'A' + a.length + a.name.slice(4);
        return { kty: 'oct', k: base64UrlOf(data.secret), alg, ext: true, key_ops: data.usages.slice() };
      }
      if (data.type !== 'secret') {
        return exportKeyPairKey(format, data);
      }
      throw notSupported('exporting a ' + data.type + ' key in ' + format);
    }

    // wrapKey: the key exported (a JWK as its JSON text in UTF-8), then encrypted with the wrapping key.
    function wrapKey(format, key, wrappingKey, algorithm) {
      const exported = exportKey(format, key);
      const bytes = format === 'jwk' ? toLatin1(utf8Encode(jsonStringify(exported))) : bytesOf(exported);
      return crypt(algorithm, wrappingKey, bytes, true, 'wrapKey');
    }

    // unwrapKey: decrypted with the unwrapping key, then imported as the key it is.
    function unwrapKey(format, wrapped, unwrappingKey, algorithm, keyAlgorithm, extractable, usages) {
      const bytes = new Uint8Array(crypt(algorithm, unwrappingKey, bytesOf(wrapped), false, 'unwrapKey'));
      let unwrapped = bytes;
      if (format === 'jwk') {
        try {
          unwrapped = jsonParse(utf8Decode(bytes));
        } catch (notJson) {
          throw domException('the unwrapped key is not a JWK', 'DataError');
        }
      }
      return importKey(format, unwrapped, keyAlgorithm, extractable, usages);
    }

    // ECDH and X25519: the shared secret with `a.public`, its first `length` bits (all of it when null).
    function agree(a, name, baseKey, length, usage) {
      const k = checkKey(baseKey, usage, name);
      const peer = keyData.get(a.public);
      if (peer === undefined) {
        throw new TypeErrorType(name + ': the algorithm needs the other party\'s public key as "public"');
      }
      if (peer.type !== 'public' || peer.algorithm.name !== name) {
        throw domException(name + ': "public" must be an ' + name + ' public key', 'InvalidAccessError');
      }
      if (name === 'ECDH' && peer.algorithm.namedCurve !== k.algorithm.namedCurve) {
        throw domException('ECDH: the public key is on ' + peer.algorithm.namedCurve + ', the private key on '
          + k.algorithm.namedCurve, 'InvalidAccessError');
      }
      const secret = resultOf(host.agree(name, k.material, peer.material));
      if (length === null || length === undefined) {
        return secret;
      }
      const bits = +length;
      if (!(bits >= 0 && bits % 8 === 0 && bits <= secret.length * 8)) {
        throw domException(name + ': the length must be a multiple of 8 up to ' + secret.length * 8 + ' bits, got '
          + length, 'OperationError');
      }
      return secret.slice(0, bits / 8);
    }

    function derive(algorithm, baseKey, length, usage) {
      const a = algorithmOf(algorithm);
      const name = CANONICAL[a.name.toUpperCase()];
      if (name === 'ECDH' || name === 'X25519') {
        return agree(a, name, baseKey, length, usage);
      }
      if (name !== 'PBKDF2' && name !== 'HKDF') {
        throw notSupported('deriving with ' + a.name);
      }
      const k = checkKey(baseKey, usage, name);
      const bits = length === null || length === undefined ? NaN : +length;
      if (!(bits > 0 && bits % 8 === 0)) {
        throw domException(name + ': the length must be a positive multiple of 8, got ' + length, 'OperationError');
      }
      if (a.salt === undefined || name === 'HKDF' && a.info === undefined) {
        throw new TypeErrorType(name + (name === 'HKDF' ? ': the algorithm needs a salt and an info'
          : ': the algorithm needs a salt'));
      }
      const iterations = name === 'PBKDF2' ? +a.iterations : 0;
      if (name === 'PBKDF2' && !(iterations > 0 && iterations === mathFloor(iterations))) {
        throw domException('PBKDF2: the iterations must be a positive integer, got ' + a.iterations,
          'OperationError');
      }
      return resultOf(host.deriveBits(name, hashOf(a.hash), k.secret, bytesOf(a.salt),
        name === 'HKDF' ? bytesOf(a.info) : '', iterations, bits));
    }

    // A key pair for an asymmetric algorithm: the usages go to the key that can have them (at least one to the private
    // key); the public key is always extractable. The host answers both keys' DER (SPKI and PKCS #8), which become
    // their material; the private key keeps the public key's SPKI for a JWK export.
    function generateKeyPair(kind, a, extractable, usages) {
      const all = [...usages].map(String);
      for (let i = 0; i < all.length; i++) {
        if (PUBLIC_USAGES[kind].indexOf(all[i]) < 0 && PRIVATE_USAGES[kind].indexOf(all[i]) < 0) {
          throw domException('a ' + kind + ' key cannot be used to ' + all[i], 'SyntaxError');
        }
      }
      const privateUses = all.filter((use) => PRIVATE_USAGES[kind].indexOf(use) >= 0);
      if (privateUses.length === 0) {
        throw domException('the private key of a ' + kind + ' key pair needs at least one usage', 'SyntaxError');
      }
      const publicUses = all.filter((use) => PUBLIC_USAGES[kind].indexOf(use) >= 0);
      let parameter = '';
      let curve;
      let bits;
      if (isEc(kind)) {
        curve = String(a.namedCurve);
        if (CURVE_BITS[curve] === undefined) {
          throw notSupported('the curve ' + a.namedCurve);
        }
        parameter = curve;
      } else if (!isOkp(kind)) {
        bits = +a.modulusLength;
        if (!(bits >= 1024 && bits <= 4096 && bits % 8 === 0)) {
          throw domException(kind + ': the modulusLength must be a multiple of 8 from 1024 to 4096 bits, got '
            + a.modulusLength, 'OperationError');
        }
        const exponent = a.publicExponent === undefined ? '' : toHex(viewOf(a.publicExponent)).replace(/^0+/, '');
        if (exponent !== '10001') {
          throw notSupported('the public exponent ' + (exponent || 'missing') + ' (only 65537, 0x010001, is)');
        }
        hashOf(a.hash);
        parameter = String(bits);
      }
      const answer = host.generateKeyPair(kind, parameter);
      if (answer.charAt(0) !== '+') {
        fail(answer.slice(1), 'OperationError');
      }
      const colon = answer.indexOf(':');
      const spkiEnd = colon + 1 + +answer.slice(1, colon);
      const spki = answer.slice(colon + 1, spkiEnd);
      const algorithm = describedKey(kind, a, bits, curve);
      return {
        publicKey: newKey({ type: 'public', extractable: true, usages: publicUses, kind, algorithm,
          material: ['spki', spki, isEc(kind) ? curve : '', ''] }),
        privateKey: newKey({ type: 'private', extractable: !!extractable, usages: privateUses, kind, algorithm,
          material: ['pkcs8', answer.slice(spkiEnd), '', spki] }),
      };
    }

    // A public key as spki, jwk or (EC, Ed25519, X25519) raw; a private key as pkcs8 or jwk.
    function exportKeyPairKey(format, data) {
      const formats = data.type === 'public' ? ['spki', 'jwk', 'raw'] : ['pkcs8', 'jwk'];
      if (formats.indexOf(format) < 0 || format === 'raw' && !isEc(data.kind) && !isOkp(data.kind)) {
        throw domException('a ' + data.type + ' ' + data.kind + ' key cannot be exported as ' + format,
          ['raw', 'spki', 'pkcs8', 'jwk'].indexOf(format) < 0 ? 'NotSupportedError' : 'InvalidAccessError');
      }
      const answer = host.exportKey(data.kind, data.type, format, data.material);
      if (answer.charAt(0) !== '+') {
        fail(answer.slice(1), 'OperationError');
      }
      if (format !== 'jwk') {
        return fromLatin1(answer.slice(1)).buffer;
      }
      const jwk = {};
      const members = answer.slice(1).split(',');
      for (let i = 0; i < members.length; i++) {
        const equals = members[i].indexOf('=');
        jwk[members[i].slice(0, equals)] = members[i].slice(equals + 1);
      }
      const prefix = RSA_JWK_ALG[data.kind];
      if (prefix !== undefined) {
        const hashBits = data.algorithm.hash.name.slice(4);
        jwk.alg = data.kind === 'RSA-OAEP' && hashBits === '1' ? 'RSA-OAEP' : prefix + hashBits;
      }
      jwk.ext = true;
      jwk.key_ops = data.usages.slice();
      return jwk;
    }

    // SubtleCrypto's methods, on its prototype as the standard has them.
    const subtleMethods = {
      digest: async((algorithm, data) => fromLatin1(host.digest(hashOf(algorithmOf(algorithm).name), bytesOf(data)))
          .buffer),
      importKey: async(importKey),
      sign: async((algorithm, key, data) => {
        const a = algorithmOf(algorithm);
        if (a.name.toUpperCase() === 'HMAC') {
          const k = checkKey(key, 'sign', 'HMAC');
          return fromLatin1(host.hmac(k.algorithm.hash.name, k.secret, bytesOf(data))).buffer;
        }
        const k = checkKey(key, 'sign', a.name);
        const hash = signatureHash(k, a);
        const salt = k.kind === 'RSA-PSS' ? saltOf(a) : 0;
        return resultOf(host.sign(k.kind, hash, salt, k.material, bytesOf(data))).buffer;
      }),
      encrypt: async((algorithm, key, data) => crypt(algorithm, key, bytesOf(data), true, 'encrypt')),
      decrypt: async((algorithm, key, data) => crypt(algorithm, key, bytesOf(data), false, 'decrypt')),
      wrapKey: async(wrapKey),
      unwrapKey: async(unwrapKey),
      deriveBits: async((algorithm, baseKey, length) => derive(algorithm, baseKey, length, 'deriveBits').buffer),
      deriveKey: async((algorithm, baseKey, derivedKeyType, extractable, usages) => {
        const target = algorithmOf(derivedKeyType);
        const bits = secretKeyBits(target, CANONICAL[target.name.toUpperCase()], 'deriving');
        const derived = derive(algorithm, baseKey, bits, 'deriveKey');
        return importKey('raw', derived, target, extractable, usages);
      }),
      verify: async(signature),
      exportKey: async(exportKey),
      generateKey: async((algorithm, extractable, usages) => {
        const a = algorithmOf(algorithm);
        const name = CANONICAL[a.name.toUpperCase()];
        if (PUBLIC_USAGES[name] !== undefined) {
          return generateKeyPair(name, a, extractable, usages);
        }
        const bits = secretKeyBits(a, name, 'generating');
        if (name === 'HMAC' && !(bits > 0 && bits % 8 === 0 && bits <= 8192)) {
          throw domException('HMAC: the length must be a multiple of 8 up to 8192 bits, got ' + a.length,
            'OperationError');
        }
        return secretKey(name, a, toLatin1(randomBytes(bits / 8)), extractable, usages);
      }),
      // Workers' extension to the standard, which code written for Workers compares MACs and tokens with: every byte
      // is compared whatever the first difference, so the time taken says nothing of where it is. Synchronous, as
      // there; inputs of different lengths throw, as there.
      timingSafeEqual(a, b) {
        const x = viewOf(a);
        const y = viewOf(b);
        if (x.byteLength !== y.byteLength) {
          throw new TypeErrorType('timingSafeEqual: the inputs must have the same byte length');
        }
        let difference = 0;
        for (let i = 0; i < x.byteLength; i++) {
          difference |= x[i] ^ y[i];
        }
        return difference === 0;
      },
    };

    // Crypto and SubtleCrypto are interfaces a function can test against (`crypto instanceof Crypto`) but not
    // construct, as CryptoKey is: the one instance of each is the runtime's.
    class SubtleCrypto {
      constructor() {
        if (!constructing) {
          throw new TypeErrorType('SubtleCrypto: Illegal constructor');
        }
      }
      get [Symbol.toStringTag]() {
        return 'SubtleCrypto';
      }
    }
    const names = objectKeys(subtleMethods);
    for (let i = 0; i < names.length; i++) {
      defineProperty(SubtleCrypto.prototype, names[i], { value: subtleMethods[names[i]], writable: true,
        enumerable: true, configurable: true });
    }
    class Crypto {
      constructor() {
        if (!constructing) {
          throw new TypeErrorType('Crypto: Illegal constructor');
        }
      }
      getRandomValues(array) {
        return getRandomValues(array);
      }
      randomUUID() {
        return randomUUID();
      }
      get subtle() {
        return subtle;
      }
      get [Symbol.toStringTag]() {
        return 'Crypto';
      }
    }
    constructing = true;
    const subtle = freeze(new SubtleCrypto());
    const crypto = new Crypto();
    constructing = false;
    // node:crypto's synchronous hashes and HMACs (node/crypto.mjs, beside this file) over the host calls
    // crypto.subtle makes: a module sees only globals, so they hang off crypto under a symbol, which no list of
    // names shows. Hashing in JavaScript instead (@noble/hashes) took 30 ms for 1 KB and 5.5 s for 1 MB of SHA-256
    // in a JDK 17 context; over the JDK, about what crypto.subtle.digest takes.
    defineProperty(crypto, Symbol.for('code-sous.node:crypto'), { value: freeze({
      names: freeze(objectKeys(NODE_HASHES)),
      digest(name, bytes) {
        return fromLatin1(host.digest(NODE_HASHES[name], toLatin1(bytes)));
      },
      // HMAC pads its key with zeros to the hash's block: an empty key, which the JDK refuses, MACs as one zero byte
      hmac(name, key, bytes) {
        return fromLatin1(host.hmac(NODE_HASHES[name], key.length === 0 ? '\0' : toLatin1(key), toLatin1(bytes)));
      },
    }) });
    freeze(crypto);
    return { crypto, Crypto, CryptoKey, SubtleCrypto };
  });

  lazy('crypto', () => CryptoTypes().crypto);
  lazy('Crypto', () => CryptoTypes().Crypto);
  lazy('CryptoKey', () => CryptoTypes().CryptoKey);
  lazy('SubtleCrypto', () => CryptoTypes().SubtleCrypto);

})
