// node:module. createRequire gives code written for Node.js, and bundles built for it, a require() of the node:
// modules here. esbuild's ES module output for Node.js calls require() for the modules it leaves to the platform,
// and the banner that makes that work on Node.js works here too:
//   import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);
// require(name) answers what Node.js's does, the module's default export (its module.exports), through
// process.getBuiltinModule: the module is evaluated when first required, the instance an import of it gets. Files of
// the bundle are imported, never required: a bundler turns CommonJS files into modules.
const getBuiltinModule = globalThis.process.getBuiltinModule;
const builtinModules = Object.freeze(['assert', 'assert/strict', 'async_hooks', 'buffer', 'crypto',
  'diagnostics_channel', 'events', 'http', 'https', 'module', 'os', 'path', 'path/posix', 'perf_hooks', 'process',
  'punycode', 'querystring', 'stream', 'stream/promises', 'stream/web', 'string_decoder', 'timers',
  'timers/promises', 'url', 'util', 'util/types', 'zlib']);
const NAMES = new Set(builtinModules);
const PREFIXED = builtinModules.map((name) => 'node:' + name).join(', ');

function argumentError(code, message, ErrorType) {
  const error = new ErrorType(message);
  error.code = code;
  return error;
}

function nameOf(id) {
  return id.startsWith('node:') ? id.slice(5) : id;
}

function checkId(id) {
  if (typeof id !== 'string') {
    throw argumentError('ERR_INVALID_ARG_TYPE', 'The "id" argument must be of type string, got ' + typeof id,
      TypeError);
  }
  if (id === '') {
    throw argumentError('ERR_INVALID_ARG_VALUE', "The argument 'id' must be a non-empty string", TypeError);
  }
  if (!NAMES.has(nameOf(id))) {
    throw argumentError('MODULE_NOT_FOUND', `Cannot find module '${id}': require() serves the node: modules code-sous `
      + `has (${PREFIXED}); files of the bundle are imported`, Error);
  }
  return nameOf(id);
}

function isBuiltin(id) {
  return typeof id === 'string' && NAMES.has(nameOf(id));
}

function createRequire(filename) {
  if (typeof filename !== 'string' && !(filename instanceof URL)) {
    throw argumentError('ERR_INVALID_ARG_VALUE', 'createRequire takes a file URL or a path (import.meta.url), got '
      + (filename === null ? 'null' : typeof filename), TypeError);
  }
  function require(id) {
    return getBuiltinModule(checkId(id));
  }
  require.resolve = (id) => {
    checkId(id);
    return id;
  };
  require.cache = Object.create(null);
  return require;
}

export { builtinModules, createRequire, isBuiltin };
export default { builtinModules, createRequire, isBuiltin };
