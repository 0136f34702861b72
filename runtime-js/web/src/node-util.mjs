// node:util, bundled by build.sh into the runtime's node/util.mjs: the npm util package (Node.js's util for other
// platforms: format, inspect, inherits, promisify, callbackify, deprecate, debuglog, types and the is* checks), and
// the TextEncoder and TextDecoder globals Node.js's module re-exports.
import util from 'util';

const { TextDecoder, TextEncoder } = globalThis;

export const { callbackify, debuglog, deprecate, format, inherits, inspect, isArray, isBoolean, isBuffer, isDate,
  isError, isFunction, isNull, isNullOrUndefined, isNumber, isObject, isPrimitive, isRegExp, isString, isSymbol,
  isUndefined, log, promisify, types } = util;
export { TextDecoder, TextEncoder };
export default { ...util, TextDecoder, TextEncoder };
