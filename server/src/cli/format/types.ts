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

export interface ReportInput {
  files: FileReport[];
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
