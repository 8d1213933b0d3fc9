/**
 * What one document contributes to a lint (its findings and workload reports, in absolute offsets), kept on the
 * cached document so the next lint can reuse or shift it instead of rebuilding it (see Linter.documentOutput).
 */
import type { WorkloadReport } from './api';
import type { Finding, Fix } from './types';
import type { LocFix, LocFinding } from './rule';
import type { WorkloadAnalysis } from './analyze';
import type { Dependency } from './lookups';
import type { DocModelRef } from './yaml/nodes';

/** One workload's analysis and findings, with the inventory lookups they depended on. */
export interface WorkloadResult {
  configKey: string;
  deps: Dependency[];
  /** Undefined: the workload has no model server. */
  analysis?: WorkloadAnalysis;
  findings: LocFinding[];
  /** The lint in which its lookups were last found to hold (Linter's lint serial). */
  checkedIn: number;
}

/**
 * One document's findings and workload reports (absolute ranges) in a lint. The next lint reuses them while the
 * document's workload results are the same objects under the same config: as they are when every document they point
 * into is at the same offset, or moved by the same distance when they point only into their own document.
 */
export interface DocOutput {
  configKey: string;
  results: WorkloadResult[];
  /** Every document the findings, fixes and hovers point into, with its offset when they were made. */
  bases: [DocModelRef, number][];
  findings: Finding[];
  workloads: WorkloadReport[];
  /** The output as first made, and how far the document has moved since (moved outputs are made from it, not chained). */
  origin?: { output: DocOutput; delta: number };
}

export const sameItems = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/** A fix in absolute offsets, with each document at `bases` (its offset in the lint that reported it). */
export function toFix(f: LocFix, bases: ReadonlyMap<DocModelRef, number>): Fix {
  return {
    title: f.title,
    isPreferred: f.isPreferred,
    // Inserted lines take the document's line ending (CRLF files stay CRLF).
    edits: f.edits.map((e) => {
      const base = bases.get(e.loc.doc) ?? e.loc.doc.base;
      return { start: base + e.loc.start, end: base + e.loc.end, newText: e.newText.includes('\n') && e.loc.doc.text.includes('\r\n') ? e.newText.replace(/\r?\n/g, '\r\n') : e.newText };
    }),
  };
}

/**
 * `origin` (a finding as first made) for its document moved by `delta` characters since (only for findings whose
 * fixes stay in that document). Its fixes are the origin's (built once, when first needed) shifted: plain data,
 * which is cheaper to make than another lazy property.
 */
export function movedFinding(origin: Finding, delta: number): Finding {
  const fixes = origin.fixes?.map((x) => ({ title: x.title, isPreferred: x.isPreferred, edits: x.edits.map((e) => ({ start: e.start + delta, end: e.end + delta, newText: e.newText })) }));
  return { rule: origin.rule, severity: origin.severity, message: origin.message, range: { start: origin.range.start + delta, end: origin.range.end + delta }, object: origin.object, docsUrl: origin.docsUrl, fixes };
}
