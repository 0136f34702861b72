// node:assert (and node:assert/strict): Node.js's assertions, written for the sandbox. The deep comparisons follow
// Node.js's rules: deepStrictEqual compares primitives with Object.is, prototypes, the [[Class]] of built-ins, own
// enumerable string and symbol keys, Dates by time, RegExps by source, flags and lastIndex, boxed primitives by value,
// Errors by name and message too, typed arrays and ArrayBuffers by their bytes, Maps and Sets by their entries (object
// keys matched deeply), and cycles; deepEqual, the legacy mode, compares primitives with == and ignores prototypes. A
// failed assertion throws an AssertionError (code ERR_ASSERTION) with actual, expected and operator.
const objectToString = Object.prototype.toString;
const hasOwn = Object.prototype.hasOwnProperty;
const propertyIsEnumerable = Object.prototype.propertyIsEnumerable;

function describe(value) {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (typeof value === 'bigint') {
    return value + 'n';
  }
  if (typeof value === 'function') {
    return '[Function: ' + (value.name || 'anonymous') + ']';
  }
  if (value !== null && typeof value === 'object') {
    try {
      const json = JSON.stringify(value);
      if (json !== undefined) {
        return json.length > 200 ? json.slice(0, 200) + '…' : json;
      }
    } catch (ignored) {
      // a cycle or a BigInt: the tag says enough
    }
    return objectToString.call(value);
  }
  return String(value);
}

export class AssertionError extends Error {
  constructor(options) {
    const { message, actual, expected, operator } = options === undefined ? {} : options;
    super(message !== undefined ? String(message)
      : describe(actual) + ' ' + operator + ' ' + describe(expected));
    this.generatedMessage = message === undefined;
    this.code = 'ERR_ASSERTION';
    this.actual = actual;
    this.expected = expected;
    this.operator = operator;
  }

  get name() {
    return 'AssertionError';
  }
}

function fail(actual, expected, message, operator, defaultMessage) {
  if (message instanceof Error) {
    throw message;
  }
  throw new AssertionError({ actual, expected, operator,
    message: message !== undefined ? message : defaultMessage });
}

function ownKeys(value, strict) {
  const keys = Object.keys(value);
  if (strict) {
    for (const symbol of Object.getOwnPropertySymbols(value)) {
      if (propertyIsEnumerable.call(value, symbol)) {
        keys.push(symbol);
      }
    }
  }
  return keys;
}

