// WebAssembly for functions that use it, bounded by the context's memory budget. Evaluated only in the contexts of a
// bundle that names WebAssembly (the engine's WebAssembly API costs every context that has it), before cs-runtime.js,
// which installs the namespace this returns.
//
// The engine allocates a module's memories and tables whole, up to 4 GiB, in steps the memory guard cannot see in
// time; so every way to compile bytes goes through the host's capModule, which lowers the maximum of each memory and
// table the module defines to the context's allocation cap (WasmLimits.java), and the Memory and Table constructors
// get the same caps. The original constructors and functions stay in this closure: the namespace's properties and
// the prototypes' `constructor` lead to the guarded ones only.
//
// Host functions:
//   capModule(arrayBuffer) -> "=" | "+" latin1 | "C" why | "R" why   the module as it is, rewritten, or refused
//   copyLatin1(latin1, arrayBuffer)                                     bytes carried one per char into the buffer
(function guardWebAssembly(wasm, capModule, copyLatin1, maxPages, maxTableElements) {
  'use strict';

  const apply = Reflect.apply;
  const construct = Reflect.construct;
  const defineProperty = Object.defineProperty;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
  const getPrototypeOf = Object.getPrototypeOf;
  const TypeErrorType = TypeError;
  const RangeErrorType = RangeError;
  const ArrayBufferType = ArrayBuffer;
  const NumberType = Number;
  const isView = ArrayBuffer.isView;
  const isFinite = Number.isFinite;
  const mathTrunc = Math.trunc;
  const arrayBufferSlice = ArrayBuffer.prototype.slice;
  const TypedArrayPrototype = getPrototypeOf(Uint8Array.prototype);
  const typedArrayBuffer = getOwnPropertyDescriptor(TypedArrayPrototype, 'buffer').get;
  const typedArrayByteOffset = getOwnPropertyDescriptor(TypedArrayPrototype, 'byteOffset').get;
  const typedArrayByteLength = getOwnPropertyDescriptor(TypedArrayPrototype, 'byteLength').get;
  const dataViewBuffer = getOwnPropertyDescriptor(DataView.prototype, 'buffer').get;
  const dataViewByteOffset = getOwnPropertyDescriptor(DataView.prototype, 'byteOffset').get;
  const dataViewByteLength = getOwnPropertyDescriptor(DataView.prototype, 'byteLength').get;
  const promiseResolve = Promise.resolve;
  const promiseReject = Promise.reject;
  const promiseThen = Promise.prototype.then;
  const IntrinsicPromise = Promise;
  const stringSlice = String.prototype.slice;
  const stringIndexOf = String.prototype.indexOf;
  const stringTrim = String.prototype.trim;
  const stringToLowerCase = String.prototype.toLowerCase;

  const OriginalModule = wasm.Module;
  const OriginalMemory = wasm.Memory;
  const OriginalTable = wasm.Table;
  const CompileError = wasm.CompileError;
  const originalCompile = wasm.compile;
  const originalInstantiate = wasm.instantiate;
  const moduleExports = OriginalModule.exports;

  // A copy of a BufferSource's bytes that the function cannot change while the host reads it; the standard copies
  // the bytes when the call is made too.
  function copyOf(bytes, caller) {
    if (isView(bytes)) {
      let buffer;
      let offset;
      let length;
      try {
        buffer = apply(typedArrayBuffer, bytes, []);
        offset = apply(typedArrayByteOffset, bytes, []);
        length = apply(typedArrayByteLength, bytes, []);
      } catch (notTypedArray) {
        buffer = apply(dataViewBuffer, bytes, []);
        offset = apply(dataViewByteOffset, bytes, []);
        length = apply(dataViewByteLength, bytes, []);
      }
      return apply(arrayBufferSlice, buffer, [offset, offset + length]);
    }
    try {
      return apply(arrayBufferSlice, bytes, [0]);
    } catch (notArrayBuffer) {
      throw new TypeErrorType(caller + '(): Argument 0 must be a buffer source');
    }
  }

  function capped(bytes, caller) {
    const copy = copyOf(bytes, caller);
    const answer = capModule(copy);
    const kind = answer[0];
    if (kind === '=') {
      return copy;
    }
    const rest = apply(stringSlice, answer, [1]);
    if (kind === '+') {
      const rewritten = new ArrayBufferType(rest.length);
      copyLatin1(rest, rewritten);
      return rewritten;
    }
    throw kind === 'C' ? new CompileError(caller + '(): ' + rest) : new RangeErrorType(caller + '(): ' + rest);
  }

  function isModule(value) {
    try {
      moduleExports(value);
      return true;
    } catch (notModule) {
      return false;
    }
  }

  // An unsigned size as the constructors read it (ToNumber once, so a valueOf runs once); left as it is when it is
  // not a finite number, for the engine's own check to refuse.
  function size(value) {
    const number = NumberType(value);
    return isFinite(number) ? mathTrunc(number) : number;
  }

  function bounded(initial, maximum, cap, caller, unit) {
    if (initial > cap) {
      throw new RangeErrorType(caller + '(): an initial size of ' + initial + ' ' + unit + ' is more than the ' + cap
          + ' the function\'s memory limit allows');
    }
    return maximum === undefined || (isFinite(maximum) && maximum > cap) ? cap : maximum;
  }

  function requireNew(target, name) {
    if (target === undefined) {
      throw new TypeErrorType('WebAssembly.' + name + ' must be called with new');
    }
  }

  function Module(bytes) {
    requireNew(new.target, 'Module');
    return construct(OriginalModule, [capped(bytes, 'WebAssembly.Module')], new.target);
  }

  function Memory(descriptor) {
    requireNew(new.target, 'Memory');
    if (typeof descriptor !== 'object' || descriptor === null) {
      return construct(OriginalMemory, [descriptor], new.target);
    }
    const initial = size(descriptor.initial);
    const maximum = descriptor.maximum === undefined ? undefined : size(descriptor.maximum);
    const shared = descriptor.shared;
    return construct(OriginalMemory, [{
      initial, maximum: bounded(initial, maximum, maxPages, 'WebAssembly.Memory', 'pages'), shared,
    }], new.target);
  }

  function Table(descriptor, value) {
    requireNew(new.target, 'Table');
    if (typeof descriptor !== 'object' || descriptor === null) {
      return construct(OriginalTable, arguments, new.target);
    }
    const element = descriptor.element;
    const initial = size(descriptor.initial);
    const maximum = descriptor.maximum === undefined ? undefined : size(descriptor.maximum);
    const bounds = {
      element, initial, maximum: bounded(initial, maximum, maxTableElements, 'WebAssembly.Table', 'elements'),
    };
    return construct(OriginalTable, arguments.length > 1 ? [bounds, value] : [bounds], new.target);
  }

  function compile(bytes) {
    try {
      return apply(originalCompile, wasm, [capped(bytes, 'WebAssembly.compile')]);
    } catch (error) {
      return apply(promiseReject, IntrinsicPromise, [error]);
    }
  }

  function instantiate(source, imports) {
    if (isModule(source)) {
      return apply(originalInstantiate, wasm, [source, imports]);
    }
    try {
      return apply(originalInstantiate, wasm, [capped(source, 'WebAssembly.instantiate'), imports]);
    } catch (error) {
      return apply(promiseReject, IntrinsicPromise, [error]);
    }
  }

  // The Web API's streaming variants take a Response (or a promise of one) served as application/wasm.
  function responseBytes(source, caller) {
    return apply(promiseThen, apply(promiseResolve, IntrinsicPromise, [source]), [(response) => {
      if (typeof response !== 'object' || response === null || typeof response.arrayBuffer !== 'function'
          || typeof response.headers !== 'object' || response.headers === null) {
        throw new TypeErrorType(caller + '(): Argument 0 must be a Response or a promise of one');
      }
      const type = response.headers.get('content-type');
      const semicolon = type === null ? -1 : apply(stringIndexOf, type, [';']);
      const mediaType = type === null || semicolon < 0 ? type : apply(stringSlice, type, [0, semicolon]);
      const essence = type === null ? '' : apply(stringToLowerCase, apply(stringTrim, mediaType, []), []);
      if (essence !== 'application/wasm') {
        throw new TypeErrorType(caller + '(): the response\'s Content-Type is ' + (type === null ? 'missing' : '"'
            + type + '"') + ', not application/wasm');
      }
      if (!response.ok) {
        throw new TypeErrorType(caller + '(): the response\'s status is ' + response.status + ', not a success');
      }
      return response.arrayBuffer();
    }]);
  }

  function compileStreaming(source) {
    return apply(promiseThen, responseBytes(source, 'WebAssembly.compileStreaming'), [compile]);
  }

  function instantiateStreaming(source, imports) {
    return apply(promiseThen, responseBytes(source, 'WebAssembly.instantiateStreaming'),
        [(bytes) => instantiate(bytes, imports)]);
  }

  function replace(name, value) {
    defineProperty(wasm, name, { value, writable: true, enumerable: false, configurable: true });
  }

  function replaceConstructor(name, guarded, original) {
    defineProperty(guarded, 'prototype', { value: original.prototype, writable: false, enumerable: false,
      configurable: false });
    defineProperty(original.prototype, 'constructor', { value: guarded, writable: true, enumerable: false,
      configurable: true });
    replace(name, guarded);
  }

  for (const name of ['exports', 'imports', 'customSections']) {
    defineProperty(Module, name, getOwnPropertyDescriptor(OriginalModule, name));
  }
  replaceConstructor('Module', Module, OriginalModule);
  replaceConstructor('Memory', Memory, OriginalMemory);
  replaceConstructor('Table', Table, OriginalTable);
  replace('compile', compile);
  replace('instantiate', instantiate);
  replace('compileStreaming', compileStreaming);
  replace('instantiateStreaming', instantiateStreaming);
  return wasm;
})
