// The runtime's AbortController and AbortSignal globals for an npm package that requires 'abort-controller'.
module.exports = { AbortController: globalThis.AbortController, AbortSignal: globalThis.AbortSignal };
