// node:module. createRequire gives code written for Node.js, and bundles built for it, a require() of the node:
// modules here. esbuild's ES module output for Node.js calls require() for the modules it leaves to the platform,
// and the banner that makes that work on Node.js works here too:
//   import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);
// require(name) answers what Node.js's does, the module's default export (its module.exports), the instance an import
// of the module gets. The modules are imported here, so a context that imports this one evaluates them all; one that
// does not pays nothing. Files of the bundle are imported, never required: a bundler turns CommonJS files into
// modules.
import * as buffer from 'node:buffer';
import * as crypto from 'node:crypto';
import * as events from 'node:events';
import * as path from 'node:path';
import * as pathPosix from 'node:path/posix';
import * as process from 'node:process';
import * as querystring from 'node:querystring';
import * as stringDecoder from 'node:string_decoder';
import * as timers from 'node:timers';
import * as timersPromises from 'node:timers/promises';
import * as url from 'node:url';
import * as util from 'node:util';

const MODULES = {
  __proto__: null, buffer, crypto, events, module: null, path, 'path/posix': pathPosix, process, querystring,
  string_decoder: stringDecoder, timers, 'timers/promises': timersPromises, url, util,
};
const builtinModules = Object.freeze(Object.keys(MODULES));
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
  if (!(nameOf(id) in MODULES)) {
    throw argumentError('MODULE_NOT_FOUND', `Cannot find module '${id}': require() serves the node: modules code-sous `
      + `has (${PREFIXED}); files of the bundle are imported`, Error);
  }
  return nameOf(id);
}

function isBuiltin(id) {
  return typeof id === 'string' && nameOf(id) in MODULES;
}

function createRequire(filename) {
  if (typeof filename !== 'string' && !(filename instanceof URL)) {
    throw argumentError('ERR_INVALID_ARG_VALUE', 'createRequire takes a file URL or a path (import.meta.url), got '
      + (filename === null ? 'null' : typeof filename), TypeError);
  }
  function require(id) {
    const name = checkId(id);
    return name === 'module' ? nodeModule : MODULES[name].default;
  }
  require.resolve = (id) => {
    checkId(id);
    return id;
  };
  require.cache = Object.create(null);
  return require;
}

const nodeModule = { builtinModules, createRequire, isBuiltin };
export { builtinModules, createRequire, isBuiltin };
export default nodeModule;
