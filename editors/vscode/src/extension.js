// The VS Code extension's entry: starts `hybridc lsp` over stdio with
// vscode-languageclient for .hybrid documents, restarts it when its settings
// change or on the "Restart the language server" command, says how to
// install hybridc when the binary is missing, and folds on braces.
'use strict';

const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { resolveServer } = require('./server');
const { braceFolds } = require('./folding');

let client;

async function start() {
  const config = vscode.workspace.getConfiguration('hybridc');
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  const server = resolveServer(config.get('server.path'), config.get('server.extraArgs'), folder ? { cwd: folder } : {});
  if (server.error) {
    const choice = await vscode.window.showErrorMessage(server.error, 'Open Settings');
    if (choice) await vscode.commands.executeCommand('workbench.action.openSettings', 'hybridc.server');
    return;
  }
  const executable = { command: server.command, args: server.args, transport: TransportKind.stdio };
  client = new LanguageClient(
    'hybridc',
    'hybridc language server',
    { run: executable, debug: executable },
    {
      documentSelector: [
        { scheme: 'file', language: 'hybrid' },
        { scheme: 'untitled', language: 'hybrid' },
      ],
    },
  );
  try {
    await client.start();
  } catch (e) {
    client = undefined;
    vscode.window.showErrorMessage(`hybridc: \`${server.command} lsp\` failed to start: ${e.message ?? e}`);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) await running.stop();
}

async function restart() {
  await stop();
  await start();
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand('hybridc.restartServer', restart),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('hybridc.server')) restart();
    }),
    vscode.languages.registerFoldingRangeProvider(
      { language: 'hybrid' },
      {
        provideFoldingRanges(document) {
          return braceFolds(document.getText()).map((f) => new vscode.FoldingRange(f.start, f.end));
        },
      },
    ),
  );
  await start();
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
