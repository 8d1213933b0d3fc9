/** Engine offsets ↔ LSP ranges, against the linted snapshot. */
import type { Position, Range as LspRange } from 'vscode-languageserver/node';
import type { Range } from '../engine/types';
import type { LintEntry } from './lintService';

export function toRange(e: LintEntry, r: Range): LspRange {
  return { start: e.lines.position(r.start), end: e.lines.position(r.end) };
}

export function toOffset(e: LintEntry, p: Position): number {
  return e.lines.offset(p.line, p.character);
}

export function sameRange(a: LspRange, b: LspRange): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
