// How the extension starts the language server: the `hybridc` binary named
// by the settings, found on PATH or by its path, run as `hybridc lsp` with
// the extra arguments; and what the user is told when it is missing. Plain
// Node, no `vscode`, so the tests run it directly.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** How hybridc is installed, from a clone of the repository. */
const INSTALL = 'cargo install --locked --path compiler/cli';
const REPOSITORY = 'https://github.com/hybridc/hybridc';

function isExecutable(file) {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The absolute path `setting` names, or undefined. A bare command is looked
 * up on PATH (with PATHEXT on Windows); `~/` is the home directory; a
 * relative path with a separator is relative to `cwd`, the workspace folder.
 */
function locate(setting, { env = process.env, cwd = process.cwd(), platform = process.platform } = {}) {
  let command = setting.trim();
  if (command === '~' || command.startsWith('~/')) command = path.join(os.homedir(), command.slice(1));
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT || '.EXE;.CMD;.BAT').split(';')] : [''];
  const candidates = command.includes('/') || command.includes(path.sep)
    ? [path.resolve(cwd, command)]
    : (env.PATH || '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, command));
  for (const candidate of candidates) {
    for (const ext of exts) {
      if (isExecutable(candidate + ext)) return candidate + ext;
    }
  }
  return undefined;
}

/** The message shown when the binary `setting` names cannot be found. */
function notFound(setting) {
  return `hybridc: the language server binary \`${setting}\` was not found (setting \`hybridc.server.path\`). ` +
    `Install hybridc with \`${INSTALL}\` from a clone of ${REPOSITORY}, ` +
    'or set `hybridc.server.path` to the binary, then run "hybridc: Restart the language server".';
}

/**
 * What to run for the settings `path` and `extraArgs`: `{ command, args }`,
 * or `{ error }` with the message to show.
 */
function resolveServer(setting, extraArgs, options) {
  const name = typeof setting === 'string' && setting.trim() !== '' ? setting : 'hybridc';
  const command = locate(name, options);
  if (!command) return { error: notFound(name) };
  const extra = Array.isArray(extraArgs) ? extraArgs.map(String) : [];
  return { command, args: ['lsp', ...extra] };
}

module.exports = { INSTALL, locate, notFound, resolveServer };
