// node:crypto: what Node.js's module shares with the Web Crypto API (webcrypto, subtle, getRandomValues,
// randomUUID) and randomBytes over it. Its hashes, HMACs and ciphers (createHash, createHmac, ...) are not here:
// code that imports them fails to link, naming the export; crypto.subtle does the same work, asynchronously.
const webcrypto = globalThis.crypto;
export {webcrypto};
export const subtle = webcrypto.subtle;

export function getRandomValues(array) {
  return webcrypto.getRandomValues(array);
}

export function randomUUID() {
  return webcrypto.randomUUID();
}

// getRandomValues fills at most 65,536 bytes a call (the Web Crypto API's limit)
function randomFill(bytes) {
  for (let at = 0; at < bytes.length; at += 65536) {
    webcrypto.getRandomValues(bytes.subarray(at, Math.min(bytes.length, at + 65536)));
  }
  return bytes;
}

export function randomBytes(size, callback) {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new RangeError('randomBytes: size must be a non-negative integer, not ' + String(size));
  }
  const bytes = randomFill(globalThis.Buffer.alloc(size));
  if (callback === undefined) {
    return bytes;
  }
  if (typeof callback !== 'function') {
    throw new TypeError('randomBytes: the callback must be a function');
  }
  globalThis.queueMicrotask(() => callback(null, bytes));
  return undefined;
}

export default {webcrypto, subtle, getRandomValues, randomUUID, randomBytes};
