#!/usr/bin/env bash
# Bundles every src/*.mjs with esbuild into dist/<name>.mjs (ESM, browser platform, minified), installing the
# pinned packages first when node_modules is missing or older than package-lock.json.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
if [[ ! -d node_modules || package-lock.json -nt node_modules ]]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules
fi
mkdir -p dist
for src in src/*.mjs; do
  name="$(basename "$src" .mjs)"
  npx --no-install esbuild "$src" --bundle --format=esm --platform=browser --target=es2022 --minify \
    --log-level=warning --outfile="dist/$name.mjs"
done
