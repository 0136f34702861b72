// Bundles src/buffer.cjs (build.sh) with base64url added to the npm buffer package, which predates it: Node.js has
// had the encoding since 15.7 and JWT code uses it. Decoding needs no change, since the package's base64 decoder
// already takes the URL alphabet; the encoding is base64 with that alphabet and no padding. Each replacement must
// find its text, so a new version of the package fails the build instead of losing the encoding.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';

const REPLACEMENTS = [
  // Buffer.isEncoding, byteLength and write: decoded as base64
  ["case 'base64':\n    case 'ucs2':", "case 'base64':\n    case 'base64url':\n    case 'ucs2':"],
  ["case 'base64':\n        return base64ToBytes(string).length",
    "case 'base64':\n      case 'base64url':\n        return base64ToBytes(string).length"],
  ["case 'base64':\n        // Warning: maxLength not taken into account in base64Write",
    "case 'base64':\n      case 'base64url':\n        // Warning: maxLength not taken into account in base64Write"],
  // toString: the URL alphabet without padding
  ["case 'base64':\n        return base64Slice(this, start, end)",
    "case 'base64':\n        return base64Slice(this, start, end)\n\n      case 'base64url':\n"
      + "        return base64Slice(this, start, end).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '')"],
];

const base64url = {
  name: 'buffer-base64url',
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]buffer[\\/]index\.js$/ }, async (args) => {
      let source = await readFile(args.path, 'utf8');
      for (const [from, to] of REPLACEMENTS) {
        if (!source.includes(from)) {
          throw new Error(`buffer's index.js no longer contains ${JSON.stringify(from)}`);
        }
        source = source.replace(from, to);
      }
      return { contents: source, loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['src/buffer.cjs'], bundle: true, format: 'iife', globalName: 'webBuffer', platform: 'browser',
  target: 'es2022', minify: true, legalComments: 'none', logLevel: 'warning', outfile: 'build/buffer.js',
  plugins: [base64url],
});
