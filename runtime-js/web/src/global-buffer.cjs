// The runtime's Buffer global for an npm package that requires 'buffer' (or safe-buffer, which does): the modules
// that build.sh makes for node: imports hand out one Buffer, the global, rather than bundling another.
module.exports = { Buffer: globalThis.Buffer };
