/** Pieces shared by the human-readable formats (text, markdown): counts, the summary line, cost rows. */
import type { FileReport, ReportedWorkload, ReportInput } from './types';

export const money = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined ? '—' : `$${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function counts(input: ReportInput): { errors: number; warnings: number; infos: number; total: number } {
  const t = input.totals;
  return { errors: t.errors, warnings: t.warnings, infos: t.findings - t.errors - t.warnings, total: t.findings };
}

export function* workloadsOf(input: ReportInput): Generator<{ f: FileReport; w: ReportedWorkload }> {
  for (const f of input.files) for (const w of f.workloads) yield { f, w };
}

/** "✖ 8 problems (5 errors, 3 warnings, 0 info) in 4 files, 4 model-serving workloads" (or "✓ no problems ..."). */
export function summaryLine(input: ReportInput): string {
  const c = counts(input);
  const problems = c.total === 0 ? '✓ no problems' : `✖ ${plural(c.total, 'problem')} (${plural(c.errors, 'error')}, ${plural(c.warnings, 'warning')}, ${c.infos} info)`;
  const { workloads, objects, files } = input.totals;
  // No silent pass: say when nothing in the input was a workload servelint analyses.
  const none = workloads > 0 || files === 0 ? '' : objects === 0 ? ' (no Kubernetes objects found)' : ` (none of the ${plural(objects, 'Kubernetes object')} is a workload servelint analyses)`;
  return `${problems} in ${plural(files, 'file')}, ${plural(workloads, 'model-serving workload')}${none}`;
}

export const COST_HEADER = ['workload', 'GPU', 'GPUs/replica', 'replicas', '$/hr', '$/month', 'tokens/s', '$/1M tokens'];
export const COST_INTRO = 'Cost per workload (estimates; see docs/cost-model.md for the assumptions and how to override them):';

/** One cost-table row; `name` is the workload cell (plain text or markdown). */
export function costRow(name: string, w: ReportedWorkload): string[] {
  const c = w.cost;
  if (!c) return [name, '—', w.gpusPerPod === null ? '—' : String(w.gpusPerPod), String(w.replicas ?? 1), '—', '—', '—', '—'];
  const replicas = c.replicasMax !== undefined && c.replicasMax !== c.replicas ? `${c.replicas}–${c.replicasMax}` : String(c.replicas);
  const tps = c.tokensPerSecond === null || c.tokensPerSecond <= 0 ? '—' : `${Math.round(c.tokensPerSecond).toLocaleString('en-US')} (${c.tokensPerSecondSource === 'measured' ? 'measured' : `est.${c.tokensPerSecondRegime ? `: ${c.tokensPerSecondRegime}` : ''}`})`;
  return [
    name,
    c.gpu.id ?? '?',
    String(c.gpusPerReplica),
    replicas,
    money(c.usdPerHour),
    money(c.usdPerMonth, 0),
    tps,
    c.usdPerMillionTokens !== null ? money(c.usdPerMillionTokens)
      : c.whatIf?.length ? `what-if: ${c.whatIf.map((w) => `${w.gpu} ${money(w.usdPerMillionTokens)}`).join(', ')}` : '—',
  ];
}

/** The cost table's last row: $/hr and $/month summed over the workloads that have them (and how many do). */
export function costTotalRow(ws: readonly ReportedWorkload[]): string[] {
  const priced = ws.filter((w) => w.cost?.usdPerHour !== null && w.cost?.usdPerHour !== undefined);
  const sum = (f: (w: ReportedWorkload) => number): number => priced.reduce((n, w) => n + f(w), 0);
  const label = priced.length === ws.length ? `total (${plural(ws.length, 'workload')})` : `total (${priced.length} of ${ws.length} workloads priced)`;
  return [label, '', '', '', money(sum((w) => w.cost!.usdPerHour!)), money(sum((w) => w.cost!.usdPerMonth ?? 0), 0), '', ''];
}

/** `Cost figures: 16 of 50 workloads with $/1M tokens, 11 with a what-if only (no GPU named), 23 with none (why below).` */
export function costCoverage(ws: readonly ReportedWorkload[]): string {
  const perMillion = ws.filter((w) => w.cost?.usdPerMillionTokens !== null && w.cost?.usdPerMillionTokens !== undefined).length;
  const whatIf = ws.filter((w) => (w.cost?.usdPerMillionTokens === null || w.cost?.usdPerMillionTokens === undefined) && (w.cost?.whatIf?.length ?? 0) > 0).length;
  const none = ws.length - perMillion - whatIf;
  return `Cost figures: ${perMillion} of ${ws.length} workloads with $/1M tokens, ${whatIf} with a what-if only (no GPU named), ${none} with none` +
    (none > 0 ? ' (why below).' : '.');
}

export function costProblems(workloads: readonly { f: FileReport; w: ReportedWorkload }[]): string[] {
  return workloads.flatMap(({ f, w }) => (w.cost?.problems ?? []).map((p) => `${f.file}:${w.line} ${w.object.name ?? ''}: ${p}`));
}
