#!/usr/bin/env bash
# Checks the image tar `mvn -Pimage package` writes: a valid image configuration whose entrypoint is
# cs, whose user is not root, which exposes the ports the chart uses, and whose layers hold the cs
# script (executable) and the class path file it reads. Needs tar and node.
#   deploy/image/check-image.sh [cli/target/code-sous-image.tar]
set -euo pipefail
image="${1:-$(dirname "$0")/../../cli/target/code-sous-image.tar}"
[ -f "$image" ] || { echo "no image tar at $image" >&2; exit 1; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xf "$image" -C "$work"
: > "$work/files.txt"
for layer in $(node -e 'for (const l of JSON.parse(require("fs").readFileSync(process.argv[1]))[0].Layers) console.log(l)' "$work/manifest.json"); do
  tar --warning=no-unknown-keyword -tvzf "$work/$layer" >> "$work/files.txt"
done

node - "$work/manifest.json" "$work/files.txt" <<'JS'
const fs = require('fs');
const [manifestFile, filesFile] = process.argv.slice(2);
const dir = require('path').dirname(manifestFile);
const manifest = JSON.parse(fs.readFileSync(manifestFile));
const image = JSON.parse(fs.readFileSync(dir + '/' + manifest[0].Config));
const config = image.config;
const files = fs.readFileSync(filesFile, 'utf8').split('\n');
const problems = [];
const expect = (ok, what) => { if (!ok) problems.push(what); };
expect(image.os === 'linux' && image.rootfs && image.rootfs.type === 'layers', 'not a linux image configuration');
expect(image.rootfs.diff_ids.length === manifest[0].Layers.length, 'layers and diff_ids differ in number');
expect(JSON.stringify(config.Entrypoint) === JSON.stringify(['/usr/local/bin/cs']), 'entrypoint is ' + JSON.stringify(config.Entrypoint));
const user = String(config.User || '');
expect(/^[0-9]+(:[0-9]+)?$/.test(user) && !/^0(:|$)/.test(user), 'user must be a numeric non-root uid, is "' + user + '"');
for (const port of ['8080/tcp', '5701/tcp', '5702/tcp', '9464/tcp']) {
  expect(config.ExposedPorts && port in config.ExposedPorts, 'port ' + port + ' not exposed');
}
const entry = (path) => files.find(l => l.trim().endsWith(' ' + path) || l.trim().endsWith(' ./' + path));
const cs = entry('usr/local/bin/cs');
expect(cs && /^-rwxr-xr-x/.test(cs), 'usr/local/bin/cs missing or not executable: ' + cs);
expect(entry('app/jib-classpath-file'), 'app/jib-classpath-file missing');
if (problems.length) {
  console.error('image check failed:\n  ' + problems.join('\n  '));
  process.exit(1);
}
console.log('image ok: entrypoint ' + config.Entrypoint.join(' ') + ', user ' + user + ', ports '
  + Object.keys(config.ExposedPorts).join(' ') + ', ' + manifest[0].Layers.length + ' layers');
JS
