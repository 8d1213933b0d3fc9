import type { LineIndex, LintResult, RuleMeta } from '../../engine';

export interface FileReport {
  file: string;
  text: string;
  result: LintResult;
  index: LineIndex;
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

export function loc1(f: FileReport, start: number, end: number): { line: number; column: number; endLine: number; endColumn: number } {
  const s = f.index.position(start);
  const e = f.index.position(end);
  return { line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1 };
}
