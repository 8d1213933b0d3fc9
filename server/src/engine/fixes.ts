/** Applying fixes to text: one fix, or every preferred fix (re-linting between fixes so edits never collide). */
import type { LintOptions, LintResult } from './api';
import type { Finding, Fix, TextEdit } from './types';

/**
 * Apply non-overlapping edits. As in LSP, inserts at the same position appear in the order of the array.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.e.end - a.e.end || b.i - a.i);
  let out = text;
  for (const { e } of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

export function preferredFix(f: Finding): Fix | undefined {
  return f.fixes?.find((x) => x.isPreferred) ?? undefined;
}

/**
 * Apply all preferred fixes. After each fix the text is linted again, so later fixes see earlier edits; stops
 * when no finding has a preferred fix left or after `maxRounds`.
 */
export function applyAllFixes(
  text: string,
  lintFn: (text: string, options?: LintOptions) => LintResult,
  options: LintOptions = {},
  maxRounds = 50,
): { text: string; applied: { rule: string; title: string }[] } {
  let current = text;
  const applied: { rule: string; title: string }[] = [];
  const tried = new Set<string>();
  for (let round = 0; round < maxRounds; round++) {
    const result = lintFn(current, options);
    const next = result.findings.find((f) => preferredFix(f) && !tried.has(`${f.rule}@${f.range.start}:${current.length}`));
    if (!next) break;
    tried.add(`${next.rule}@${next.range.start}:${current.length}`);
    const fix = preferredFix(next) as Fix;
    current = applyEdits(current, fix.edits);
    applied.push({ rule: next.rule, title: fix.title });
  }
  return { text: current, applied };
}

/** One replacement edit that turns `before` into `after` (common prefix and suffix left alone). */
export function minimalEdit(before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  return { start, end: endB, newText: after.slice(start, endA) };
}
