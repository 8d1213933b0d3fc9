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

/** One `# servelint-disable[-next-line] [rules]` comment: where it is, the rule ids it names, what it covers. */
export interface DisableDirective {
  /** The comment (from `#` to the end of the line). */
  range: { start: number; end: number };
  /** The rule ids named (empty: all rules). */
  ids: string[];
  /** The text it covers. */
  span: { start: number; end: number };
}

const ruleIds = (list: string | undefined): string[] =>
  (list ?? '')
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => /^[a-z0-9-]+$/.test(s));

export function disableDirectives(text: string): DisableDirective[] {
  if (!text.includes('servelint-disable')) return [];
  const out: DisableDirective[] = [];
  const lines = text.split('\n');
  let offset = 0;
  const starts: number[] = [];
  for (const l of lines) {
    starts.push(offset);
    offset += l.length + 1;
  }
  const comment = (i: number, m: RegExpExecArray): DisableDirective['range'] => ({ start: (starts[i] as number) + m.index, end: (starts[i] as number) + (lines[i] as string).length });
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const next = /#\s*servelint-disable-next-line\b([^#]*)/.exec(line);
    if (next) {
      let j = i + 1;
      while (j < lines.length && /^\s*(#.*)?$/.test(lines[j] as string)) j++;
      if (j < lines.length) out.push({ range: comment(i, next), ids: ruleIds(next[1]), span: { start: starts[j] as number, end: (starts[j] as number) + (lines[j] as string).length } });
      continue;
    }
    const block = /#\s*servelint-disable\b(?!-)([^#]*)/.exec(line);
    if (block) {
      let j = i + 1;
      while (j < lines.length && !/^(---|\.\.\.)(\s|$)/.test(lines[j] as string)) j++;
      out.push({ range: comment(i, block), ids: ruleIds(block[1]), span: { start: starts[i] as number, end: j < lines.length ? (starts[j] as number) : text.length } });
    }
  }
  return out;
}

/** True when the directive covers the finding. */
export const directiveCovers = (d: DisableDirective, f: Finding): boolean =>
  f.range.start >= d.span.start && f.range.start <= d.span.end && (d.ids.length === 0 || d.ids.includes(f.rule));

export function suppressionSpans(text: string): Span[] {
  return disableDirectives(text).map((d) => Object.assign({}, d.span, { rules: d.ids.length ? new Set(d.ids) : ('all' as const) }));
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
