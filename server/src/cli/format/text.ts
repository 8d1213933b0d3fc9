import type { WorkloadReport } from '../../engine';
import { loc1, type FileReport, type ReportInput } from './types';

const money = (n: number | null | undefined, digits = 2): string =>
  n === null || n === undefined ? '—' : `$${n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

function costRow(f: FileReport, w: WorkloadReport): string[] {
  const c = w.cost;
  const name = `${f.file}:${f.index.position(w.kindRange.start).line + 1} ${w.object.kind}/${w.object.name ?? '?'}`;
  if (!c) return [name, '—', w.gpusPerPod === null ? '—' : String(w.gpusPerPod), String(w.replicas ?? 1), '—', '—', '—', '—'];
  const replicas = c.replicasMax !== undefined && c.replicasMax !== c.replicas ? `${c.replicas}–${c.replicasMax}` : String(c.replicas);
  const tps = c.tokensPerSecond === null || c.tokensPerSecond <= 0 ? '—' : `${Math.round(c.tokensPerSecond).toLocaleString('en-US')} (${c.tokensPerSecondSource === 'measured' ? 'measured' : 'est.'})`;
  return [
    name,
    c.gpu.id ?? '?',
    String(c.gpusPerReplica),
    replicas,
    money(c.usdPerHour),
    money(c.usdPerMonth, 0),
    tps,
    c.usdPerMillionTokens === null ? '—' : money(c.usdPerMillionTokens),
  ];
}

const SEVERITY_COLOR: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const DIM = '\x1b[2m';
const paint = (s: string, code: string | undefined, on: boolean | undefined): string => (on && code ? `${code}${s}\x1b[0m` : s);

/** Compiler-style lines, a summary line, then a cost table per workload. */
export function formatText(input: ReportInput): string {
  const out: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const f of input.files) {
    for (const x of f.result.findings) {
      const l = loc1(f, x.range.start, x.range.end);
      out.push(`${f.file}:${l.line}:${l.column}  ${paint(x.severity, SEVERITY_COLOR[x.severity], input.color)}${' '.repeat(Math.max(0, 7 - x.severity.length))}  ${x.message}  ${paint(`[${x.rule}]`, DIM, input.color)}`);
      if (x.severity === 'error') errors++;
      else if (x.severity === 'warning') warnings++;
      else infos++;
    }
  }
  const total = errors + warnings + infos;
  const workloads = input.files.flatMap((f) => f.result.workloads.map((w) => ({ f, w })));
  out.push(
    `${total === 0 ? '✓ no problems' : `✖ ${total} problem${total === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ${infos} info)`}` +
      ` in ${input.files.length} file${input.files.length === 1 ? '' : 's'}, ${workloads.length} model-serving workload${workloads.length === 1 ? '' : 's'}` +
      // The problems themselves are on stderr (run.ts), so stdout stays parseable.
      (input.ioErrors.length ? `; ${input.ioErrors.length} I/O or config problem${input.ioErrors.length === 1 ? '' : 's'} (on stderr)` : ''),
  );
  if (input.cost && workloads.length) {
    out.push('', 'Cost per workload (estimates; see docs/cost-model.md for the assumptions and how to override them):');
    out.push(table([['workload', 'GPU', 'GPUs/replica', 'replicas', '$/hr', '$/month', 'tokens/s', '$/1M tokens'], ...workloads.map(({ f, w }) => costRow(f, w))]));
    const problems = workloads.flatMap(({ f, w }) => (w.cost?.problems ?? []).map((p) => `  ${f.file}:${f.index.position(w.kindRange.start).line + 1} ${w.object.name ?? ''}: ${p}`));
    if (problems.length) out.push('', 'Missing for a cost estimate:', ...problems);
  }
  return out.join('\n') + '\n';
}
