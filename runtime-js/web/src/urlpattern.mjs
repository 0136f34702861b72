// URLPattern for the runtime's URLPattern part (web-urlpattern.js): the urlpattern-polyfill package's class, without
// the entry point that installs it on globalThis; the part defines the global lazily, on the URL global it uses.
export { URLPattern } from 'urlpattern-polyfill/urlpattern';
