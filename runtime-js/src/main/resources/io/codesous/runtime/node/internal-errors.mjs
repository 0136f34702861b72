// node:internal/errors: the errors of the modules written for the sandbox, with Node.js's codes. Not one of Node.js's
// modules: it is served to the runtime's own modules and not listed among those a function may import.

// An error of ErrorClass carrying Node.js's code, as Node.js's own errors do
export function nodeError(ErrorClass, code, message) {
  const error = new ErrorClass(message);
  error.code = code;
  return error;
}

export function invalidArgType(name, expected, value) {
  return nodeError(TypeError, 'ERR_INVALID_ARG_TYPE', 'The "' + name + '" argument must be of type ' + expected
    + '. Received ' + (value === null ? 'null' : typeof value));
}

export function requireFunction(value, name) {
  if (typeof value !== 'function') {
    throw invalidArgType(name, 'function', value);
  }
}
