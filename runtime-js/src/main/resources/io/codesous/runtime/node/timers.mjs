// node:timers: the timer globals, which run on the activation's task queue and end with it.
export const setTimeout = globalThis.setTimeout;
export const clearTimeout = globalThis.clearTimeout;
export const setInterval = globalThis.setInterval;
export const clearInterval = globalThis.clearInterval;
export default {setTimeout, clearTimeout, setInterval, clearInterval};
