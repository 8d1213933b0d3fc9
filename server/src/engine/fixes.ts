/** Applying fixes to text: one fix, or every preferred fix (re-linting between rounds so edits never collide). */
import type { LintOptions, LintResult } from './api';
import type { Finding, Fix, TextEdit } from './types';
import { splitDocuments } from './yaml/split';

/**
 * Apply non-overlapping edits. As in LSP, inserts at the same position appear in the order of the array.
 */
export function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => a.e.start - b.e.start || a.e.end - b.e.end || a.i - b.i);
  // Non-overlapping edits (the contract): one pass, linear in the text. Applying them from the end, as overlapping
  // ones need, gives the same text but copies the text once per edit.
  const parts: string[] = [];
  let cursor = 0;
  for (const { e } of sorted) {
    if (e.start < cursor) return applyFromEnd(text, sorted);
    parts.push(text.slice(cursor, e.start), e.newText);
    cursor = e.end;
  }
  parts.push(text.slice(cursor));
  return parts.join('');
}

function applyFromEnd(text: string, sorted: { e: TextEdit; i: number }[]): string {
  const fromEnd = [...sorted].sort((a, b) => b.e.start - a.e.start || b.e.end - a.e.end || b.i - a.i);
  let out = text;
  for (const { e } of fromEnd) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
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
    const docOf = (offset: number): number => lastAtOrBefore(docStarts, offset, (x) => x);
    const docsTaken = new Set<number>();
    const accepted: TextEdit[] = [];
    // Accepted edits sorted by start, with the largest end so far: an overlap test is a binary search.
    const byStart: { start: number; end: number; maxEnd: number }[] = [];
    const overlaps = (e: TextEdit): boolean => {
      const i = lastAtOrBefore(byStart, e.end, (a) => a.start);
      return i >= 0 && i < byStart.length && (byStart[i] as { start: number }).start <= e.end && (byStart[i] as { maxEnd: number }).maxEnd >= e.start;
    };
    for (const f of result.findings) {
      const fix = preferredFix(f);
      const key = `${f.rule}@${f.range.start}:${current.length}`;
      if (!fix || tried.has(key)) continue;
      const doc = docOf(f.range.start);
      if (docsTaken.has(doc) || fix.edits.some(overlaps)) continue;
      tried.add(key);
      docsTaken.add(doc);
      accepted.push(...fix.edits);
      for (const e of fix.edits) insertSorted(byStart, e);
      applied.push({ rule: f.rule, title: fix.title });
    }
    if (!accepted.length) break;
    const next = applyEdits(current, accepted);
    if (next === current) break;
    current = next;
  }
  return { text: current, applied };
}

/** Index of the last element whose key is ≤ `x` (0 when none is: callers treat the first document as the default). */
function lastAtOrBefore<T>(xs: readonly T[], x: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = xs.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(xs[mid] as T) <= x) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Inserts an edit into a list sorted by start and keeps each entry's `maxEnd` (largest end up to it) right. */
function insertSorted(list: { start: number; end: number; maxEnd: number }[], e: TextEdit): void {
  let i = list.length;
  while (i > 0 && (list[i - 1] as { start: number }).start > e.start) i--;
  list.splice(i, 0, { start: e.start, end: e.end, maxEnd: e.end });
  for (let k = i; k < list.length; k++) {
    const prev = k > 0 ? (list[k - 1] as { maxEnd: number }).maxEnd : -Infinity;
    const item = list[k] as { end: number; maxEnd: number };
    item.maxEnd = Math.max(item.end, prev);
  }
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
