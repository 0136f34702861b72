// Buffer: the npm `buffer` package, Node.js's Buffer API for platforms without it (a Uint8Array subclass with
// Node's encodings, reads and writes), which npm code and functions written for Node.js reach for as a global. Its
// CommonJS exports as they are: an ES module entry had the bundle copy them onto a namespace object first.
module.exports = require('buffer');
