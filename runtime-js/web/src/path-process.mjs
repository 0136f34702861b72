// What path-browserify reads of Node.js's process: path.resolve() resolves against the working directory, which
// is the bundle's root.
export const process = { cwd: () => '/' };
