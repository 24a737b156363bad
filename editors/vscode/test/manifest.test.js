// Tests of package.json: the language, grammar and settings it contributes
// fit together, and no workspace can choose the binary that is run.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('.hybrid files are the `hybrid` language, highlighted by the grammar', () => {
  const [language] = manifest.contributes.languages;
  assert.equal(language.id, 'hybrid');
  assert.deepEqual(language.extensions, ['.hybrid']);
  assert.ok(fs.existsSync(path.join(root, language.configuration)));
  const [grammar] = manifest.contributes.grammars;
  assert.equal(grammar.language, 'hybrid');
  const tm = JSON.parse(fs.readFileSync(path.join(root, grammar.path), 'utf8'));
  assert.equal(tm.scopeName, grammar.scopeName);
  assert.equal(tm.scopeName, 'source.hybrid');
});

test('the server settings have their defaults and are ignored in untrusted workspaces', () => {
  const settings = manifest.contributes.configuration.properties;
  assert.equal(settings['hybridc.server.path'].default, 'hybridc');
  assert.deepEqual(settings['hybridc.server.extraArgs'].default, []);
  const restricted = manifest.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.deepEqual([...restricted].sort(), Object.keys(settings).sort());
});

test('the entry point is src/extension.js bundled, and the restart command exists', () => {
  assert.equal(manifest.main, './dist/extension.js');
  const bundle = manifest.scripts.bundle.split(' ');
  assert.ok(bundle.includes('src/extension.js') && bundle.includes('--outfile=dist/extension.js'), manifest.scripts.bundle);
  assert.ok(bundle.includes('--external:vscode'), manifest.scripts.bundle);
  assert.equal(manifest.scripts['vscode:prepublish'], 'npm run bundle');
  const commands = manifest.contributes.commands.map((c) => c.command);
  assert.deepEqual(commands, ['hybridc.restartServer']);
  const source = fs.readFileSync(path.join(root, 'src/extension.js'), 'utf8');
  assert.match(source, /registerCommand\('hybridc\.restartServer'/);
});
