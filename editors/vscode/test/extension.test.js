// Tests of src/extension.js against stand-ins for the `vscode` and
// `vscode-languageclient/node` modules: what it starts, for which documents,
// and what it says when hybridc is missing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const Module = require('node:module');

function fakes(settings) {
  const log = { errors: [], clients: [], commands: {}, folding: [] };
  const vscode = {
    workspace: {
      getConfiguration: (section) => ({ get: (key) => settings[`${section}.${key}`] }),
      workspaceFolders: undefined,
      onDidChangeConfiguration: () => ({ dispose() {} }),
    },
    window: {
      showErrorMessage: async (message) => {
        log.errors.push(message);
        return undefined;
      },
    },
    commands: {
      registerCommand: (name, fn) => {
        log.commands[name] = fn;
        return { dispose() {} };
      },
      executeCommand: async () => undefined,
    },
    languages: {
      registerFoldingRangeProvider: (selector, provider) => {
        log.folding.push({ selector, provider });
        return { dispose() {} };
      },
    },
    FoldingRange: class {
      constructor(start, end) {
        Object.assign(this, { start, end });
      }
    },
  };
  const languageclient = {
    TransportKind: { stdio: 0 },
    LanguageClient: class {
      constructor(id, name, serverOptions, clientOptions) {
        Object.assign(this, { id, name, serverOptions, clientOptions, started: 0, stopped: 0 });
        log.clients.push(this);
      }
      async start() {
        this.started++;
      }
      async stop() {
        this.stopped++;
      }
    },
  };
  return { log, modules: { vscode, 'vscode-languageclient/node': languageclient } };
}

/** Loads a fresh src/extension.js that sees the stand-ins. */
function load(modules) {
  const original = Module._load;
  Module._load = function (request, ...rest) {
    return request in modules ? modules[request] : original.call(this, request, ...rest);
  };
  try {
    const file = require.resolve('../src/extension');
    delete require.cache[file];
    return require(file);
  } finally {
    Module._load = original;
  }
}

test('activate starts `hybridc lsp` over stdio for hybrid documents', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hybridc-bin-'));
  const bin = path.join(dir, 'hybridc');
  fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
  const { log, modules } = fakes({ 'hybridc.server.path': bin, 'hybridc.server.extraArgs': ['--x'] });
  const extension = load(modules);
  await extension.activate({ subscriptions: [] });
  assert.deepEqual(log.errors, []);
  assert.equal(log.clients.length, 1);
  const client = log.clients[0];
  assert.equal(client.started, 1);
  assert.deepEqual(client.serverOptions.run, { command: bin, args: ['lsp', '--x'], transport: 0 });
  assert.deepEqual(client.serverOptions.debug, client.serverOptions.run);
  assert.ok(client.clientOptions.documentSelector.every((s) => s.language === 'hybrid'));
  await log.commands['hybridc.restartServer']();
  assert.equal(client.stopped, 1);
  assert.equal(log.clients.length, 2);
  const folds = log.folding[0].provider.provideFoldingRanges({ getText: () => 'a {\n b\n}\n' });
  assert.deepEqual(folds.map((f) => [f.start, f.end]), [[0, 1]]);
  await extension.deactivate();
  assert.equal(log.clients[1].stopped, 1);
});

test('activate without the binary says how to install it and starts nothing', async () => {
  const { log, modules } = fakes({ 'hybridc.server.path': path.join(os.tmpdir(), 'no-such-dir', 'hybridc') });
  const extension = load(modules);
  await extension.activate({ subscriptions: [] });
  assert.equal(log.clients.length, 0);
  assert.equal(log.errors.length, 1);
  assert.match(log.errors[0], /cargo install --locked --path compiler\/cli/);
});
