/** Test helpers: lint inline YAML and read findings as 1-based line/column. */
import { createLinter, LineIndex, applyEdits, type Finding, type LintResult, type ServelintConfig } from '../../../server/src';

/** Dedent a template literal by its literal text; interpolated values are inserted as-is (keep their own indentation). */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const HOLE = '\u0000';
  const raw = strings.join(HOLE).replace(/^\n/, '');
  const lines = raw.split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() && l.trim() !== HOLE).map((l) => /^ */.exec(l)![0].length));
  let i = 0;
  return lines
    .map((l) => l.slice(Math.min(indent, /^ */.exec(l)![0].length)))
    .join('\n')
    .replace(/\u0000/g, () => String(values[i++]));
}

export interface Located {
  rule: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
  message: string;
}

export function located(text: string, f: Finding): Located {
  const idx = new LineIndex(text);
  const s = idx.position(f.range.start);
  const e = idx.position(f.range.end);
  return {
    rule: f.rule,
    severity: f.severity,
    line: s.line + 1,
    column: s.character + 1,
    endLine: e.line + 1,
    endColumn: e.character + 1,
    text: text.slice(f.range.start, f.range.end),
    message: f.message,
  };
}

export function run(text: string, config?: ServelintConfig): LintResult {
  return createLinter().lint(text, { config });
}

export function findings(text: string, config?: ServelintConfig): Located[] {
  return run(text, config).findings.map((f) => located(text, f));
}

export function rulesOf(text: string, config?: ServelintConfig): string[] {
  return run(text, config).findings.map((f) => f.rule);
}

/** Apply the preferred fix of the first finding of `rule`; returns the new text. */
export function applyFix(text: string, rule: string, config?: ServelintConfig): string {
  const f = run(text, config).findings.find((x) => x.rule === rule);
  if (!f) throw new Error(`no ${rule} finding`);
  const fix = f.fixes?.find((x) => x.isPreferred) ?? f.fixes?.[0];
  if (!fix) throw new Error(`${rule} has no fix`);
  return applyEdits(text, fix.edits);
}
