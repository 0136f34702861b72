// The guest side of the runtime. Evaluated first in every fresh context, before any function code: it
// installs the globals functions may use (console, cs), bounds the built-ins the engine cannot interrupt, and
// returns the helpers the host calls. The host functions it receives are only ever reached through the closures
// below, so the guest never holds a host object.
//
// The built-ins it relies on are captured here, before function code can replace them, so that logging,
// error reporting, host calls and promise settling keep working whatever the function does to the globals.
//
// Host functions:
//   emit(level, message) -> boolean        records a log entry; false once the log caps are reached
//   remainingMs() -> number                 milliseconds left in the time budget
//   hostCall(op, a, b, c, d, e, onOk, onErr) -> string | null
//                                           starts a capability call; a string is why it was refused (sizes)
//   reportUnhandled(message, stack)         an unhandled promise rejection ended the activation
//   decodeUtf8(latin1) -> string            bytes carried one per char (ISO-8859-1) decoded as UTF-8
//   copyLatin1(latin1, arrayBuffer)         the same bytes copied into an ArrayBuffer of the same length
//   loadWeb(internals) -> object            evaluates cs-web.js in this context (see "Web platform APIs" below)
// and, in a context whose function uses WebAssembly, the namespace web-wasm.js guarded (null in the others), the
// JSON text of the manifest's env values (process.env), and
//   loadNodeModule(name) -> namespace | null
//                                           the node: module of that name evaluated in this context (once: the
//                                           instance an import gets), null when the runtime has none of that name
(function install(emit, remainingMs, hostCall, reportUnhandled, decodeUtf8, copyLatin1, maxMessageChars,
                  maxElements, loadWeb, webAssembly, envJson, loadNodeModule) {
  'use strict';

  const global = globalThis;
  const jsonParse = JSON.parse;
  const jsonStringify = JSON.stringify;
  const toStringOf = String;
  const ErrorType = Error;
  const TypeErrorType = TypeError;
  const RangeErrorType = RangeError;
  const ArrayBufferType = ArrayBuffer;
  const Uint8ArrayType = Uint8Array;
  const WeakMapType = WeakMap;
  const freeze = Object.freeze;
  const objectCreate = Object.create;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const objectKeys = Object.keys;
  const objectToString = Object.prototype.toString;
  const apply = Reflect.apply;
  const reflectConstruct = Reflect.construct;
  const isArray = Array.isArray;
  const isView = ArrayBuffer.isView;
  const arrayBufferByteLength = getOwnPropertyDescriptor(ArrayBuffer.prototype, 'byteLength').get;
  const arrayBufferSlice = ArrayBuffer.prototype.slice;
  const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
  const typedArrayTag = getOwnPropertyDescriptor(TypedArrayPrototype, Symbol.toStringTag).get;
  const typedArrayLength = getOwnPropertyDescriptor(TypedArrayPrototype, 'length').get;
  const weakMapGet = WeakMap.prototype.get;
  const weakMapSet = WeakMap.prototype.set;
  const weakMapHas = WeakMap.prototype.has;
  const mathFloor = Math.floor;
  const symbolIterator = Symbol.iterator;
  const IntrinsicPromise = Promise;
  const promiseResolve = Promise.resolve;
  const promiseReject = Promise.reject;
  const promiseThen = Promise.prototype.then;
  const stringIndexOf = String.prototype.indexOf;
  const stringSlice = String.prototype.slice;
  const stringToLowerCase = String.prototype.toLowerCase;
  const stringToUpperCase = String.prototype.toUpperCase;
  const regExpTest = RegExp.prototype.test;

  // The name the host gives this script; no bundle file can have it.
  const RUNTIME_SOURCE = '<cs-runtime>:';
  const MAX_LENGTH = 9007199254740991;

  const LEVELS = Object.create(null);
  LEVELS.debug = true;
  LEVELS.info = true;
  LEVELS.warn = true;
  LEVELS.error = true;

  // The engine reports unhandled rejections to the handler registered through its `Graal` built-in, which is
  // enabled only for this: it is captured here and deleted below with everything else that is not ECMAScript.
  const graal = global.Graal;
  const setUnhandledRejectionHandler = graal === undefined ? undefined : graal.setUnhandledPromiseRejectionHandler;
  if (typeof setUnhandledRejectionHandler !== 'function') {
    throw new TypeErrorType('the engine does not report unhandled promise rejections');
  }

  // The AsyncContext proposal's namespace (the engine's js.async-context): its variables follow promise jobs and
  // awaits, the timers of cs-web.js carry them, and node:async_hooks builds AsyncLocalStorage on them. It is not a
  // global of Node.js, Deno or Workers, and its API may still change, so guests do not see it as one: the timers
  // get it with the Web internals, node:async_hooks under a symbol of the global object (as node:crypto gets the
  // hashes under one of crypto), and the global goes.
  const asyncContext = global.AsyncContext;
  if (asyncContext === undefined) {
    throw new TypeErrorType('the engine does not carry async context (js.async-context)');
  }
  delete global.AsyncContext;
  defineProperty(global, Symbol.for('code-sous.node:async_hooks'), { value: asyncContext, writable: false,
    enumerable: false, configurable: false });

  // The engine options already leave these out; deleting them again keeps the sandbox closed should an option
  // ever stop working. A property that cannot be deleted makes this throw, which fails every activation loudly
  // instead of running functions with host access.
  const FORBIDDEN = ['Java', 'Polyglot', 'Graal', 'Packages', 'java', 'javax', 'javafx', 'com', 'org', 'edu',
    'load', 'loadWithNewGlobal', 'print', 'printErr', 'quit', 'exit', 'read', 'readline', 'readbuffer',
    'readFully', 'arguments', 'require', 'process', 'WebAssembly', 'SharedArrayBuffer'];
  for (let i = 0; i < FORBIDDEN.length; i++) {
    delete global[FORBIDDEN[i]];
  }
  // The engine's own WebAssembly is deleted above with the rest; only the guarded namespace comes back.
  if (webAssembly !== null) {
    defineProperty(global, 'WebAssembly', { value: webAssembly, writable: true, enumerable: false,
      configurable: true });
  }

  // ---------------------------------------------------------------------------------------------------------
  // Work the engine cannot interrupt.
  //
  // A timeout or a memory limit cancels the guest at its next safepoint, but some of the engine's built-ins loop
  // over every index of an object without reaching one: over an array-like with a huge `length` they run for
  // hours, and some allocate per element until the JVM's heap is gone. Function code can only reach those loops
  // through the calls wrapped below, which refuse, with a RangeError the function may catch, any object with more
  // than `maxElements` elements. Genuine arrays are exempt where the engine's own array paths do reach safepoints.
  // The wrappers keep the originals' name, length and source text, and are not constructors.
  // ---------------------------------------------------------------------------------------------------------

  const originals = new WeakMapType();
  const proxyTargets = new WeakMapType();

  // A wrapper that declares as many parameters as its original already has the original's length; redefining the
  // property on every fresh context cost a microsecond or more a wrapper, interpreted.
  function replaceBuiltin(owner, name, replacement, original) {
    if (replacement.length !== original.length) {
      defineProperty(replacement, 'length', { value: original.length, configurable: true });
    }
    apply(weakMapSet, originals, [replacement, original]);
    defineProperty(owner, name, { value: replacement, writable: true, enumerable: false, configurable: true });
  }

  // Function.prototype.toString shows a wrapper as the built-in it stands for.
  const functionToString = Function.prototype.toString;
  replaceBuiltin(Function.prototype, 'toString', {
    toString() {
      const original = apply(weakMapGet, originals, [this]);
      return apply(functionToString, original === undefined ? this : original, []);
    },
  }.toString, functionToString);

  // Proxies are recorded with their targets: a proxy around a genuine array passes Array.isArray, yet the engine
  // walks it with the loops that never stop.
  const OriginalProxy = Proxy;
  const originalRevocable = Proxy.revocable;
  replaceBuiltin(OriginalProxy, 'revocable', {
    revocable(target, handler) {
      const result = apply(originalRevocable, OriginalProxy, [target, handler]);
      apply(weakMapSet, proxyTargets, [result.proxy, target]);
      return result;
    },
  }.revocable, originalRevocable);
  const TrackedProxy = new OriginalProxy(OriginalProxy, {
    construct(target, args, newTarget) {
      const proxy = reflectConstruct(target, args, newTarget);
      apply(weakMapSet, proxyTargets, [proxy, args[0]]);
      return proxy;
    },
  });
  apply(weakMapSet, originals, [TrackedProxy, OriginalProxy]);
  defineProperty(global, 'Proxy', { value: TrackedProxy, writable: true, enumerable: false, configurable: true });

  function isObject(value) {
    return (typeof value === 'object' && value !== null) || typeof value === 'function';
  }

  function isProxy(value) {
    return isObject(value) && apply(weakMapHas, proxyTargets, [value]);
  }

  // The innermost target of a chain of proxies, or the value itself.
  function unwrap(value) {
    let current = value;
    while (isProxy(current)) {
      current = apply(weakMapGet, proxyTargets, [current]);
    }
    return current;
  }

  function isTypedArray(value) {
    return isObject(value) && apply(typedArrayTag, value, []) !== undefined;
  }

  function toLength(number) {
    const n = +number;
    if (!(n > 0)) {
      return 0;
    }
    return n >= MAX_LENGTH ? MAX_LENGTH : mathFloor(n);
  }

  // ToLength(value.length); 0 when reading it throws, in which case the built-in throws the same error itself.
  function lengthOf(value) {
    try {
      return toLength(value.length);
    } catch (ignored) {
      return 0;
    }
  }

  // How many elements a built-in will walk when it treats `value` as an array-like.
  function elementCount(value) {
    const target = unwrap(value);
    if (isTypedArray(target)) {
      return apply(typedArrayLength, target, []);
    }
    const own = lengthOf(value);
    return target === value ? own : (own > lengthOf(target) ? own : lengthOf(target));
  }

  function refuse(what, count) {
    throw new RangeErrorType(what + ': ' + count + ' elements exceed the limit of ' + maxElements);
  }

  // Array.prototype methods are generic: on anything but a genuine array the engine walks indices 0..length-1.
  function checkReceiver(receiver, what) {
    if (receiver === null || receiver === undefined || (isArray(receiver) && !isProxy(receiver))) {
      return;
    }
    const count = elementCount(receiver);
    if (count > maxElements) {
      refuse(what, count);
    }
  }

  // The wrappers are the methods of one object literal, each with its original's name and as many parameters as its
  // length (and, being methods, no constructor): one wrapper built at a time from a list (a computed method name, the
  // length redefined) cost about twice as much in every fresh context. Each passes its arguments on as they came
  // (`arguments`: reduce tells an absent initial value from an undefined one).
  const ArrayPrototype = Array.prototype;
  const arrayIndexOf = ArrayPrototype.indexOf;
  const arrayLastIndexOf = ArrayPrototype.lastIndexOf;
  const arraySlice = ArrayPrototype.slice;
  const arrayMap = ArrayPrototype.map;
  const arrayFilter = ArrayPrototype.filter;
  const arrayForEach = ArrayPrototype.forEach;
  const arraySome = ArrayPrototype.some;
  const arrayEvery = ArrayPrototype.every;
  const arrayReduce = ArrayPrototype.reduce;
  const arrayReduceRight = ArrayPrototype.reduceRight;
  const arraySplice = ArrayPrototype.splice;
  const arrayShift = ArrayPrototype.shift;
  const arrayUnshift = ArrayPrototype.unshift;
  const arraySort = ArrayPrototype.sort;
  const arrayFlat = ArrayPrototype.flat;
  const arrayFlatMap = ArrayPrototype.flatMap;
  const arrayToReversed = ArrayPrototype.toReversed;
  const arrayToSorted = ArrayPrototype.toSorted;
  const arrayToSpliced = ArrayPrototype.toSpliced;
  const guardedArrayMethods = {
    indexOf(searchElement) {
      checkReceiver(this, 'Array.prototype.indexOf');
      return apply(arrayIndexOf, this, arguments);
    },
    lastIndexOf(searchElement) {
      checkReceiver(this, 'Array.prototype.lastIndexOf');
      return apply(arrayLastIndexOf, this, arguments);
    },
    slice(start, end) {
      checkReceiver(this, 'Array.prototype.slice');
      return apply(arraySlice, this, arguments);
    },
    map(callbackfn) {
      checkReceiver(this, 'Array.prototype.map');
      return apply(arrayMap, this, arguments);
    },
    filter(callbackfn) {
      checkReceiver(this, 'Array.prototype.filter');
      return apply(arrayFilter, this, arguments);
    },
    forEach(callbackfn) {
      checkReceiver(this, 'Array.prototype.forEach');
      return apply(arrayForEach, this, arguments);
    },
    some(callbackfn) {
      checkReceiver(this, 'Array.prototype.some');
      return apply(arraySome, this, arguments);
    },
    every(callbackfn) {
      checkReceiver(this, 'Array.prototype.every');
      return apply(arrayEvery, this, arguments);
    },
    reduce(callbackfn) {
      checkReceiver(this, 'Array.prototype.reduce');
      return apply(arrayReduce, this, arguments);
    },
    reduceRight(callbackfn) {
      checkReceiver(this, 'Array.prototype.reduceRight');
      return apply(arrayReduceRight, this, arguments);
    },
    splice(start, deleteCount) {
      checkReceiver(this, 'Array.prototype.splice');
      return apply(arraySplice, this, arguments);
    },
    shift() {
      checkReceiver(this, 'Array.prototype.shift');
      return apply(arrayShift, this, arguments);
    },
    unshift(item) {
      checkReceiver(this, 'Array.prototype.unshift');
      return apply(arrayUnshift, this, arguments);
    },
    sort(comparefn) {
      checkReceiver(this, 'Array.prototype.sort');
      return apply(arraySort, this, arguments);
    },
    flat() {
      checkReceiver(this, 'Array.prototype.flat');
      return apply(arrayFlat, this, arguments);
    },
    flatMap(mapperFunction) {
      checkReceiver(this, 'Array.prototype.flatMap');
      return apply(arrayFlatMap, this, arguments);
    },
    toReversed() {
      checkReceiver(this, 'Array.prototype.toReversed');
      return apply(arrayToReversed, this, arguments);
    },
    toSorted(comparefn) {
      checkReceiver(this, 'Array.prototype.toSorted');
      return apply(arrayToSorted, this, arguments);
    },
    toSpliced(start, skipCount) {
      checkReceiver(this, 'Array.prototype.toSpliced');
      return apply(arrayToSpliced, this, arguments);
    },
  };
  const guardedArrayNames = objectKeys(guardedArrayMethods);
  for (let i = 0; i < guardedArrayNames.length; i++) {
    const name = guardedArrayNames[i];
    const original = ArrayPrototype[name];
    if (typeof original === 'function') {
      replaceBuiltin(ArrayPrototype, name, guardedArrayMethods[name], original);
    }
  }

  // Array.from and TypedArray.from copy an array-like (an object without an iterator) index by index.
  function guardFrom(owner, what) {
    const original = owner.from;
    replaceBuiltin(owner, 'from', {
      from(items, ...rest) {
        if (isObject(items) && (items[symbolIterator] === undefined || items[symbolIterator] === null)) {
          const count = elementCount(items);
          if (count > maxElements) {
            refuse(what, count);
          }
        }
        return apply(original, this, [items, ...rest]);
      },
    }.from, original);
  }
  guardFrom(Array, 'Array.from');
  guardFrom(getPrototypeOf(Uint8Array), 'TypedArray.from');

  // Object.keys and its siblings create one value per element of an array, typed array or string.
  function indexedCount(value) {
    if (typeof value === 'string') {
      return value.length;
    }
    if (!isObject(value)) {
      return 0;
    }
    const target = unwrap(value);
    if (isArray(target) || isTypedArray(target) || isProxy(value)
        || apply(objectToString, target, []) === '[object String]') {
      return elementCount(value);
    }
    return 0;
  }

  // The wrappers declare the originals' one parameter (Object.assign's two), so their lengths already match.
  function guardEnumeration(owner, name, what, allArguments) {
    const original = owner[name];
    function check(args) {
      const checked = allArguments ? args.length : 1;
      for (let i = allArguments ? 1 : 0; i < checked; i++) {
        const count = indexedCount(args[i]);
        if (count > maxElements) {
          refuse(what, count);
        }
      }
    }
    replaceBuiltin(owner, name, allArguments ? {
      [name](target, source) {
        check(arguments);
        return apply(original, this, arguments);
      },
    }[name] : {
      [name](value) {
        check(arguments);
        return apply(original, this, arguments);
      },
    }[name], original);
  }
  guardEnumeration(Object, 'keys', 'Object.keys', false);
  guardEnumeration(Object, 'values', 'Object.values', false);
  guardEnumeration(Object, 'entries', 'Object.entries', false);
  guardEnumeration(Object, 'getOwnPropertyNames', 'Object.getOwnPropertyNames', false);
  guardEnumeration(Object, 'getOwnPropertyDescriptors', 'Object.getOwnPropertyDescriptors', false);
  guardEnumeration(Object, 'assign', 'Object.assign', true);
  guardEnumeration(Reflect, 'ownKeys', 'Reflect.ownKeys', false);

  // String.prototype.split builds every part before it looks back: asking it for one part more than the limit
  // keeps what it builds bounded, and tells whether there were more.
  const originalSplit = String.prototype.split;
  replaceBuiltin(String.prototype, 'split', {
    split(separator, limit) {
      const wanted = limit === undefined ? 4294967295 : limit >>> 0;
      if (wanted <= maxElements) {
        return apply(originalSplit, this, [separator, limit]);
      }
      const parts = apply(originalSplit, this, [separator, maxElements + 1]);
      if (parts.length > maxElements) {
        throw new RangeErrorType('String.prototype.split: more than ' + maxElements + ' parts');
      }
      return parts;
    },
  }.split, originalSplit);

  // ---------------------------------------------------------------------------------------------------------
  // Code generated at run time.
  //
  // Parsing never reaches a point where the engine can cancel it, so a deadline cannot stop one huge `eval` or
  // `new Function` midway: a 16 MiB body held a worker for seconds past its timeout. Every way to compile a string
  // at run time is therefore bounded to MAX_COMPILED_CHARS UTF-16 units, which the engine parses in well under a
  // second: `eval` and the Function, AsyncFunction, GeneratorFunction and AsyncGeneratorFunction constructors
  // (parameters and body together). Past it they throw a RangeError the function may catch. Each argument is
  // converted to a string once, here, and the strings are what the original compiles. `eval` is reached through a
  // proxy, so every eval is an indirect one: it sees the global scope, never the caller's local variables. Modules
  // cannot import generated code: imports only name bundle files.
  // ---------------------------------------------------------------------------------------------------------

  const MAX_COMPILED_CHARS = 262144;

  function refuseCompiling(what, length) {
    throw new RangeErrorType(what + ': code generated at run time is limited to ' + MAX_COMPILED_CHARS
      + ' characters, got ' + length);
  }

  const originalEval = global.eval;
  const boundedEval = new OriginalProxy(originalEval, {
    apply(target, self, args) {
      const source = args[0];
      if (typeof source === 'string' && source.length > MAX_COMPILED_CHARS) {
        refuseCompiling('eval', source.length);
      }
      return apply(target, undefined, [source]);
    },
  });
  apply(weakMapSet, originals, [boundedEval, originalEval]);
  defineProperty(global, 'eval', { value: boundedEval, writable: true, enumerable: false, configurable: true });

  function compiledSources(what, args) {
    const sources = [];
    let length = 0;
    for (let i = 0; i < args.length; i++) {
      const text = toStringOf(args[i]);
      length += text.length;
      if (length > MAX_COMPILED_CHARS) {
        refuseCompiling(what, length);
      }
      sources[i] = text;
    }
    return sources;
  }

  function boundConstructor(Original, what) {
    const bounded = new OriginalProxy(Original, {
      apply(target, self, args) {
        return reflectConstruct(target, compiledSources(what, args));
      },
      construct(target, args, newTarget) {
        return reflectConstruct(target, compiledSources(what, args), newTarget === bounded ? target : newTarget);
      },
    });
    apply(weakMapSet, originals, [bounded, Original]);
    defineProperty(Original.prototype, 'constructor', { value: bounded, writable: false, enumerable: false,
      configurable: true });
    return bounded;
  }

  const boundedFunction = boundConstructor(Function, 'Function');
  defineProperty(Function.prototype, 'constructor', { value: boundedFunction, writable: true, enumerable: false,
    configurable: true });
  defineProperty(global, 'Function', { value: boundedFunction, writable: true, enumerable: false,
    configurable: true });
  boundConstructor(getPrototypeOf(async function () {}).constructor, 'AsyncFunction');
  boundConstructor(getPrototypeOf(function* () {}).constructor, 'GeneratorFunction');
  boundConstructor(getPrototypeOf(async function* () {}).constructor, 'AsyncGeneratorFunction');

  // ---------------------------------------------------------------------------------------------------------
  // Errors and logging.
  // ---------------------------------------------------------------------------------------------------------

  function safeString(value) {
    try {
      return toStringOf(value);
    } catch (ignored) {
      try {
        return apply(objectToString, value, []);
      } catch (alsoIgnored) {
        return '[unprintable value]';
      }
    }
  }

  // Drops the frames of this script (the call of the handler, cs.log) so that stacks show function code only.
  function cleanStack(stack) {
    let kept = '';
    let start = 0;
    while (start <= stack.length) {
      let end = apply(stringIndexOf, stack, ['\n', start]);
      if (end < 0) {
        end = stack.length;
      }
      const line = apply(stringSlice, stack, [start, end]);
      if (start === 0) {
        kept = line;
      } else if (apply(stringIndexOf, line, [RUNTIME_SOURCE]) < 0) {
        kept += '\n' + line;
      }
      start = end + 1;
    }
    return kept;
  }

  function formatError(error) {
    try {
      const stack = error.stack;
      if (typeof stack === 'string' && stack !== '') {
        return cleanStack(stack);
      }
      return safeString(error.name) + ': ' + safeString(error.message);
    } catch (ignored) {
      return safeString(error);
    }
  }

  function formatValue(value) {
    if (typeof value === 'string') {
      return value;
    }
    if (value instanceof ErrorType) {
      return formatError(value);
    }
    if (typeof value === 'function') {
      let name = '';
      try {
        name = typeof value.name === 'string' ? value.name : '';
      } catch (ignored) {
        // a throwing name getter leaves the function anonymous
      }
      return '[Function: ' + (name || 'anonymous') + ']';
    }
    try {
      const json = jsonStringify(value);
      if (json !== undefined) {
        return json;
      }
    } catch (ignored) {
      // cyclic structures, BigInt, throwing toJSON: fall back to the string form
    }
    return safeString(value);
  }

  // Once the log caps are reached the host keeps nothing more, so later calls skip the formatting.
  let accepting = true;

  function write(level, args) {
    if (!accepting) {
      return;
    }
    let message = '';
    for (let i = 0; i < args.length; i++) {
      if (i > 0) {
        message += ' ';
      }
      message += formatValue(args[i]);
    }
    // A message with more UTF-16 units than the byte cap cannot fit; not handing it over spares a large copy.
    accepting = emit(level, message.length > maxMessageChars ? null : message);
  }

  const console = {
    log(...args) {
      write('info', args);
    },
    info(...args) {
      write('info', args);
    },
    warn(...args) {
      write('warn', args);
    },
    error(...args) {
      write('error', args);
    },
    debug(...args) {
      write('debug', args);
    },
  };
  defineProperty(global, 'console', { value: console, writable: true, enumerable: false, configurable: true });

  // What the host records for a throw or rejection: for an Error its string form ("TypeError: x is not a
  // function") and its stack; for any other value its string form and no stack.
  function describeError(error) {
    if (error instanceof ErrorType) {
      let stack = null;
      try {
        const raw = error.stack;
        stack = typeof raw === 'string' ? cleanStack(raw) : null;
      } catch (ignored) {
        // a throwing stack getter leaves the stack out
      }
      return { message: safeString(error), stack };
    }
    return { message: safeString(error), stack: null };
  }

  // Only the first unhandled rejection of an activation is reported; it ends the activation.
  let reporting = false;
  apply(setUnhandledRejectionHandler, graal, [(reason) => {
    if (reporting) {
      reporting = false;
      const description = describeError(reason);
      reportUnhandled(description.message, description.stack);
    }
  }]);

  // ---------------------------------------------------------------------------------------------------------
  // cs: logging and the capability calls, the only ways out of the sandbox.
  // ---------------------------------------------------------------------------------------------------------

  function typeName(value) {
    if (value === null) {
      return 'null';
    }
    if (isArray(value)) {
      return 'an array';
    }
    return typeof value === 'object' ? 'an object' : 'a ' + typeof value;
  }

  function requireString(value, what) {
    if (typeof value !== 'string') {
      throw new TypeErrorType(what + ' must be a string, got ' + typeName(value));
    }
    return value;
  }

  function toJson(value, what) {
    let json;
    try {
      json = jsonStringify(value);
    } catch (error) {
      throw new TypeErrorType(what + ' is not JSON-serializable: ' + safeString(error && error.message));
    }
    if (json === undefined) {
      throw new TypeErrorType(what + ' is not JSON-serializable: ' + typeName(value));
    }
    return json;
  }

  function settled(value) {
    return apply(promiseResolve, IntrinsicPromise, [value]);
  }

  function rejected(error) {
    return apply(promiseReject, IntrinsicPromise, [error]);
  }

  // A promise settled by the host: `convert` turns what onOk receives into the resolution value.
  function hostPromise(op, a, b, c, d, e, convert) {
    return new IntrinsicPromise((resolve, reject) => {
      const onOk = (x, y, z, w, v) => {
        try {
          resolve(convert(x, y, z, w, v));
        } catch (error) {
          reject(error);
        }
      };
      const onErr = (code, message) => {
        const error = new ErrorType(message);
        defineProperty(error, 'code', { value: code, writable: true, enumerable: true, configurable: true });
        reject(error);
      };
      const refused = hostCall(op, a, b, c, d, e, onOk, onErr);
      if (refused !== null && refused !== undefined) {
        throw new RangeErrorType(refused);
      }
    });
  }

  // Validation errors reject the returned promise like the call's own failures would.
  function capability(body) {
    try {
      return body();
    } catch (error) {
      return rejected(error);
    }
  }

  const identity = (x) => x;
  const nothing = () => undefined;
  const toBoolean = (x) => x === true;
  const parseJson = (json) => jsonParse(json);

  const kv = freeze({
    get(key) {
      return capability(() => hostPromise('kv.get', requireString(key, 'cs.kv.get: key'), undefined, undefined,
          undefined, undefined, identity));
    },
    set(key, value) {
      return capability(() => hostPromise('kv.set', requireString(key, 'cs.kv.set: key'),
          requireString(value, 'cs.kv.set: value'), undefined, undefined, undefined, nothing));
    },
    del(key) {
      return capability(() => hostPromise('kv.del', requireString(key, 'cs.kv.del: key'), undefined, undefined,
          undefined, undefined, toBoolean));
    },
    list(prefix) {
      return capability(() => hostPromise('kv.list',
          prefix === undefined ? '' : requireString(prefix, 'cs.kv.list: prefix'), undefined, undefined, undefined,
          undefined, parseJson));
    },
  });

  const codeq = freeze({
    // A string is published as it is; any other value as its JSON text.
    publish(topic, message) {
      return capability(() => hostPromise('codeq.publish', requireString(topic, 'cs.codeq.publish: topic'),
          typeof message === 'string' ? message : toJson(message, 'cs.codeq.publish: message'), undefined,
          undefined, undefined, nothing));
    },
  });

  const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
  const FORBIDDEN_HEADER_CHARS = /[\r\n\0]/;

  // Header names and values joined with NUL, which neither may contain.
  function encodeHeaders(headers) {
    if (headers === undefined || headers === null) {
      return '';
    }
    if (typeof headers !== 'object' || isArray(headers)) {
      throw new TypeErrorType('cs.http.fetch: init.headers must be an object, got ' + typeName(headers));
    }
    const names = objectKeys(headers);
    let encoded = '';
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = headers[name];
      if (!apply(regExpTest, TOKEN, [name])) {
        throw new TypeErrorType('cs.http.fetch: header name "' + name + '" is not a valid token');
      }
      if (typeof value !== 'string' || apply(regExpTest, FORBIDDEN_HEADER_CHARS, [value])) {
        throw new TypeErrorType('cs.http.fetch: header "' + name + '" must be a string without CR, LF or NUL');
      }
      encoded += (i > 0 ? '\0' : '') + apply(stringToLowerCase, name, []) + '\0' + value;
    }
    return encoded;
  }

  function isArrayBuffer(value) {
    try {
      apply(arrayBufferByteLength, value, []);
      return true;
    } catch (ignored) {
      return false;
    }
  }

  function bodyOf(body) {
    if (body === undefined || body === null) {
      return ['none', undefined];
    }
    if (typeof body === 'string') {
      return ['text', body];
    }
    if (isView(body)) {
      const offset = body.byteOffset;
      return ['bytes', apply(arrayBufferSlice, body.buffer, [offset, offset + body.byteLength])];
    }
    if (isObject(body) && isArrayBuffer(body)) {
      return ['bytes', body];
    }
    throw new TypeErrorType('cs.http.fetch: init.body must be a string, an ArrayBuffer or a view of one, got '
        + typeName(body));
  }

  function makeResponse(status, url, headersJson, latin1) {
    const bytes = () => {
      const buffer = new ArrayBufferType(latin1.length);
      copyLatin1(latin1, buffer);
      return buffer;
    };
    const read = (produce) => {
      try {
        return settled(produce());
      } catch (error) {
        return rejected(error);
      }
    };
    return freeze({
      status,
      ok: status >= 200 && status <= 299,
      url,
      headers: freeze(jsonParse(headersJson)),
      text() {
        return read(() => decodeUtf8(latin1));
      },
      json() {
        return read(() => jsonParse(decodeUtf8(latin1)));
      },
      arrayBuffer() {
        return read(bytes);
      },
      bytes() {
        return read(() => new Uint8ArrayType(bytes()));
      },
    });
  }

  const http = freeze({
    fetch(url, init) {
      return capability(() => {
        requireString(url, 'cs.http.fetch: url');
        if (init !== undefined && init !== null && typeof init !== 'object') {
          throw new TypeErrorType('cs.http.fetch: init must be an object, got ' + typeName(init));
        }
        const options = init === undefined || init === null ? {} : init;
        const method = options.method === undefined ? 'GET' : requireString(options.method, 'cs.http.fetch: init.method');
        if (!apply(regExpTest, TOKEN, [method])) {
          throw new TypeErrorType('cs.http.fetch: init.method "' + method + '" is not a valid token');
        }
        const headers = encodeHeaders(options.headers);
        const body = bodyOf(options.body);
        return hostPromise('http.fetch', url, apply(stringToUpperCase, method, []), headers, body[0], body[1],
            makeResponse);
      });
    },
  });

  const cadence = freeze({
    heartbeat(details) {
      return capability(() => hostPromise('cadence.heartbeat',
          details === undefined ? 'null' : toJson(details, 'cs.cadence.heartbeat: details'), undefined, undefined,
          undefined, undefined, nothing));
    },
  });

  function log(level, ...args) {
    if (typeof level !== 'string' || LEVELS[level] !== true) {
      const shown = typeof level === 'string' ? '"' + level + '"' : 'of type ' + typeof level;
      throw new TypeErrorType('cs.log: unknown level ' + shown + '; expected debug, info, warn or error');
    }
    write(level, args);
  }

  // `cs` is defined when the context serves its first activation: only a Cadence activity may heartbeat.
  let csInstalled = false;

  // What a Cadence activity throws to fail without retries (its reason is non-retryable, spec/cadence.md).
  class NonRetryableError extends ErrorType {
  }
  defineProperty(NonRetryableError.prototype, 'name', { value: 'NonRetryableError', writable: true,
    enumerable: false, configurable: true });

  function installCs(withCadence) {
    const cs = { log, kv, codeq, http };
    // not enumerable: cs lists its capabilities, and this is none
    defineProperty(cs, 'NonRetryableError', { value: NonRetryableError, writable: false, enumerable: false,
      configurable: false });
    if (withCadence) {
      cs.cadence = cadence;
    }
    defineProperty(global, 'cs', { value: freeze(cs), writable: false, enumerable: false, configurable: false });
    csInstalled = true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // The helpers the host calls.
  // ---------------------------------------------------------------------------------------------------------

  // What cs-web.js does when an activation begins and ends (its timers, its clock).
  let onBegin = nothing;
  let onEnd = nothing;

  function beginActivation(triggerType) {
    if (!csInstalled) {
      installCs(triggerType === 'cadence');
    }
    accepting = true;
    reporting = true;
    onBegin();
  }

  function endActivation() {
    reporting = false;
    onEnd();
  }

  // ---------------------------------------------------------------------------------------------------------
  // Web platform APIs: fetch, URL, TextEncoder, timers, crypto... (cs-web.js). Each is an accessor until first
  // used; the first use of any has the host evaluate cs-web.js in this context (and cs-web.js the part of it that
  // defines the global, if any), then the global is replaced by its value. Assigning one first (a polyfill)
  // replaces it like any global.
  // ---------------------------------------------------------------------------------------------------------

  const WEB_GLOBALS = ['AbortController', 'AbortSignal', 'Blob', 'Buffer', 'ByteLengthQueuingStrategy',
    'CompressionStream', 'CountQueuingStrategy', 'Crypto', 'CryptoKey', 'CustomEvent', 'DOMException',
    'DecompressionStream', 'Event', 'EventTarget', 'File', 'FormData', 'Headers', 'ReadableByteStreamController',
    'ReadableStream', 'ReadableStreamBYOBReader', 'ReadableStreamBYOBRequest', 'ReadableStreamDefaultController',
    'ReadableStreamDefaultReader', 'Request', 'Response', 'SubtleCrypto', 'TextDecoder', 'TextDecoderStream',
    'TextEncoder', 'TextEncoderStream', 'TransformStream', 'TransformStreamDefaultController', 'URL', 'URLPattern',
    'URLSearchParams', 'WritableStream', 'WritableStreamDefaultController', 'WritableStreamDefaultWriter', 'atob',
    'btoa', 'clearInterval', 'clearTimeout', 'crypto', 'fetch', 'navigator', 'performance', 'queueMicrotask',
    'reportError', 'setInterval', 'setTimeout', 'structuredClone'];
  const CONSOLE_EXTRAS = ['assert', 'count', 'countReset', 'dir', 'dirxml', 'group', 'groupCollapsed', 'groupEnd',
    'table', 'time', 'timeEnd', 'timeLog', 'trace'];

  // The internals cs-web.js builds the Web platform APIs on; handed to the host's loader, never to the guest.
  const webInternals = freeze({
    asyncContext,
    console,
    write,
    hostPromise,
    decodeUtf8,
    copyLatin1,
    onActivation(begin, end) {
      onBegin = begin;
      onEnd = end;
    },
  });

  let webApi;

  function web() {
    if (webApi === undefined) {
      webApi = loadWeb(webInternals);
    }
    return webApi;
  }

  function replaceWith(owner, name, value, enumerable) {
    defineProperty(owner, name, { value, writable: true, enumerable, configurable: true });
  }

  for (let i = 0; i < WEB_GLOBALS.length; i++) {
    const name = WEB_GLOBALS[i];
    defineProperty(global, name, {
      get() {
        const value = web().global(name);
        replaceWith(global, name, value, false);
        return value;
      },
      set(value) {
        replaceWith(global, name, value, false);
      },
      enumerable: false,
      configurable: true,
    });
  }

  // `self` is the global object, as in a worker (WinterTC's minimum common API): libraries written for browsers and
  // workers look for it.
  replaceWith(global, 'self', global, false);

  // cs-web.js's console part defines these on the console as plain methods when it is evaluated.
  for (let i = 0; i < CONSOLE_EXTRAS.length; i++) {
    const name = CONSOLE_EXTRAS[i];
    defineProperty(console, name, {
      get() {
        web().installConsole();
        return console[name];
      },
      set(value) {
        replaceWith(console, name, value, true);
      },
      enumerable: true,
      configurable: true,
    });
  }

  // ---------------------------------------------------------------------------------------------------------
  // process: what code written for Node.js (or for Lambda) reads of it wherever it runs. process.env holds the
  // manifest's env values from the context's start, so a module's top level finds its configuration there; they
  // are not secret, and the secrets stay in ctx.secrets, so no global of a warm context ever holds one. nextTick
  // queues a microtask. There is no version, versions or platform: code that takes them for Node.js would then
  // reach for Node.js's own modules, of which the sandbox has only the few that hand out its globals (node:buffer,
  // node:process...: NodeModules). Built on first use, like the Web globals.
  // ---------------------------------------------------------------------------------------------------------

  function nextTick(callback, ...args) {
    if (typeof callback !== 'function') {
      throw new TypeErrorType('process.nextTick: the callback must be a function, not ' + typeName(callback));
    }
    web().global('queueMicrotask')(() => {
      apply(callback, undefined, args);
    });
  }

  // process.getBuiltinModule(id), as Node.js (22.3 on), Deno and Workers have it: for code that loads Node.js's
  // modules where they exist without importing them, and for node:module's require(). One of the runtime's node:
  // modules, evaluated by the host at once where no import did before, as what Node.js answers (the module's
  // default export: its module.exports); undefined for a name the runtime has no module of.
  function getBuiltinModule(id) {
    if (typeof id !== 'string') {
      const error = new TypeErrorType('process.getBuiltinModule: the id must be a string, not ' + typeName(id));
      error.code = 'ERR_INVALID_ARG_TYPE';
      throw error;
    }
    const namespace = loadNodeModule(apply(stringSlice, id, [0, 5]) === 'node:' ? apply(stringSlice, id, [5]) : id);
    return namespace === null ? undefined : namespace.default;
  }

  // The Web globals' accessor, written out again rather than shared through a helper: a call per global while
  // installing them cost a strict context a few µs more (bench/run.sh --context-cost).
  defineProperty(global, 'process', {
    get() {
      const value = { env: jsonParse(envJson), nextTick, getBuiltinModule };
      replaceWith(global, 'process', value, false);
      return value;
    },
    set(value) {
      replaceWith(global, 'process', value, false);
    },
    enumerable: false,
    configurable: true,
  });

  // Runs the activation's earliest due timer; there are none before cs-web.js is evaluated.
  function runTimer() {
    if (webApi !== undefined) {
      webApi.runTimer();
    }
  }

  // A prepared context evaluates its module before any activation takes it: its logs and unhandled rejections are
  // reported to the preparation, and `cs` stays undefined because no activation is there to serve it.
  function beginPreparation() {
    accepting = true;
    reporting = true;
  }

  function parseEvent(json) {
    return jsonParse(json);
  }

  // ctx.secrets: a frozen object without prototype (so no inherited member can pass for a secret) of secret name
  // to value. Built afresh for every activation and referenced only from its ctx, never from this script's state
  // or a global, so a warm context holds no secret once the function's own references are gone.
  // ctx.env (the manifest's env values) is built the same way.
  function secretsOf(json) {
    const secrets = objectCreate(null);
    const parsed = jsonParse(json);
    const names = objectKeys(parsed);
    for (let i = 0; i < names.length; i++) {
      defineProperty(secrets, names[i], { value: parsed[names[i]], writable: false, enumerable: true,
        configurable: false });
    }
    return freeze(secrets);
  }

  function makeContext(activationId, requestId, tenant, namespace, functionName, functionVersion, triggerType,
                       traceparent, tracestate, deadlineMs, secretsJson, envJson) {
    return freeze({
      activationId,
      requestId,
      tenant,
      namespace,
      function: freeze({ name: functionName, version: functionVersion }),
      trigger: freeze({ type: triggerType }),
      traceparent,
      tracestate,
      deadlineMs,
      secrets: secretsOf(secretsJson),
      env: secretsOf(envJson),
      remainingMs() {
        return remainingMs();
      },
    });
  }

  // The named export `handler`, else a default export that is a function, else the `handler` method of a
  // default export object (called with that object as `this`), else its `fetch` method. Null when there is none.
  function findHandler(namespace) {
    const named = namespace.handler;
    if (typeof named === 'function') {
      return { fn: named, self: undefined };
    }
    const fallback = namespace.default;
    if (typeof fallback === 'function') {
      return { fn: fallback, self: undefined };
    }
    if (fallback !== null && typeof fallback === 'object' && typeof fallback.handler === 'function') {
      return { fn: fallback.handler, self: fallback };
    }
    // The Workers shape, a Hono app among them: fetch(request, env, ctx), adapted to the event and the response.
    if (fallback !== null && typeof fallback === 'object' && typeof fallback.fetch === 'function') {
      return { fn: web().fetchHandler(fallback), self: undefined };
    }
    return null;
  }

  // Calls the handler and reports how it settles through exactly one of the two callbacks. A synchronous
  // result goes through a promise as well, so that a returned thenable is adopted like `await` would; the
  // callbacks then run in the job queue, which the engine drains before control returns to the host.
  function run(found, event, context, onFulfilled, onRejected) {
    let outcome;
    try {
      outcome = apply(promiseResolve, IntrinsicPromise, [apply(found.fn, found.self, [event, context])]);
    } catch (error) {
      onRejected(error);
      return;
    }
    apply(promiseThen, outcome, [(value) => {
      onFulfilled(value);
    }, (reason) => {
      onRejected(reason);
    }]);
  }

  // A Cadence activity's result: the JSON of what the handler returned, or why it has none.
  function encodeResult(value) {
    try {
      const json = jsonStringify(value === undefined ? null : value);
      return json === undefined ? { error: 'got ' + typeName(value) } : json;
    } catch (error) {
      return { error: safeString(error && error.message) };
    }
  }

  return freeze({ beginActivation, endActivation, beginPreparation, parseEvent, makeContext, findHandler, run,
    describeError, runTimer, encodeResult });
})
