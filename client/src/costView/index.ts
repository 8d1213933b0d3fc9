/** Registers the cost view: the webview panel (servelint.showCostBreakdown) and its Markdown twin (servelint.showCostMarkdown). */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COMMANDS, type CostOverrides } from '../../../server/src/lsp/protocol';
import { COST_MARKDOWN_SCHEME, CostMarkdownProvider, costMarkdownUri } from './markdown';
import { CostViewPanel, type CostTarget } from './panel';

/** The CodeLens passes (uri, index); the palette and the status bar pass nothing: the active editor's cursor. */
function targetOf(uriArg: unknown, indexArg: unknown): CostTarget | undefined {
  const editor = vscode.window.activeTextEditor;
  const uri = typeof uriArg === 'string' ? uriArg : editor?.document.uri.toString();
  if (!uri) return undefined;
  if (typeof indexArg === 'number' && indexArg >= 0) return { uri, index: indexArg };
  const active = editor && editor.document.uri.toString() === uri ? editor.selection.active : undefined;
  return { uri, position: active ? { line: active.line, character: active.character } : undefined };
}

export function registerCostView(context: vscode.ExtensionContext, client: () => LanguageClient | undefined, output: vscode.LogOutputChannel): void {
  const markdown = new CostMarkdownProvider(client);
  context.subscriptions.push(
    markdown,
    vscode.workspace.registerTextDocumentContentProvider(COST_MARKDOWN_SCHEME, markdown),
    vscode.commands.registerCommand(COMMANDS.showCostBreakdown, (uri?: unknown, index?: unknown) => {
      const target = targetOf(uri, index);
      if (!target) return void vscode.window.showInformationMessage('servelint: open a Kubernetes manifest to see its cost.');
      context.subscriptions.push(CostViewPanel.show(context.extensionUri, client, target));
    }),
    vscode.commands.registerCommand(COMMANDS.showCostMarkdown, async (uri?: unknown, index?: unknown, overrides?: unknown) => {
      const target = targetOf(uri, index);
      if (!target) return;
      const md = costMarkdownUri({ ...target, overrides: overrides && typeof overrides === 'object' ? (overrides as CostOverrides) : undefined });
      try {
        await vscode.commands.executeCommand('markdown.showPreview', md);
      } catch (e) {
        output.error(`showCostMarkdown: ${String(e)}`);
        // No Markdown extension: the read-only source is still better than nothing.
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(md), { preview: true, viewColumn: vscode.ViewColumn.Beside });
      }
    }),
  );
}
