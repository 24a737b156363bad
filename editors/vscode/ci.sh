#!/usr/bin/env bash
# The VS Code extension's checks, as CI runs them: install the pinned
# packages, run the client's tests and the grammar's tests, bundle the client
# and package the extension into target/vscode/hybridc.vsix and check what the package holds
# and that its client loads from it.
# Needs Node 20 or newer and npm.
set -euo pipefail
cd "$(dirname "$0")"
out=../../target/vscode

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || ! command -v npm >/dev/null 2>&1; then
  echo "the VS Code extension needs Node 20 or newer and npm (found node major version $node_major)" >&2
  exit 1
fi

npm ci --no-audit --no-fund --loglevel=error
npm test
mkdir -p "$out"
rm -f "$out/hybridc.vsix"
npx --no-install vsce package --no-dependencies --out "$out/hybridc.vsix"

# A .vsix is a zip: the manifest, the grammar, the language configuration
# and the bundled client must be in it; the sources, the tests and the
# packages (bundled into the client) must not.
listing=$(python3 -m zipfile -l "$out/hybridc.vsix" | awk 'NR > 1 { print $1 }')
for want in extension/package.json extension/syntaxes/hybrid.tmLanguage.json \
  extension/language-configuration.json extension/dist/extension.js extension/LICENSE.txt \
  extension/readme.md; do
  if ! grep -qxF "$want" <<<"$listing"; then
    echo "the .vsix lacks $want" >&2
    exit 1
  fi
done
if grep -qE '^extension/(src|test|node_modules)/' <<<"$listing"; then
  echo "the .vsix holds sources, tests or packages:" >&2
  grep -E '^extension/(src|test|node_modules)/' <<<"$listing" >&2
  exit 1
fi
# Unpacked, the bundled client loads on its own (every module it requires
# is in the bundle), `vscode` aside, which the editor provides.
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
python3 -m zipfile -e "$out/hybridc.vsix" "$unpacked"
(cd "$unpacked" && node -e '
const Module = require("node:module");
const editor = new Proxy(function () {}, { get: (_, key) => (key === Symbol.toPrimitive ? () => "" : editor), apply: () => editor, construct: () => editor });
const load = Module._load;
Module._load = function (request, ...rest) { return request === "vscode" ? editor : load.call(this, request, ...rest); };
const extension = require("./extension/dist/extension.js");
if (typeof extension.activate !== "function" || typeof extension.deactivate !== "function") {
  throw new Error("the packaged client exports no activate and deactivate");
}
')
echo "packaged $(cd "$out" && pwd)/hybridc.vsix ($(du -k "$out/hybridc.vsix" | cut -f1) KiB, $(wc -l <<<"$listing") files)"
