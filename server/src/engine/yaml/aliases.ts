/**
 * Alias bombs ("billion laughs"): a few lines of anchors and aliases that expand to billions of nodes.
 * servelint itself never expands aliases (it reads one level through them), so such a document cannot hang it;
 * but kubectl and the API server expand them and refuse the document ("document contains excessive aliasing"),
 * so the user is told, at the alias that does the damage.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';

/** A document whose aliases expand it past both limits is reported (the same order as go-yaml's limits). */
export const ALIAS_EXPANSION_LIMIT = 400_000;
export const ALIAS_EXPANSION_RATIO = 100;

export interface AliasBomb {
  /** Nodes in the document once every alias is expanded (saturates at a large number). */
  expanded: number;
  /** Nodes as written. */
  written: number;
  /** Source range of the alias whose target expands the most. */
  start: number;
  end: number;
  alias: string;
}

export function findAliasBomb(doc: Document): AliasBomb | undefined {
  const sizes = new Map<unknown, number>();
  const inProgress = new Set<unknown>();
  let written = 0;
  let worst: { size: number; node: Node & { source?: string } } | undefined;

  // Expanded size of a node; `count` is false inside alias targets (already counted where they are written).
  const size = (node: unknown, count: boolean): number => {
    if (node === null || node === undefined) return 0;
    if (isAlias(node)) {
      if (count) written++;
      let target: unknown;
      try { target = node.resolve(doc); } catch { target = undefined; }
      if (!target || inProgress.has(target)) return 1;
      const s = memo(target);
      if (!worst || s > worst.size) worst = { size: s, node: node as Node & { source?: string } };
      return s;
    }
    if (count) written++;
    if (!count && sizes.has(node)) return sizes.get(node)!;
    let total = 1;
    inProgress.add(node);
    if (isMap(node) || isSeq(node)) {
      for (const item of node.items) {
        if (isPair(item)) total += size(item.key, count) + size(item.value, count);
        else total += size(item, count);
        if (total > Number.MAX_SAFE_INTEGER / 2) total = Number.MAX_SAFE_INTEGER / 2;
      }
    } else if (!isScalar(node)) {
      total = 1;
    }
    inProgress.delete(node);
    sizes.set(node, total);
    return total;
  };
  // Anchored nodes are sized once, without counting them as written again.
  const memo = (node: unknown): number => sizes.get(node) ?? size(node, false);

  const expanded = size(doc.contents, true);
  if (!worst || expanded <= ALIAS_EXPANSION_LIMIT || expanded <= written * ALIAS_EXPANSION_RATIO) return undefined;
  const w = worst as { size: number; node: Node & { source?: string } };
  const [start, end] = w.node.range ?? [0, 0];
  return { expanded, written, start, end: Math.max(end, start + 1), alias: `*${w.node.source ?? ''}` };
}

/** The first alias whose anchor is not defined before it (`containers: *missing`): kubectl refuses the document. */
export function findUnresolvedAlias(doc: Document): { start: number; end: number; alias: string } | undefined {
  let found: { start: number; end: number; alias: string } | undefined;
  visit(doc, {
    Alias(_key, node) {
      let target: unknown;
      try { target = node.resolve(doc); } catch { target = undefined; }
      if (target) return undefined;
      const [start, end] = node.range ?? [0, 1];
      found = { start, end: Math.max(end, start + 1), alias: `*${node.source}` };
      return visit.BREAK;
    },
  });
  return found;
}
