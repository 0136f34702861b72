// node:url: the WHATWG URL classes Node.js's module re-exports. Its legacy url.parse and url.format are not here:
// code that imports them fails to link, naming the export, rather than parsing URLs another way.
export const URL = globalThis.URL;
export const URLSearchParams = globalThis.URLSearchParams;
export default {URL, URLSearchParams};
