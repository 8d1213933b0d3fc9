/**
 * The cost view as Markdown, for people who would rather read it (or copy it): a read-only document of the custom
 * scheme `servelint-cost` whose text the language server computes (servelint/costWhatIf, the panel's what-ifs
 * included), opened rendered with the built-in Markdown preview. Never an untitled, dirty editor.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { COST_WHAT_IF_REQUEST, type CostOverrides, type CostWhatIfParams, type CostWhatIfResult } from '../../../server/src/lsp/protocol';

export const COST_MARKDOWN_SCHEME = 'servelint-cost';

interface Query {
  uri: string;
  index?: number;
  position?: { line: number; character: number };
  overrides?: CostOverrides;
}

/** `servelint-cost:/<file> cost.md?<json>`: the name is the tab title, the query says what to compute. */
export function costMarkdownUri(q: Query): vscode.Uri {
  const file = decodeURIComponent(q.uri.split('/').pop() ?? 'manifest').replace(/[\\/:*?"<>|#?]/g, ' ');
  return vscode.Uri.from({ scheme: COST_MARKDOWN_SCHEME, path: `/${file} cost.md`, query: JSON.stringify(q) });
}

export class CostMarkdownProvider implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly open = new Set<string>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly client: () => LanguageClient | undefined) {
    // Follow the manifest: its diagnostics change after every lint.
    this.subscription = vscode.languages.onDidChangeDiagnostics((e) => {
      for (const key of this.open) {
        const target = (JSON.parse(vscode.Uri.parse(key).query) as Query).uri;
        if (e.uris.some((u) => u.toString() === target)) this.changed.fire(vscode.Uri.parse(key));
      }
    });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    let q: Query;
    try {
      q = JSON.parse(uri.query) as Query;
    } catch {
      return '# servelint cost\n\nThis link does not name a manifest.\n';
    }
    this.open.add(uri.toString());
    const client = this.client();
    if (!client?.isRunning()) return '# servelint cost\n\nThe servelint language server is not running.\n';
    const params: CostWhatIfParams = { ...q, compareGpus: false };
    const res = await client.sendRequest<CostWhatIfResult | null>(COST_WHAT_IF_REQUEST, params);
    return res?.markdown ?? '# servelint cost\n\nNo model-server workload with a cost report in this document (is it open?).\n';
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
