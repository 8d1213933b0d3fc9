import type { ReportInput } from './types';
import { COST_HEADER, COST_INTRO, costCoverage, costProblems, costRow, costTotalRow, summaryLine, workloadsOf } from './report';

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const SEVERITY_COLOR: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const DIM = '\x1b[2m';
const paint = (s: string, code: string | undefined, on: boolean | undefined): string => (on && code ? `${code}${s}\x1b[0m` : s);

/** Compiler-style lines, a summary line, then a cost table per workload. */
export function formatText(input: ReportInput): string {
  const out: string[] = [];
  for (const f of input.files) {
    for (const x of f.findings) {
      const l = x.loc;
      out.push(`${f.file}:${l.line}:${l.column}  ${paint(x.severity, SEVERITY_COLOR[x.severity], input.color)}${' '.repeat(Math.max(0, 7 - x.severity.length))}  ${x.message}  ${paint(`[${x.rule}]`, DIM, input.color)}`);
    }
  }
  // The problems themselves are on stderr (run.ts), so stdout stays parseable.
  const io = input.ioErrors.length ? `; ${input.ioErrors.length} I/O or config problem${input.ioErrors.length === 1 ? '' : 's'} (on stderr)` : '';
  out.push(summaryLine(input) + io);
  const workloads = workloadsOf(input);
  if (input.cost && workloads.length) {
    out.push('', COST_INTRO);
    out.push(table([COST_HEADER, ...workloads.map(({ f, w }) => costRow(`${f.file}:${w.line} ${w.object.kind}/${w.object.name ?? '?'}`, w)), costTotalRow(workloads.map(({ w }) => w))]));
    out.push(costCoverage(input));
    const problems = costProblems(input);
    if (problems.length) out.push('', 'Missing for a cost estimate:', ...problems.map((p) => `  ${p}`));
  }
  return out.join('\n') + '\n';
}
