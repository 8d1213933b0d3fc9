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

export function addTotals(t: Totals, f: FileReport): void {
  t.files++;
  t.findings += f.findings.length;
  for (const x of f.findings) {
    if (x.severity === 'error') t.errors++;
    else if (x.severity === 'warning') t.warnings++;
  }
  t.workloads += f.workloads.length;
  t.objects += f.objectCount ?? 0;
  if (!f.findings.length) t.clean++;
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

/** A report is written in pieces, file by file: its size never has to fit in memory at once. */
export type Write = (chunk: string) => void;

/** Items of a JSON array nested `depth` levels deep, written as JSON.stringify(…, null, 2) would lay them out. */
export function writeJsonArray(write: Write, items: Iterable<unknown>, depth: number): void {
  const pad = '  '.repeat(depth + 1);
  let first = true;
  for (const item of items) {
    write((first ? '[\n' : ',\n') + pad + JSON.stringify(item, null, 2).replace(/\n/g, '\n' + pad));
    first = false;
  }
  write(first ? '[]' : '\n' + '  '.repeat(depth) + ']');
}

function loc1(index: LineIndex, start: number, end: number): Loc1 {
  const s = index.position(start);
  const e = index.position(end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}

function reportedFinding(x: Finding, index: LineIndex): ReportedFinding {
  const { fixes, ...rest } = x;
  return { ...rest, loc: loc1(index, x.range.start, x.range.end), fixable: Boolean(fixes?.some((fx) => fx.isPreferred)) };
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
