// node:path, bundled by build.sh into the runtime's node/path.mjs: the npm path-browserify package, Node.js's
// POSIX path functions. The bundle's root is the working directory (path-process.mjs).
import path from 'path-browserify';

export const { basename, delimiter, dirname, extname, format, isAbsolute, join, normalize, parse, posix, relative,
  resolve, sep, toNamespacedPath } = path;
export default path;
