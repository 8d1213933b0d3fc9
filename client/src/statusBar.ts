/** Status-bar item with the active YAML document's fleet cost ($/hr and $/1M tokens), asked from the server. */
import * as vscode from 'vscode';
import type { DocumentCostResult } from '../../server/src/lsp/protocol';
import { COMMANDS } from '../../server/src/lsp/protocol';

const money = (x: number, digits = 2): string => `$${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

export class CostStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('servelint.cost', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  constructor(private readonly ask: (uri: string) => Promise<DocumentCostResult | null>) {
    this.item.name = 'servelint cost';
    this.item.command = COMMANDS.showCostBreakdown;
    this.subscriptions.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.refresh();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('servelint') && this.refresh(800)),
    );
  }

  /** Debounced: editors fire several events in a row. */
  refresh(delay = 250): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.update(), delay);
  }

  private async update(): Promise<void> {
    const seq = ++this.seq;
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || doc.languageId !== 'yaml') return this.item.hide();
    let cost: DocumentCostResult | null = null;
    try {
      cost = await this.ask(doc.uri.toString());
    } catch {
      cost = null;
    }
    if (seq !== this.seq) return; // a newer update is running
    if (!cost || cost.workloads === 0) return this.item.hide();
    const perHour = cost.usdPerHour !== null ? `${money(cost.usdPerHour)}/hr` : '$?/hr';
    this.item.text = `$(pulse) ${perHour}`;
    const lines = [
      `servelint: ${cost.workloads} model-server workload(s) in this file, ${cost.costed} with a cost figure`,
      cost.usdPerHour !== null ? `Fleet: ${money(cost.usdPerHour)}/hr · ${money(cost.usdPerHour * 730, 0)}/mo` : 'Cost unknown: see the CodeLens for what to add',
      cost.usdPerMillionTokens !== undefined ? `≈ ${money(cost.usdPerMillionTokens)} / 1M output tokens` : undefined,
      'Click for the breakdown',
    ].filter(Boolean);
    this.item.tooltip = lines.join('\n');
    this.item.show();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.item.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
