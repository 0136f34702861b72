// node:diagnostics_channel: named channels that libraries publish to and code subscribes to, as Node.js has them
// (undici, fastify, pino and others publish when a channel has subscribers). The channels of a context live as long as
// it does: in a warm context a subscription made at module level stays, as in a Node.js process. A subscriber's error
// does not reach the publisher, nor keep the other subscribers from the message: it is reported as uncaught
// (reportError), which ends the activation as Node.js's uncaught exception ends its process.
import { invalidArgType, requireFunction } from 'node:internal/errors';

const channels = new Map();
const TRACING_EVENTS = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'];

export class Channel {
  #subscribers = [];
  #stores = new Map();

  constructor(name) {
    this.name = name;
  }

  get hasSubscribers() {
    return this.#subscribers.length > 0 || this.#stores.size > 0;
  }

  subscribe(subscription) {
    requireFunction(subscription, 'subscription');
    // a copy, so that a subscriber that unsubscribes while a message is published does not skip the next one
    this.#subscribers = [...this.#subscribers, subscription];
  }

  unsubscribe(subscription) {
    const at = this.#subscribers.indexOf(subscription);
    if (at < 0) {
      return false;
    }
    this.#subscribers = [...this.#subscribers.slice(0, at), ...this.#subscribers.slice(at + 1)];
    return true;
  }

  publish(message) {
    for (const subscriber of this.#subscribers) {
      try {
        subscriber(message, this.name);
      } catch (error) {
        reportError(error);
      }
    }
  }

  /** Runs of runStores() run in store.run() with transform(data), or data when there is no transform. */
  bindStore(store, transform = undefined) {
    this.#stores.set(store, transform);
  }

  unbindStore(store) {
    return this.#stores.delete(store);
  }

  /** Enters every bound store, publishes data, then calls fn in them. */
  runStores(data, fn, thisArg = undefined, ...args) {
    let run = () => {
      this.publish(data);
      return Reflect.apply(fn, thisArg, args);
    };
    for (const [store, transform] of this.#stores) {
      const inner = run;
      run = () => store.run(transform === undefined ? data : transform(data), inner);
    }
    return run();
  }
}

export function channel(name) {
  if (typeof name !== 'string' && typeof name !== 'symbol') {
    throw invalidArgType('channel', 'string or symbol', name);
  }
  let found = channels.get(name);
  if (found === undefined) {
    found = new Channel(name);
    channels.set(name, found);
  }
  return found;
}

export function hasSubscribers(name) {
  const found = channels.get(name);
  return found !== undefined && found.hasSubscribers;
}

export function subscribe(name, subscription) {
  channel(name).subscribe(subscription);
}

export function unsubscribe(name, subscription) {
  const found = channels.get(name);
  return found !== undefined && found.unsubscribe(subscription);
}

export class TracingChannel {
  constructor(nameOrChannels) {
    for (const event of TRACING_EVENTS) {
      if (typeof nameOrChannels === 'string') {
        this[event] = channel('tracing:' + nameOrChannels + ':' + event);
      } else if (nameOrChannels !== null && typeof nameOrChannels === 'object'
          && nameOrChannels[event] instanceof Channel) {
        this[event] = nameOrChannels[event];
      } else {
        throw invalidArgType('nameOrChannels', 'string or an object of channels', nameOrChannels);
      }
    }
  }

  get hasSubscribers() {
    return TRACING_EVENTS.some((event) => this[event].hasSubscribers);
  }

  subscribe(handlers) {
    for (const event of TRACING_EVENTS) {
      if (handlers[event] !== undefined) {
        this[event].subscribe(handlers[event]);
      }
    }
  }

  unsubscribe(handlers) {
    let all = true;
    for (const event of TRACING_EVENTS) {
      if (handlers[event] !== undefined) {
        all = this[event].unsubscribe(handlers[event]) && all;
      }
    }
    return all;
  }

  traceSync(fn, context = {}, thisArg = undefined, ...args) {
    if (!this.hasSubscribers) {
      return Reflect.apply(fn, thisArg, args);
    }
    return this.#traced(context, () => {
      const result = Reflect.apply(fn, thisArg, args);
      context.result = result;
      return result;
    });
  }

  tracePromise(fn, context = {}, thisArg = undefined, ...args) {
    if (!this.hasSubscribers) {
      return Reflect.apply(fn, thisArg, args);
    }
    const settled = () => {
      this.asyncStart.publish(context);
      this.asyncEnd.publish(context);
    };
    return this.#traced(context, () => Promise.resolve(Reflect.apply(fn, thisArg, args)).then((result) => {
      context.result = result;
      settled();
      return result;
    }, (error) => {
      context.error = error;
      this.error.publish(context);
      settled();
      throw error;
    }));
  }

  traceCallback(fn, position = -1, context = {}, thisArg = undefined, ...args) {
    if (!this.hasSubscribers) {
      return Reflect.apply(fn, thisArg, args);
    }
    const callback = args.at(position);
    requireFunction(callback, 'callback');
    const tracing = this;
    args.splice(position, 1, function traced(error, result) {
      if (error) {
        context.error = error;
        tracing.error.publish(context);
      } else {
        context.result = result;
      }
      return tracing.asyncStart.runStores(context, () => {
        try {
          return Reflect.apply(callback, this, arguments);
        } finally {
          tracing.asyncEnd.publish(context);
        }
      });
    });
    return this.#traced(context, () => Reflect.apply(fn, thisArg, args));
  }

  // Runs call in the start channel's stores, after start is published; error when it throws, end when it returns.
  #traced(context, call) {
    return this.start.runStores(context, () => {
      try {
        return call();
      } catch (error) {
        context.error = error;
        this.error.publish(context);
        throw error;
      } finally {
        this.end.publish(context);
      }
    });
  }
}

export function tracingChannel(nameOrChannels) {
  return new TracingChannel(nameOrChannels);
}

export default { channel, hasSubscribers, subscribe, unsubscribe, tracingChannel, Channel };
