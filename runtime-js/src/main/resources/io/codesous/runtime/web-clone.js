// structuredClone: a part of the Web platform APIs of cs-web.js, evaluated in a context when its function first uses
// one of these globals (from a Source the engine parses once); `web` is what cs-web.js shares with its parts.
(function installWebPart(web) {
  'use strict';

  const { ErrorType, MapType, domException, isView, lazy, objectKeys } = web;

  // ---------------------------------------------------------------------------------------------------------
  // structuredClone.
  // ---------------------------------------------------------------------------------------------------------

  const ERROR_TYPES = { EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError };

  function structuredClone(value, options = undefined) {
    if (options !== undefined && options !== null && options.transfer !== undefined
        && options.transfer.length > 0) {
      throw domException('structuredClone: transferring is not supported', 'DataCloneError');
    }
    const seen = new MapType();
    const tag = (v) => Object.prototype.toString.call(v);
    function clone(v) {
      if (typeof v === 'function' || typeof v === 'symbol') {
        throw domException('structuredClone: ' + String(typeof v === 'symbol' ? 'Symbol()' : v.name || 'function')
            + ' could not be cloned', 'DataCloneError');
      }
      if (v === null || typeof v !== 'object') {
        return v;
      }
      if (seen.has(v)) {
        return seen.get(v);
      }
      const kind = tag(v);
      let out;
      switch (kind) {
        case '[object Date]':
          out = new Date(v.getTime());
          break;
        case '[object RegExp]':
          out = new RegExp(v.source, v.flags);
          break;
        case '[object Boolean]':
          out = Object(v.valueOf());
          break;
        case '[object Number]':
          out = Object(v.valueOf());
          break;
        case '[object String]':
          out = Object(v.valueOf());
          break;
        case '[object BigInt]':
          out = Object(v.valueOf());
          break;
        case '[object ArrayBuffer]':
          out = v.slice(0);
          break;
        case '[object DataView]': {
          const buffer = clone(v.buffer);
          out = new DataView(buffer, v.byteOffset, v.byteLength);
          break;
        }
        case '[object Map]':
          out = new MapType();
          seen.set(v, out);
          v.forEach((item, key) => out.set(clone(key), clone(item)));
          return out;
        case '[object Set]':
          out = new Set();
          seen.set(v, out);
          v.forEach((item) => out.add(clone(item)));
          return out;
        case '[object Error]': {
          const Type = ERROR_TYPES[v.name] || ErrorType;
          out = new Type(v.message);
          if (v.stack !== undefined) {
            out.stack = String(v.stack);
          }
          if ('cause' in v) {
            seen.set(v, out);
            out.cause = clone(v.cause);
          }
          break;
        }
        case '[object Array]': {
          out = new Array(v.length);
          seen.set(v, out);
          const keys = objectKeys(v);
          for (let i = 0; i < keys.length; i++) {
            out[keys[i]] = clone(v[keys[i]]);
          }
          return out;
        }
        case '[object Object]':
          if (v instanceof Promise || v instanceof WeakMap || v instanceof WeakSet) {
            throw domException('structuredClone: ' + kind + ' could not be cloned', 'DataCloneError');
          }
          out = {};
          seen.set(v, out);
          for (const key of objectKeys(v)) {
            out[key] = clone(v[key]);
          }
          return out;
        default:
          if (isView(v)) {
            const buffer = clone(v.buffer);
            out = new v.constructor(buffer, v.byteOffset, v.length);
            break;
          }
          throw domException('structuredClone: ' + kind + ' could not be cloned', 'DataCloneError');
      }
      seen.set(v, out);
      return out;
    }
    return clone(value);
  }

  lazy('structuredClone', () => structuredClone);

})
