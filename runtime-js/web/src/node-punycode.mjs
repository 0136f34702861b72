// node:punycode, bundled by build.sh into the runtime's node/punycode.mjs: the npm punycode package, which Node.js's
// own (deprecated) module is, for packages that still require it (tr46, and whatwg-url and node-fetch through it).
import punycode from 'punycode';

export const { decode, encode, toASCII, toUnicode, ucs2, version } = punycode;
export default punycode;
