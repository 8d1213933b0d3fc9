/**
 * servelint for VS Code: starts the bundled language server (dist/server.js) over IPC, shows the cost view
 * (costView/: a webview with what-ifs, and its Markdown twin), and keeps the active document's fleet $/hr in the status bar.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  COMMANDS,
  DOCUMENT_COST_REQUEST,
  type DocumentCostParams,
  type DocumentCostResult,
  type InitializationOptions,
} from '../../server/src/lsp/protocol';
import { CostStatusBar } from './statusBar';
import { registerCostView } from './costView';
import { registerOnboarding } from './onboarding/commands';
import { registerWalkthrough } from './onboarding/walkthrough';

let client: LanguageClient | undefined;

/** For tests: the running client. */
export function languageClient(): LanguageClient | undefined {
  return client;
}

function createClient(context: vscode.ExtensionContext, output: vscode.LogOutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  // Read at every (re)start: in restricted mode the server ignores the workspace's docsBaseUrl (see package.json
  // capabilities.untrustedWorkspaces); granting trust restarts the server (activate).
  const initializationOptions = (): InitializationOptions => ({
    clientCommands: [COMMANDS.showCostBreakdown, COMMANDS.openRuleDocs],
    workspaceTrusted: vscode.workspace.isTrusted,
  });
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'yaml' },
      { scheme: 'untitled', language: 'yaml' },
    ],
    outputChannel: output,
    initializationOptions,
  };
  return new LanguageClient('servelint', 'servelint', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('servelint', { log: true });
  client = createClient(context, output);
  const status = new CostStatusBar(async (uri) => {
    if (!client?.isRunning()) return null;
    const params: DocumentCostParams = { uri };
    return client.sendRequest<DocumentCostResult | null>(DOCUMENT_COST_REQUEST, params);
  });
  registerCostView(context, () => client, output);
  context.subscriptions.push(
    output,
    status,
    vscode.commands.registerCommand(COMMANDS.openRuleDocs, (url?: unknown) => {
      if (typeof url === 'string' && /^https?:\/\//.test(url)) return vscode.env.openExternal(vscode.Uri.parse(url));
      return undefined;
    }),
    vscode.commands.registerCommand('servelint.restartServer', async () => {
      await client?.restart();
      status.refresh();
    }),
    vscode.workspace.onDidGrantWorkspaceTrust(async () => {
      if (client?.isRunning()) await client.restart();
      status.refresh();
    }),
    { dispose: () => void client?.stop() },
    ...registerOnboarding(context, output),
    ...registerWalkthrough(context),
  );
  try {
    await client.start();
  } catch (e) {
    output.error(`servelint: the language server failed to start: ${String(e)}`);
    void vscode.window.showErrorMessage('servelint: the language server failed to start (see Output → servelint).');
  }
  status.refresh();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
