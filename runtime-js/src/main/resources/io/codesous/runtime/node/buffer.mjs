// node:buffer. Node.js's module holds Buffer (here the npm buffer package, the Buffer global) and re-exports Web
// globals; kMaxLength and constants are the npm package's (2^31 - 1 bytes; the activation's memory budget ends a
// function long before). Evaluating this module builds Buffer, which otherwise waits for the global's first use.
export const Buffer = globalThis.Buffer;
export const atob = globalThis.atob;
export const btoa = globalThis.btoa;
export const Blob = globalThis.Blob;
export const File = globalThis.File;
export const kMaxLength = 0x7fffffff;
export const kStringMaxLength = 0x1fffffe8;
export const constants = Object.freeze({MAX_LENGTH: kMaxLength, MAX_STRING_LENGTH: kStringMaxLength});
export default {Buffer, atob, btoa, Blob, File, kMaxLength, kStringMaxLength, constants};
