import type { CostReport, Finding, LineIndex, LintResult, RolloutReport, RuleMeta, WorkloadReport } from '../../engine';

/** 1-based line and column of a range's start and end. */
export interface Loc1 {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A finding as the formatters read it: plain data (no fixes, no lazy getters), positions resolved. */
export interface ReportedFinding extends Omit<Finding, 'fixes'> {
  loc: Loc1;
  /** A preferred fix exists. */
  fixable: boolean;
}

/** A workload as the formatters read it: cost and rollout computed (when the format shows them), no hovers. */
export interface ReportedWorkload {
  object: WorkloadReport['object'];
  /** 1-based line of its `kind:`. */
  line: number;
  modelServer: WorkloadReport['modelServer'];
  model: string | null;
  replicas: number | null;
  gpusPerPod: number | null;
  cost?: CostReport;
  rollout?: RolloutReport;
}

/**
 * One linted file as the formatters read it: plain, structured-cloneable data (a worker thread sends it as is), so
 * the file's text and YAML trees can be dropped as soon as it is linted.
 */
export interface FileReport {
  file: string;
  findings: ReportedFinding[];
  /** Findings a `# servelint-disable` comment suppressed (SARIF reports them). */
  suppressed?: ReportedFinding[];
  workloads: ReportedWorkload[];
  objectCount?: number;
  /** Set by prepareReport (prepare.ts): what the totals count of this file, read before its findings are dropped. */
  counts?: FileCounts;
  /**
   * Set by prepareReport: the format's text of this file, rendered where the file was linted (a worker thread).
   * Read back from the report store as UTF-8 bytes, which the format writes out as they are.
   */
  parts?: (string | Uint8Array)[];
}

/** What one file adds to the totals. */
export interface FileCounts {
  findings: number;
  errors: number;
  warnings: number;
  workloads: number;
  objects: number;
}

/** The counts of one file's report. */
export function fileCounts(f: FileReport): FileCounts {
  if (f.counts) return f.counts;
  const c: FileCounts = { findings: f.findings.length, errors: 0, warnings: 0, workloads: f.workloads.length, objects: f.objectCount ?? 0 };
  for (const x of f.findings) {
    if (x.severity === 'error') c.errors++;
    else if (x.severity === 'warning') c.warnings++;
  }
  return c;
}

/** What of a workload the chosen format shows (the rest is never computed). */
export interface ReportNeeds {
  cost: boolean;
  rollout: boolean;
}

/** Counts over every file, kept while the files are linted (the summary line and report headers need them first). */
export interface Totals {
  files: number;
  findings: number;
  errors: number;
  warnings: number;
  workloads: number;
  objects: number;
  /** Files without findings (JUnit gives each a passing testcase). */
  clean: number;
}

export const emptyTotals = (): Totals => ({ files: 0, findings: 0, errors: 0, warnings: 0, workloads: 0, objects: 0, clean: 0 });

export function addTotals(t: Totals, c: FileCounts): void {
  t.files++;
  t.findings += c.findings;
  t.errors += c.errors;
  t.warnings += c.warnings;
  t.workloads += c.workloads;
  t.objects += c.objects;
  if (!c.findings) t.clean++;
}

export interface ReportInput {
  /** The files in output order; iterable more than once (a report may read them in several passes). */
  files: Iterable<FileReport>;
  totals: Totals;
  rules: RuleMeta[];
  version: string;
  /** Include the cost table (text output). */
  cost: boolean;
  ioErrors: string[];
  /** ANSI colours in text output. */
  color?: boolean;
  /** The folder paths are relative to (SARIF looks up the repository root from it); default process.cwd(). */
  cwd?: string;
  /** The exit code the CLI returns for this report (SARIF invocations). */
  exitCode?: number;
}

/**
 * A report is written in pieces, file by file: its size never has to fit in memory at once. A piece is text, or a
 * file's part as UTF-8 bytes (valid only during the call: it may be a view of a buffer that is read into again).
 */
export type Write = (chunk: string | Uint8Array) => void;

/**
 * Items of a JSON array nested `depth` levels deep, laid out as JSON.stringify(…, null, 2) lays them out in that
 * array and joined with ',\n' (no brackets; '' for none). One stringify of the items wrapped in `depth` more arrays,
 * whose brackets are then cut off: the indentation comes out right without rewriting every line.
 */
export function jsonArrayItems(items: readonly unknown[], depth: number): string {
  if (!items.length) return '';
  let wrapped: unknown = items;
  for (let d = 0; d < depth; d++) wrapped = [wrapped];
  const s = JSON.stringify(wrapped, null, 2);
  // Each bracket level d = 0 … depth opens with 2 + 2d characters before the items and closes with as many after them.
  let cut = 0;
  for (let d = 0; d <= depth; d++) cut += 2 + 2 * d;
  return s.slice(cut, s.length - cut);
}

/**
 * A JSON array nested `depth` levels deep from runs of items already laid out by jsonArrayItems (joined with
 * ',\n'; empty runs are skipped), written as JSON.stringify(…, null, 2) would lay out the whole array.
 */
export function writeJsonRuns(write: Write, runs: Iterable<string | Uint8Array>, depth: number): void {
  let first = true;
  for (const run of runs) {
    if (!run.length) continue;
    write(first ? '[\n' : ',\n');
    write(run);
    first = false;
  }
  write(first ? '[]' : '\n' + '  '.repeat(depth) + ']');
}

/** Items of a JSON array nested `depth` levels deep, written as JSON.stringify(…, null, 2) would lay them out. */
export function writeJsonArray(write: Write, items: Iterable<unknown>, depth: number): void {
  writeJsonRuns(write, (function* () {
    for (const item of items) yield jsonArrayItems([item], depth);
  })(), depth);
}

function loc1(index: LineIndex, start: number, end: number): Loc1 {
  const s = index.position(start);
  const e = index.position(end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

/** Finding's fields but its fixes (written out: a rest pattern and a copy cost more per finding). */
function reportedFinding(x: Finding, index: LineIndex): ReportedFinding {
  return {
    rule: x.rule, severity: x.severity, message: x.message, range: x.range, object: x.object, docsUrl: x.docsUrl,
    loc: loc1(index, x.range.start, x.range.end), fixable: Boolean(x.fixes?.some((fx) => fx.isPreferred)),
  };
}

/** The plain report of one file's lint result (`index` over the text that was linted). */
export function fileReport(file: string, index: LineIndex, result: LintResult, needs: ReportNeeds): FileReport {
  const report: FileReport = {
    file,
    findings: result.findings.map((x) => reportedFinding(x, index)),
    workloads: result.workloads.map((w) => ({
      object: w.object,
      line: index.position(w.kindRange.start).line + 1,
      modelServer: w.modelServer,
      model: w.model,
      replicas: w.replicas,
      gpusPerPod: w.gpusPerPod,
      cost: needs.cost ? w.cost : undefined,
      rollout: needs.rollout ? w.rollout : undefined,
    })),
    objectCount: result.objectCount,
  };
  if (result.suppressed) report.suppressed = result.suppressed.map((x) => reportedFinding(x, index));
  return report;
}
