/**
 * The cost view: a webview panel with one workload's $/1M tokens, $/hr, $/month and tokens/s, every assumption
 * with its source and a control to change it. Changes are what-ifs recomputed by the language server
 * (servelint/costWhatIf); "Write as annotation" / "Write to .servelint.yaml" apply the server's WorkspaceEdit
 * (servelint/costWhatIfEdit), undoable like any edit. The page (media/costView) has a strict CSP: its own script
 * with a nonce, its own stylesheet, no remote resources.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  COMMANDS,
  COST_WHAT_IF_EDIT_REQUEST,
  COST_WHAT_IF_REQUEST,
  type CostOverrides,
  type CostWhatIfEditParams,
  type CostWhatIfEditResult,
  type CostWhatIfParams,
  type CostWhatIfResult,
} from '../../../server/src/lsp/protocol';

export interface CostTarget {
  uri: string;
  index?: number;
  position?: { line: number; character: number };
}

/** Messages from the page. */
type FromPage =
  | { type: 'ready' }
  | { type: 'whatIf'; overrides: CostOverrides }
  | { type: 'workload'; index: number }
  | { type: 'write'; target: 'annotation' | 'config'; overrides: CostOverrides }
  | { type: 'markdown'; overrides: CostOverrides };

function nonce(): string {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 32; i++) out += chars.charAt(Math.floor(Math.random() * chars.length));
  return out;
}

export class CostViewPanel implements vscode.Disposable {
  private static current: CostViewPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private overrides: CostOverrides = {};
  private seq = 0;
  private timer: NodeJS.Timeout | undefined;
  private index: number | undefined;

  /** Shows (or retargets) the one cost view. */
  static show(extensionUri: vscode.Uri, client: () => LanguageClient | undefined, target: CostTarget): CostViewPanel {
    const existing = CostViewPanel.current;
    if (existing) {
      existing.retarget(target);
      existing.panel.reveal(vscode.ViewColumn.Beside, false);
      return existing;
    }
    const media = vscode.Uri.joinPath(extensionUri, 'media', 'costView');
    const panel = vscode.window.createWebviewPanel('servelint.costView', 'servelint cost', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, {
      enableScripts: true,
      localResourceRoots: [media],
    });
    CostViewPanel.current = new CostViewPanel(panel, media, client, target);
    return CostViewPanel.current;
  }

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly media: vscode.Uri,
    private readonly client: () => LanguageClient | undefined,
    private target: CostTarget,
  ) {
    this.index = target.index;
    panel.webview.html = this.html();
    this.subscriptions.push(
      panel.onDidDispose(() => this.dispose()),
      panel.webview.onDidReceiveMessage((m: FromPage) => void this.onMessage(m).catch((e) => this.post({ type: 'error', message: String(e) }))),
      // The manifest changed (typing, undo, "write as annotation"): recompute with the same what-ifs.
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document.uri.toString() === this.target.uri && e.contentChanges.length) this.refresh(300);
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => u.toString() === this.target.uri)) this.refresh(300);
      }),
    );
  }

  private retarget(target: CostTarget): void {
    if (target.uri !== this.target.uri || target.index !== this.index) this.overrides = {};
    this.target = target;
    this.index = target.index;
    this.refresh(0);
  }

  private post(message: unknown): void {
    void this.panel.webview.postMessage(message);
  }

  private async onMessage(m: FromPage): Promise<void> {
    switch (m.type) {
      case 'ready':
        return this.refresh(0);
      case 'whatIf':
        this.overrides = m.overrides ?? {};
        return this.refresh(0);
      case 'workload':
        this.index = m.index;
        this.overrides = {};
        return this.refresh(0);
      case 'write':
        return this.write(m.target, m.overrides ?? this.overrides);
      case 'markdown':
        await vscode.commands.executeCommand(COMMANDS.showCostMarkdown, this.target.uri, this.index, m.overrides ?? this.overrides);
        return;
    }
  }

  /** Debounced: editors fire several change events in a row. */
  private refresh(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update(): Promise<void> {
    const client = this.client();
    const seq = ++this.seq;
    if (!client?.isRunning()) return this.post({ type: 'error', message: 'The servelint language server is not running.' });
    const params: CostWhatIfParams = { uri: this.target.uri, index: this.index, position: this.index === undefined ? this.target.position : undefined, overrides: this.overrides };
    this.post({ type: 'busy' });
    const data = await client.sendRequest<CostWhatIfResult | null>(COST_WHAT_IF_REQUEST, params);
    if (seq !== this.seq) return; // a newer request is on its way
    if (!data) return this.post({ type: 'error', message: 'No model-server workload with a cost report in this document (is it open?).' });
    this.index = data.index;
    this.panel.title = `servelint cost: ${data.title}`;
    this.post({ type: 'data', data });
  }

  private async write(target: 'annotation' | 'config', overrides: CostOverrides): Promise<void> {
    const client = this.client();
    if (!client || this.index === undefined) return;
    const params: CostWhatIfEditParams = { uri: this.target.uri, index: this.index, overrides, target };
    const res = await client.sendRequest<CostWhatIfEditResult>(COST_WHAT_IF_EDIT_REQUEST, params);
    if (!res.edit) {
      void vscode.window.showWarningMessage(`servelint: nothing written: ${res.summary.join('; ')}.`);
      return;
    }
    const edit = await client.protocol2CodeConverter.asWorkspaceEdit(res.edit as Parameters<typeof client.protocol2CodeConverter.asWorkspaceEdit>[0]);
    const where = target === 'annotation' ? 'the manifest' : '.servelint.yaml';
    if (!edit || !(await vscode.workspace.applyEdit(edit, { isRefactoring: false }))) {
      void vscode.window.showErrorMessage(`servelint: could not write to ${where} (did it change meanwhile?).`);
      return;
    }
    if (target === 'config') {
      // The server reads .servelint.yaml from disk: save it so the setting applies (undo stays available in its editor).
      for (const uri of edit.entries().map(([u]) => u)) {
        const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
        if (doc?.isDirty) await doc.save();
      }
    }
    // Written: the document now says what the what-ifs said.
    this.overrides = {};
    this.post({ type: 'written', target, summary: res.summary });
    this.refresh(0);
    void vscode.window.showInformationMessage(`servelint: wrote ${res.summary.join(', ')} to ${where}.`);
  }

  private html(): string {
    const webview = this.panel.webview;
    const n = nonce();
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'main.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'main.css'));
    const codicons = webview.asWebviewUri(vscode.Uri.joinPath(this.media, 'codicons', 'codicon.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource}; font-src ${webview.cspSource}; script-src 'nonce-${n}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${codicons}">
<link rel="stylesheet" href="${style}">
<title>servelint cost</title>
</head>
<body>
<main id="app" aria-busy="true"><p>Computing the cost…</p></main>
<script nonce="${n}" src="${script}"></script>
</body>
</html>`;
  }

  private disposed = false;

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (CostViewPanel.current === this) CostViewPanel.current = undefined;
    if (this.timer) clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
  }
}
