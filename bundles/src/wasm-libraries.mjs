// An npm package that runs its code as WebAssembly: hash-wasm compiles each algorithm's module (inlined in the
// package as base64) with WebAssembly.instantiate on first use, and grows the module's memory for larger inputs.
// The handler hashes the request body's text with several algorithms, derives and verifies an Argon2id hash, and
// answers the digests in hex.
import { sha256, sha1, blake3, xxhash64, crc32, argon2id, argon2Verify } from 'hash-wasm';

export async function handler(event) {
  const input = JSON.parse(event.body);
  const text = input.text;
  const big = 'x'.repeat(input.bigLength);
  const salt = new Uint8Array(16).fill(7);
  const encoded = await argon2id({
    password: text, salt, parallelism: 1, iterations: 2, memorySize: 4096, hashLength: 32, outputType: 'encoded',
  });
  const result = {
    sha256: await sha256(text),
    sha1: await sha1(text),
    blake3Empty: await blake3(''),
    xxhash64Empty: await xxhash64(''),
    crc32Check: await crc32('123456789'),
    sha256Big: await sha256(big),
    argon2: [encoded.startsWith('$argon2id$v=19$m=4096,t=2,p=1$'),
      await argon2Verify({ password: text, hash: encoded }),
      await argon2Verify({ password: text + '!', hash: encoded })],
  };
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result) };
}
