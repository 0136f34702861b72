// node:internal/lazy-class: a class of a module that is built on first use (a Transform or a Writable of node:stream,
// so that importing the module does not evaluate node:stream). Not one of Node.js's modules: it is served to the
// runtime's own modules and not listed among those a function may import.

// A constructor named name, callable without new as Node.js's are, that makes an instance of the class built()
// answers (construct says how, from the arguments it was called with), and whose instances are that class's
export function lazyClass(name, built, construct = (Built, args) => new Built(...args)) {
  const Lazy = function (...args) {
    return construct(built(), args);
  };
  Object.defineProperty(Lazy, 'name', { value: name });
  Object.defineProperty(Lazy, Symbol.hasInstance, { value: (instance) => instance instanceof built() });
  return Lazy;
}
