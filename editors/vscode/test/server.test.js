// Tests of src/server.js: finding the hybridc binary and the message when
// it is missing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { INSTALL, resolveServer } = require('../src/server');

function binDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridc-bin-'));
  const bin = path.join(dir, 'hybridc');
  fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'not-executable'), '', { mode: 0o644 });
  return { dir, bin };
}

test('a bare command is found on PATH and run as `lsp` with the extra arguments', () => {
  const { dir, bin } = binDir();
  const server = resolveServer('hybridc', ['--log', 'debug'], { env: { PATH: `/nonexistent${path.delimiter}${dir}` } });
  assert.deepEqual(server, { command: bin, args: ['lsp', '--log', 'debug'] });
});

test('an empty setting means `hybridc`; no extra arguments means `lsp` alone', () => {
  const { dir, bin } = binDir();
  assert.deepEqual(resolveServer('', undefined, { env: { PATH: dir } }), { command: bin, args: ['lsp'] });
});

test('a path is taken as it is, relative to the workspace folder', () => {
  const { dir, bin } = binDir();
  assert.deepEqual(resolveServer(bin, [], { env: { PATH: '' } }).command, bin);
  assert.deepEqual(resolveServer('./hybridc', [], { env: { PATH: '' }, cwd: dir }).command, bin);
});

test('a missing or non-executable binary gives the install command, not a server', () => {
  const { dir } = binDir();
  for (const setting of ['hybridc', path.join(dir, 'not-executable'), path.join(dir, 'absent')]) {
    const server = resolveServer(setting, [], { env: { PATH: '/nonexistent' } });
    assert.equal(server.command, undefined);
    assert.match(server.error, /was not found \(setting `hybridc\.server\.path`\)/);
    assert.ok(server.error.includes(`\`${setting}\``), server.error);
    assert.ok(server.error.includes(INSTALL), server.error);
  }
  assert.equal(INSTALL, 'cargo install --locked --path compiler/cli');
});
