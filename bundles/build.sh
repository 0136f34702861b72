#!/usr/bin/env bash
# Bundles every src/*.mjs with esbuild into dist/<name>.mjs (ESM, minified; the browser platform but for node-*.mjs),
# installing the pinned packages first when node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
mkdir -p dist
# node-*.mjs are bundled for Node.js: esbuild leaves its modules to the platform, loading them with require() in
# CommonJS code, which the banner defines as Node.js code bundled as an ES module does.
node_banner="import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
for src in src/*.mjs; do
  name="$(basename "$src" .mjs)"
  platform=(--platform=browser)
  # Node.js's `global` is not a global of the sandbox (nor of Workers or Deno): its code's references are globalThis
  [[ $name == node-* ]] && platform=(--platform=node "--banner:js=$node_banner" --define:global=globalThis)
  npx --no-install esbuild "$src" --bundle --format=esm "${platform[@]}" --target=es2022 --minify \
    --log-level=warning --outfile="dist/$name.mjs"
done
