// The runtime's process global for an npm package that requires 'process' (the browser shim of Node.js's process):
// its nextTick queues a microtask, and it has the manifest's env.
module.exports = globalThis.process;
