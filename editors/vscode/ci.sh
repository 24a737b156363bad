#!/usr/bin/env bash
# The VS Code extension's checks, as CI runs them: install the pinned
# packages, run the client's tests and the grammar's tests, package the
# extension into target/vscode/hybridc.vsix and check what the package holds
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
npx --no-install vsce package --out "$out/hybridc.vsix"

# A .vsix is a zip: the manifest, the grammar, the client and the language
# server client library must be in it; the tests must not.
listing=$(python3 -m zipfile -l "$out/hybridc.vsix" | awk 'NR > 1 { print $1 }')
for want in extension/package.json extension/syntaxes/hybrid.tmLanguage.json \
  extension/language-configuration.json extension/src/extension.js extension/src/server.js \
  extension/src/folding.js extension/LICENSE.txt extension/readme.md \
  extension/node_modules/vscode-languageclient/node.js; do
  if ! grep -qxF "$want" <<<"$listing"; then
    echo "the .vsix lacks $want" >&2
    exit 1
  fi
done
if grep -q '^extension/test/' <<<"$listing"; then
  echo "the .vsix holds the tests" >&2
  exit 1
fi
# Unpacked, the client loads with what the package holds (every module it
# requires is in it), `vscode` aside, which the editor provides.
unpacked=$(mktemp -d)
trap 'rm -rf "$unpacked"' EXIT
python3 -m zipfile -e "$out/hybridc.vsix" "$unpacked"
(cd "$unpacked" && node -e '
const Module = require("node:module");
const editor = new Proxy(function () {}, { get: (_, key) => (key === Symbol.toPrimitive ? () => "" : editor), apply: () => editor, construct: () => editor });
const load = Module._load;
Module._load = function (request, ...rest) { return request === "vscode" ? editor : load.call(this, request, ...rest); };
const extension = require("./extension/src/extension.js");
if (typeof extension.activate !== "function") throw new Error("the packaged client exports no activate");
')
echo "packaged $(cd "$out" && pwd)/hybridc.vsix ($(du -k "$out/hybridc.vsix" | cut -f1) KiB, $(wc -l <<<"$listing") files)"
