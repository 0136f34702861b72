// node:timers/promises: setTimeout as a promise (`await setTimeout(100)`), fulfilled with `value` after `delay` ms
// and rejected with an AbortError when options.signal aborts first, as on Node.js.
const timeout = globalThis.setTimeout;
const cancel = globalThis.clearTimeout;

function aborted(signal) {
  return new DOMException(signal.reason === undefined ? 'The operation was aborted' : String(signal.reason),
    'AbortError');
}

export function setTimeout(delay, value, options = {}) {
  const signal = options === null || typeof options !== 'object' ? undefined : options.signal;
  if (signal !== undefined && signal !== null && signal.aborted) {
    return Promise.reject(aborted(signal));
  }
  return new Promise((resolve, reject) => {
    const id = timeout(() => {
      if (signal) {
        signal.removeEventListener('abort', onAbort);
      }
      resolve(value);
    }, delay);
    function onAbort() {
      cancel(id);
      reject(aborted(signal));
    }
    if (signal) {
      signal.addEventListener('abort', onAbort, {once: true});
    }
  });
}

export default {setTimeout};