function bytesOf(value) {
  return value instanceof ArrayBuffer ? new Uint8Array(value)
    : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

function sameBytes(a, b) {
  const left = bytesOf(a);
  const right = bytesOf(b);
  if (left.length !== right.length) {
    return false;
  }
  for (let i = 0; i < left.length; i++) {
    if (left[i] !== right[i]) {
      return false;
    }
  }
  return true;
}

function isDeepEqual(a, b, strict, seen) {
  if (a === b) {
    return a !== 0 || !strict || Object.is(a, b);
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (typeof a === 'function' || typeof b === 'function') {
      return false;
    }
    if (strict) {
      return Object.is(a, b);
    }
    // eslint-disable-next-line eqeqeq
    return (a == b) || (a !== a && b !== b);
  }
  const tag = objectToString.call(a);
  if (tag !== objectToString.call(b)) {
    return false;
  }
  if (strict && Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  const pair = seen.get(a);
  if (pair !== undefined && pair.has(b)) {
    return true;
  }
  if (pair === undefined) {
    seen.set(a, new Set([b]));
  } else {
    pair.add(b);
  }
  if (a instanceof Date) {
    if (a.getTime() !== b.getTime()) {
      return false;
    }
  } else if (a instanceof RegExp) {
    if (a.source !== b.source || a.flags !== b.flags || a.lastIndex !== b.lastIndex) {
      return false;
    }
  } else if (a instanceof Error) {
    if (a.message !== b.message || a.name !== b.name) {
      return false;
    }
  } else if (ArrayBuffer.isView(a) || a instanceof ArrayBuffer) {
    if (!sameBytes(a, b)) {
      return false;
    }
    if (ArrayBuffer.isView(a) && !(a instanceof DataView)) {
      // the elements are compared as bytes; other own keys below, not the indexes again
      const keysA = ownKeys(a, strict).filter((key) => typeof key !== 'string' || !/^\d+$/.test(key));
      const keysB = ownKeys(b, strict).filter((key) => typeof key !== 'string' || !/^\d+$/.test(key));
      return sameKeys(a, b, keysA, keysB, strict, seen);
    }
  } else if (tag === '[object Number]' || tag === '[object String]' || tag === '[object Boolean]'
      || tag === '[object BigInt]' || tag === '[object Symbol]') {
    if (!Object.is(a.valueOf(), b.valueOf())) {
      return false;
    }
  } else if (a instanceof Map) {
    if (a.size !== b.size || !sameEntries(a, b, strict, seen, true)) {
      return false;
    }
  } else if (a instanceof Set) {
    if (a.size !== b.size || !sameEntries(a, b, strict, seen, false)) {
      return false;
    }
  }
  return sameKeys(a, b, ownKeys(a, strict), ownKeys(b, strict), strict, seen);
}

function sameKeys(a, b, keysA, keysB, strict, seen) {
  if (keysA.length !== keysB.length) {
    return false;
  }
  for (const key of keysA) {
    if (!hasOwn.call(b, key) || !propertyIsEnumerable.call(b, key)) {
      return false;
    }
    if (!isDeepEqual(a[key], b[key], strict, seen)) {
      return false;
    }
  }
  return true;
}

// Maps and Sets: a primitive key is looked up; an object key (or a loose primitive one) is matched with an unmatched
// key of the other that is deeply equal.
function sameEntries(a, b, strict, seen, isMap) {
  const unmatched = [];
  for (const key of b.keys()) {
    if ((key !== null && typeof key === 'object') || !strict) {
      unmatched.push(key);
    }
  }
  for (const [key, value] of a.entries()) {
    if ((key === null || typeof key !== 'object') && b.has(key)) {
      if (isMap && !isDeepEqual(value, b.get(key), strict, seen)) {
        return false;
      }
      const at = unmatched.indexOf(key);
      if (at >= 0) {
        unmatched.splice(at, 1);
      }
      continue;
    }
    const at = unmatched.findIndex((candidate) => isDeepEqual(key, candidate, strict, seen)
      && (!isMap || isDeepEqual(value, b.get(candidate), strict, seen)));
    if (at < 0) {
      return false;
    }
    unmatched.splice(at, 1);
  }
  return true;
}

export function isDeepStrictEqual(a, b) {
  return isDeepEqual(a, b, true, new Map());
}

export function ok(value, message) {
  if (!value) {
    fail(value, true, message, '==', arguments.length === 0 ? 'No value argument passed to `assert.ok()`'
      : 'The expression evaluated to a falsy value: ' + describe(value));
  }
}

export function equal(actual, expected, message) {
  // eslint-disable-next-line eqeqeq
  if (!(actual == expected || (actual !== actual && expected !== expected))) {
    fail(actual, expected, message, '==');
  }
}

export function notEqual(actual, expected, message) {
  // eslint-disable-next-line eqeqeq
  if (actual == expected || (actual !== actual && expected !== expected)) {
    fail(actual, expected, message, '!=');
  }
}

export function strictEqual(actual, expected, message) {
  if (!Object.is(actual, expected)) {
    fail(actual, expected, message, 'strictEqual');
  }
}

export function notStrictEqual(actual, expected, message) {
  if (Object.is(actual, expected)) {
    fail(actual, expected, message, 'notStrictEqual');
  }
}

export function deepEqual(actual, expected, message) {
  if (!isDeepEqual(actual, expected, false, new Map())) {
    fail(actual, expected, message, 'deepEqual');
  }
}

export function notDeepEqual(actual, expected, message) {
  if (isDeepEqual(actual, expected, false, new Map())) {
    fail(actual, expected, message, 'notDeepEqual');
  }
}

export function deepStrictEqual(actual, expected, message) {
  if (!isDeepStrictEqual(actual, expected)) {
    fail(actual, expected, message, 'deepStrictEqual');
  }
}

export function notDeepStrictEqual(actual, expected, message) {
  if (isDeepStrictEqual(actual, expected)) {
    fail(actual, expected, message, 'notDeepStrictEqual');
  }
}

export function match(string, regexp, message) {
  if (typeof string !== 'string' || !regexp.test(string)) {
    fail(string, regexp, message, 'match', 'The input did not match the regular expression ' + String(regexp)
      + '. Input: ' + describe(string));
  }
}

export function doesNotMatch(string, regexp, message) {
  if (typeof string !== 'string' || regexp.test(string)) {
    fail(string, regexp, message, 'doesNotMatch', 'The input was expected to not match the regular expression '
      + String(regexp) + '. Input: ' + describe(string));
  }
}

export function ifError(value) {
  if (value !== null && value !== undefined) {
    throw value instanceof Error ? value : new AssertionError({ actual: value, expected: null, operator: 'ifError',
      message: 'ifError got unwanted exception: ' + describe(value) });
  }
}

// Whether the error thrown matches what throws() or rejects() expects: a class, a RegExp of its text, a validation
// function, or an object whose properties it must have.
function matches(error, expected) {
  if (expected === undefined) {
    return true;
  }
  if (expected instanceof RegExp) {
    return expected.test(String(error));
  }
  if (typeof expected === 'function') {
    if (expected.prototype !== undefined && error instanceof expected) {
      return true;
    }
    if (Error.isPrototypeOf(expected) || expected === Error) {
      return false;
    }
    return expected.call({}, error) === true;
  }
  if (expected !== null && typeof expected === 'object') {
    for (const key of Object.keys(expected)) {
      const want = expected[key];
      const got = error === null || error === undefined ? undefined : error[key];
      if (want instanceof RegExp && typeof got === 'string' ? !want.test(got) : !isDeepStrictEqual(got, want)) {
        return false;
      }
    }
    return true;
  }
  return false;
}

function expectation(expected, message) {
  return typeof expected === 'string' ? [undefined, expected] : [expected, message];
}

export function throws(fn, expected, message) {
  [expected, message] = expectation(expected, message);
  try {
    fn();
  } catch (error) {
    if (!matches(error, expected)) {
      fail(error, expected, message, 'throws', 'The error thrown does not match: ' + describe(error));
    }
    return;
  }
  fail(undefined, expected, message, 'throws', 'Missing expected exception.');
}

export function doesNotThrow(fn, expected, message) {
  [expected, message] = expectation(expected, message);
  try {
    fn();
  } catch (error) {
    fail(error, expected, message, 'doesNotThrow', 'Got unwanted exception: ' + describe(error && error.message));
  }
}

export async function rejects(promiseOrFn, expected, message) {
  [expected, message] = expectation(expected, message);
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    if (!matches(error, expected)) {
      fail(error, expected, message, 'rejects', 'The rejection does not match: ' + describe(error));
    }
    return;
  }
  fail(undefined, expected, message, 'rejects', 'Missing expected rejection.');
}

export async function doesNotReject(promiseOrFn, expected, message) {
  [expected, message] = expectation(expected, message);
  try {
    await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (error) {
    fail(error, expected, message, 'doesNotReject', 'Got unwanted rejection: ' + describe(error && error.message));
  }
}

function failWith(message) {
  fail(undefined, undefined, message, 'fail', 'Failed');
}

export { failWith as fail };

// The strict mode: equal and deepEqual (and their negations) are the strict comparisons.
function strictAssert(value, message) {
  ok(...arguments);
}

const common = { AssertionError, ok, notStrictEqual, strictEqual, deepStrictEqual, notDeepStrictEqual, match,
  doesNotMatch, ifError, throws, doesNotThrow, rejects, doesNotReject, fail: failWith };
Object.assign(strictAssert, common, { equal: strictEqual, notEqual: notStrictEqual, deepEqual: deepStrictEqual,
  notDeepEqual: notDeepStrictEqual });
strictAssert.strict = strictAssert;

function assert(value, message) {
  ok(...arguments);
}

Object.assign(assert, common, { equal, notEqual, deepEqual, notDeepEqual, strict: strictAssert });

export const strict = strictAssert;
export default assert;
