import type { FileReport, ReportInput, Write } from './types';
import { COST_HEADER, COST_INTRO, costCoverage, costProblems, costRow, costTotalRow, summaryLine, workloadsOf } from './report';

export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd()).join('\n');
}

const SEVERITY_COLOR: Record<string, string> = { error: '\x1b[31m', warning: '\x1b[33m', info: '\x1b[36m' };
const DIM = '\x1b[2m';
const paint = (s: string, code: string | undefined, on: boolean | undefined): string => (on && code ? `${code}${s}\x1b[0m` : s);

/** One file's compiler-style lines (prepare.ts renders them where the file was linted). */
export function textFileParts(f: FileReport, color: boolean | undefined): string[] {
  let lines = '';
  for (const x of f.findings) {
    const l = x.loc;
    lines += `${f.file}:${l.line}:${l.column}  ${paint(x.severity, SEVERITY_COLOR[x.severity], color)}${' '.repeat(Math.max(0, 7 - x.severity.length))}  ${x.message}  ${paint(`[${x.rule}]`, DIM, color)}\n`;
  }
  return [lines];
}

/** Compiler-style lines, a summary line, then a cost table per workload. */
export function formatText(input: ReportInput, write: Write): void {
  for (const f of input.files) {
    const lines = (f.parts ?? textFileParts(f, input.color))[0]!;
    if (lines.length) write(lines);
  }
  // The problems themselves are on stderr (run.ts), so stdout stays parseable.
  const io = input.ioErrors.length ? `; ${input.ioErrors.length} I/O or config problem${input.ioErrors.length === 1 ? '' : 's'} (on stderr)` : '';
  const out = [summaryLine(input) + io];
  if (input.cost && input.totals.workloads) {
    const workloads = [...workloadsOf(input)];
    const ws = workloads.map(({ w }) => w);
    out.push('', COST_INTRO);
    out.push(table([COST_HEADER, ...workloads.map(({ f, w }) => costRow(`${f.file}:${w.line} ${w.object.kind}/${w.object.name ?? '?'}`, w)), costTotalRow(ws)]));
    out.push(costCoverage(ws));
    const problems = costProblems(workloads);
    if (problems.length) out.push('', 'Missing for a cost estimate:', ...problems.map((p) => `  ${p}`));
  }
  write(out.join('\n') + '\n');
}
