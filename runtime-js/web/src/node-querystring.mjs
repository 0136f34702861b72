// node:querystring, bundled by build.sh into the runtime's node/querystring.mjs: the npm querystring-es3 package,
// Node.js's legacy query string functions for other platforms.
import querystring from 'querystring-es3';

export const { decode, encode, parse, stringify } = querystring;
export default querystring;
