/**
 * Comment suppressions: `# servelint-disable-next-line <rule>[, <rule>]` (the next non-comment line) and
 * `# servelint-disable <rule>[, <rule>]` (to the end of the YAML document). No rule ids means all rules.
 */
import type { Finding } from './types';

interface Span {
  start: number;
  end: number;
  rules: Set<string> | 'all';
}

function ruleSet(list: string | undefined): Set<string> | 'all' {
  const ids = (list ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^[a-z0-9-]+$/.test(s));
  return ids.length ? new Set(ids) : 'all';
}

export function suppressionSpans(text: string): Span[] {
  if (!text.includes('servelint-disable')) return [];
  const spans: Span[] = [];
  const lines = text.split('\n');
  let offset = 0;
  const starts: number[] = [];
  for (const l of lines) {
    starts.push(offset);
    offset += l.length + 1;
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const next = /#\s*servelint-disable-next-line\b([^#]*)/.exec(line);
    if (next) {
      let j = i + 1;
      while (j < lines.length && /^\s*(#.*)?$/.test(lines[j] as string)) j++;
      if (j < lines.length) spans.push({ start: starts[j] as number, end: (starts[j] as number) + (lines[j] as string).length, rules: ruleSet(next[1]) });
      continue;
    }
    const block = /#\s*servelint-disable\b(?!-)([^#]*)/.exec(line);
    if (block) {
      let j = i + 1;
      while (j < lines.length && !/^(---|\.\.\.)(\s|$)/.test(lines[j] as string)) j++;
      spans.push({ start: starts[i] as number, end: j < lines.length ? (starts[j] as number) : text.length, rules: ruleSet(block[1]) });
    }
  }
  return spans;
}

export function applySuppressions(text: string, findings: Finding[]): Finding[] {
  return partitionSuppressions(text, findings).kept;
}

/** The findings a `# servelint-disable` comment does not cover (kept) and those it does (suppressed). */
export function partitionSuppressions(text: string, findings: Finding[]): { kept: Finding[]; suppressed: Finding[] } {
  const spans = suppressionSpans(text);
  if (!spans.length) return { kept: findings, suppressed: [] };
  const kept: Finding[] = [];
  const suppressed: Finding[] = [];
  for (const f of findings) {
    const covered = spans.some((s) => f.range.start >= s.start && f.range.start <= s.end && (s.rules === 'all' || s.rules.has(f.rule)));
    (covered ? suppressed : kept).push(f);
  }
  return { kept, suppressed };
}
