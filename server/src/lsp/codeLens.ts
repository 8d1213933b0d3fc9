/**
 * CodeLens above each model-server workload's `kind:` line: cost, then rollout. Lenses are returned without
 * commands when the client resolves lazily (codeLens/resolve fills title + command), else fully resolved.
 */
import type { CodeLens, Command, Connection } from 'vscode-languageserver/node';
import type { WorkloadReport } from '../engine/api';
import { guard, type ServerContext } from './context';
import { toRange } from './convert';
import { costLensTitle, rolloutLensTitle } from './format';
import { COMMANDS } from './protocol';

export interface LensData {
  uri: string;
  version: number;
  index: number;
  lens: 'cost' | 'rollout';
}

export const isModelServer = (w: WorkloadReport): boolean => w.modelServer !== null && w.modelServer !== undefined;

function commandFor(w: WorkloadReport | undefined, d: LensData): Command {
  if (!w) return { title: 'servelint: document changed, re-run CodeLens', command: '' };
  const title = d.lens === 'cost' ? costLensTitle(w) : (rolloutLensTitle(w) ?? 'rollout: unknown');
  return { title, command: COMMANDS.showCostBreakdown, arguments: [d.uri, d.index] };
}

export function registerCodeLens(ctx: ServerContext, connection: Connection): void {
  connection.onCodeLens((params, token) =>
    guard(ctx, 'codeLens', [] as CodeLens[], async () => {
      const e = await ctx.lints.lint(params.textDocument.uri, token);
      if (!e) return [];
      const lenses: CodeLens[] = [];
      e.result.workloads.forEach((w, index) => {
        if (!isModelServer(w)) return;
        const range = toRange(e, w.kindRange);
        const kinds: LensData['lens'][] = w.rollout ? ['cost', 'rollout'] : ['cost'];
        for (const lens of kinds) {
          const data: LensData = { uri: e.uri, version: e.version, index, lens };
          lenses.push(ctx.features.lazyCodeLens ? { range, data } : { range, data, command: commandFor(w, data) });
        }
      });
      return lenses;
    }),
  );

  connection.onCodeLensResolve((lens, token) =>
    guard(ctx, 'codeLens/resolve', lens, async () => {
      const d = lens.data as LensData | undefined;
      if (!d || typeof d.uri !== 'string') return lens;
      const e = await ctx.lints.lint(d.uri, token);
      // A newer version may have moved workloads around; the index is still the best guess, and the client
      // asks again for lenses after every change anyway.
      const w = e?.result.workloads[d.index];
      return Object.assign({}, lens, { command: commandFor(w && isModelServer(w) ? w : undefined, d) });
    }),
  );
}
