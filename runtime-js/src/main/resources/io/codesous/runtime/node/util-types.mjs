// node:util/types: node:util's types (the npm util package's checks) by name, and isCryptoKey for the Web Crypto keys
// the sandbox has; it has no KeyObject, so isKeyObject answers false.
import { types } from 'node:util';

export const isAnyArrayBuffer = types.isAnyArrayBuffer;
export const isArgumentsObject = types.isArgumentsObject;
export const isArrayBuffer = types.isArrayBuffer;
export const isArrayBufferView = types.isArrayBufferView;
export const isAsyncFunction = types.isAsyncFunction;
export const isBigInt64Array = types.isBigInt64Array;
export const isBigUint64Array = types.isBigUint64Array;
export const isBooleanObject = types.isBooleanObject;
export const isBoxedPrimitive = types.isBoxedPrimitive;
export const isDataView = types.isDataView;
export const isDate = types.isDate;
export const isFloat32Array = types.isFloat32Array;
export const isFloat64Array = types.isFloat64Array;
export const isGeneratorFunction = types.isGeneratorFunction;
export const isGeneratorObject = types.isGeneratorObject;
export const isInt8Array = types.isInt8Array;
export const isInt16Array = types.isInt16Array;
export const isInt32Array = types.isInt32Array;
export const isMap = types.isMap;
export const isMapIterator = types.isMapIterator;
export const isNativeError = types.isNativeError;
export const isNumberObject = types.isNumberObject;
export const isPromise = types.isPromise;
export const isRegExp = types.isRegExp;
export const isSet = types.isSet;
export const isSetIterator = types.isSetIterator;
export const isSharedArrayBuffer = types.isSharedArrayBuffer;
export const isStringObject = types.isStringObject;
export const isSymbolObject = types.isSymbolObject;
export const isTypedArray = types.isTypedArray;
export const isUint8Array = types.isUint8Array;
export const isUint8ClampedArray = types.isUint8ClampedArray;
export const isUint16Array = types.isUint16Array;
export const isUint32Array = types.isUint32Array;
export const isWeakMap = types.isWeakMap;
export const isWeakSet = types.isWeakSet;

export function isCryptoKey(value) {
  return value instanceof globalThis.CryptoKey;
}

export function isKeyObject() {
  return false;
}

export default { ...types, isCryptoKey, isKeyObject };
