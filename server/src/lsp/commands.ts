/** workspace/executeCommand and servelint's custom requests (cost breakdown, document cost). */
import { MessageType, type Connection, type ExecuteCommandParams } from 'vscode-languageserver/node';
import { guard, type ServerContext } from './context';
import { fixAllEdit, workspaceEdit } from './codeActions';
import { isModelServer } from './codeLens';
import { breakdownMarkdown, workloadName } from './format';
import {
  COMMANDS,
  COST_BREAKDOWN_REQUEST,
  DOCUMENT_COST_REQUEST,
  type CostBreakdownParams,
  type CostBreakdownResult,
  type DocumentCostParams,
  type DocumentCostResult,
} from './protocol';

export const SERVER_COMMANDS = [COMMANDS.showCostBreakdown, COMMANDS.openRuleDocs, COMMANDS.applyAllFixes];

/** One workload's breakdown; a negative (or missing) index means every model-server workload of the document. */
async function costBreakdown(ctx: ServerContext, p: CostBreakdownParams): Promise<CostBreakdownResult | null> {
  if (!p || typeof p.uri !== 'string') return null;
  const e = await ctx.lints.lint(p.uri);
  if (!e) return null;
  const index = typeof p.index === 'number' ? p.index : -1;
  if (index >= 0) {
    const w = e.result.workloads[index];
    return w ? { title: workloadName(w), markdown: breakdownMarkdown(w) } : null;
  }
  const servers = e.result.workloads.filter(isModelServer);
  if (!servers.length) return null;
  if (servers.length === 1) return { title: workloadName(servers[0]!), markdown: breakdownMarkdown(servers[0]!) };
  const file = decodeURIComponent(p.uri.split('/').pop() ?? p.uri);
  return { title: file, markdown: servers.map(breakdownMarkdown).join('\n---\n\n') };
}

async function documentCost(ctx: ServerContext, p: DocumentCostParams): Promise<DocumentCostResult | null> {
  if (!p || typeof p.uri !== 'string') return null;
  const e = await ctx.lints.lint(p.uri);
  if (!e) return null;
  const servers = e.result.workloads.filter(isModelServer);
  const costed = servers.filter((w) => typeof w.cost?.usdPerHour === 'number');
  const usdPerHour = costed.length ? costed.reduce((s, w) => s + (w.cost?.usdPerHour ?? 0), 0) : null;
  const out: DocumentCostResult = { workloads: servers.length, costed: costed.length, usdPerHour };
  // Fleet $/1M tokens = total $/hr ÷ total tokens/hr, where each workload's tokens/hr = its $/hr ÷ its $/token.
  if (usdPerHour !== null && costed.every((w) => (w.cost?.usdPerMillionTokens ?? 0) > 0)) {
    const millionTokensPerHour = costed.reduce((s, w) => s + (w.cost!.usdPerHour as number) / (w.cost!.usdPerMillionTokens as number), 0);
    if (millionTokensPerHour > 0) out.usdPerMillionTokens = usdPerHour / millionTokensPerHour;
  }
  return out;
}

async function execute(ctx: ServerContext, params: ExecuteCommandParams): Promise<unknown> {
  const args = params.arguments ?? [];
  switch (params.command) {
    case COMMANDS.showCostBreakdown: {
      // Clients without their own implementation (Neovim, ...) get the breakdown as a message and as the result.
      const r = await costBreakdown(ctx, { uri: String(args[0]), index: typeof args[1] === 'number' ? args[1] : -1 });
      if (r) ctx.connection.sendNotification('window/showMessage', { type: MessageType.Info, message: r.markdown });
      return r;
    }
    case COMMANDS.openRuleDocs: {
      const url = String(args[0] ?? '');
      if (!/^https?:\/\//.test(url)) return null;
      if (ctx.features.showDocument) return ctx.connection.window.showDocument({ uri: url, external: true });
      ctx.connection.window.showInformationMessage(`servelint docs: ${url}`);
      return null;
    }
    case COMMANDS.applyAllFixes: {
      const e = await ctx.lints.lint(String(args[0]));
      const all = e ? fixAllEdit(ctx, e) : undefined;
      if (!e || !all) return { applied: 0 };
      const res = await ctx.connection.workspace.applyEdit({ label: 'servelint: apply all fixes', edit: workspaceEdit(ctx, e, [all.edit]) });
      return { applied: res.applied ? all.applied : 0 };
    }
    default:
      return null;
  }
}

export function registerCommands(ctx: ServerContext, connection: Connection): void {
  connection.onExecuteCommand((params) => guard(ctx, `command ${params.command}`, null, () => execute(ctx, params)));
  connection.onRequest(COST_BREAKDOWN_REQUEST, (p: CostBreakdownParams) => guard(ctx, COST_BREAKDOWN_REQUEST, null, () => costBreakdown(ctx, p)));
  connection.onRequest(DOCUMENT_COST_REQUEST, (p: DocumentCostParams) => guard(ctx, DOCUMENT_COST_REQUEST, null, () => documentCost(ctx, p)));
}
