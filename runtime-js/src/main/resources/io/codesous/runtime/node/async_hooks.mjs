// node:async_hooks: AsyncLocalStorage and AsyncResource, as Workers has them, on the engine's AsyncContext variables
// (the js.async-context option; cs-runtime.js hands the namespace over under a symbol of the global object). A store
// set with run() is what getStore() answers in the callback and in everything it starts: after its awaits, in the
// promise reactions it registers and the timers it sets; nowhere else, so two requests served at once by one warm
// context never see each other's store. Node.js's lower-level API (createHook, executionAsyncId and the like) tracks
// resources the sandbox does not have: code that imports it fails to link, naming the export. enterWith() is refused
// with a message naming run(), as in Workers: a store entered without a scope would outlive the call that set it.
import { invalidArgType, nodeError, requireFunction } from 'node:internal/errors';

const { Variable, Snapshot } = globalThis[Symbol.for('code-sous.node:async_hooks')];

export class AsyncLocalStorage {
  #variable;
  #enabled = true;

  constructor(options = undefined) {
    const name = options === undefined || options === null || options.name === undefined
      ? 'AsyncLocalStorage' : String(options.name);
    this.#variable = new Variable({ name, defaultValue: options == null ? undefined : options.defaultValue });
  }

  /** A function that runs fn in the async context of this call, wherever it is called from. */
  static bind(fn) {
    requireFunction(fn, 'fn');
    const snapshot = new Snapshot();
    return function bound(...args) {
      return snapshot.run(() => Reflect.apply(fn, this, args));
    };
  }

  /** A function that runs the function it is given in the async context of this call. */
  static snapshot() {
    const snapshot = new Snapshot();
    return (fn, ...args) => {
      requireFunction(fn, 'fn');
      return snapshot.run(fn, ...args);
    };
  }

  get name() {
    return this.#variable.name;
  }

  /** getStore() answers undefined until the next run(). */
  disable() {
    this.#enabled = false;
  }

  getStore() {
    return this.#enabled ? this.#variable.get() : undefined;
  }

  run(store, callback, ...args) {
    requireFunction(callback, 'callback');
    this.#enabled = true;
    return this.#variable.run(store, callback, ...args);
  }

  exit(callback, ...args) {
    requireFunction(callback, 'callback');
    return this.#variable.run(undefined, callback, ...args);
  }

  enterWith() {
    throw nodeError(Error, 'ERR_METHOD_NOT_IMPLEMENTED', 'AsyncLocalStorage.enterWith() is not supported in code-sous '
      + '(nor in Workers): use run(store, callback), whose store holds for the callback and everything it starts');
  }
}

let nextAsyncId = 1;

export class AsyncResource {
  #context;
  #asyncId;
  #triggerAsyncId;

  constructor(type, options = undefined) {
    if (typeof type !== 'string') {
      throw invalidArgType('type', 'string', type);
    }
    this.#context = new Snapshot();
    this.#asyncId = nextAsyncId++;
    const trigger = typeof options === 'number' ? options : options == null ? undefined : options.triggerAsyncId;
    this.#triggerAsyncId = trigger === undefined ? 0 : trigger;
  }

  static bind(fn, type = undefined, thisArg = undefined) {
    requireFunction(fn, 'fn');
    const name = typeof type === 'string' ? type : (fn.name || 'bound-anonymous-fn');
    return new AsyncResource(name).bind(fn, thisArg);
  }

  /** Runs fn in the async context the resource was created in. */
  runInAsyncScope(fn, thisArg, ...args) {
    requireFunction(fn, 'fn');
    return this.#context.run(() => Reflect.apply(fn, thisArg, args));
  }

  bind(fn, thisArg = undefined) {
    requireFunction(fn, 'fn');
    const resource = this;
    const bound = thisArg === undefined
      ? function bound(...args) {
        return resource.runInAsyncScope(fn, this, ...args);
      }
      : (...args) => resource.runInAsyncScope(fn, thisArg, ...args);
    Object.defineProperties(bound, {
      length: { value: fn.length, configurable: true },
      asyncResource: { value: this, configurable: true, enumerable: true, writable: true },
    });
    return bound;
  }

  emitDestroy() {
    return this;
  }

  asyncId() {
    return this.#asyncId;
  }

  triggerAsyncId() {
    return this.#triggerAsyncId;
  }
}

export default { AsyncLocalStorage, AsyncResource };
