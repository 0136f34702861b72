// node:internal/errors: the argument errors of the modules written for the sandbox, with Node.js's codes. Not one of
// Node.js's modules: it is served to the runtime's own modules and not listed among those a function may import.
export function invalidArgType(name, expected, value) {
  const error = new TypeError('The "' + name + '" argument must be of type ' + expected + '. Received '
    + (value === null ? 'null' : typeof value));
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

export function requireFunction(value, name) {
  if (typeof value !== 'function') {
    throw invalidArgType(name, 'function', value);
  }
}
