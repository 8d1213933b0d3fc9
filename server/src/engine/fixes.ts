/** Applying fixes to text: one fix, or every preferred fix (re-linting between rounds so edits never collide). */
import type { LintOptions, LintResult } from './api';
import type { Finding, Fix, TextEdit } from './types';
import { splitDocuments } from './yaml/split';

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
 * Apply all preferred fixes. Each round lints the text and applies at most one fix per YAML document (fixes of one
 * workload may touch the same fields, so they wait for the next round, which sees the earlier edits), skipping any
 * fix whose edits touch another one's. Stops when no finding has a preferred fix left, when a round changes
 * nothing, or after `maxRounds` rounds.
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
    const docStarts = splitDocuments(current).map((c) => c.base);
    const docOf = (offset: number): number => {
      let i = 0;
      while (i + 1 < docStarts.length && (docStarts[i + 1] as number) <= offset) i++;
      return i;
    };
    const docsTaken = new Set<number>();
    const accepted: TextEdit[] = [];
    const overlaps = (e: TextEdit): boolean => accepted.some((a) => e.start <= a.end && a.start <= e.end);
    for (const f of result.findings) {
      const fix = preferredFix(f);
      const key = `${f.rule}@${f.range.start}:${current.length}`;
      if (!fix || tried.has(key)) continue;
      const doc = docOf(f.range.start);
      if (docsTaken.has(doc) || fix.edits.some(overlaps)) continue;
      tried.add(key);
      docsTaken.add(doc);
      accepted.push(...fix.edits);
      applied.push({ rule: f.rule, title: fix.title });
    }
    if (!accepted.length) break;
    const next = applyEdits(current, accepted);
    if (next === current) break;
    current = next;
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
