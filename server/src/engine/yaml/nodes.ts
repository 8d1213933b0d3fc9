/** Small, total accessors over the `yaml` package's AST: never throw on wrong types. */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';

export type AnyNode = Node | null | undefined;

export interface DocModelRef {
  /** Offset of this document in the current text; updated on every lint (cached documents move). */
  base: number;
  doc: Document.Parsed;
  text: string;
}

/** A location inside one document (offsets relative to the document). */
export interface Loc {
  doc: DocModelRef;
  start: number;
  end: number;
}

export function resolve(node: unknown, doc?: Document): Node | undefined {
  if (isAlias(node)) {
    try {
      const target = doc ? node.resolve(doc) : undefined;
      return (target ?? undefined) as Node | undefined;
    } catch {
      return undefined;
    }
  }
  return (node ?? undefined) as Node | undefined;
}

export function asMap(node: unknown): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

export function asSeq(node: unknown): YAMLSeq | undefined {
  return isSeq(node) ? node : undefined;
}

export function keyName(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return String(k.value);
  if (typeof k === 'string' || typeof k === 'number') return String(k);
  return undefined;
}

export function getPair(map: unknown, key: string): Pair<Node, Node> | undefined {
  if (!isMap(map)) return undefined;
  const items = map.items;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (!isPair(item)) continue;
    // keyName(item) === key, without making a string of every string key.
    const k = item.key;
    if (isScalar(k) ? k.value === key || (typeof k.value !== 'string' && String(k.value) === key) : keyName(item) === key) return item as Pair<Node, Node>;
  }
  return undefined;
}

export function get(map: unknown, key: string, doc?: Document): Node | undefined {
  const p = getPair(map, key);
  return p ? resolve(p.value, doc) : undefined;
}

export function getIn(node: unknown, keys: string[], doc?: Document): Node | undefined {
  let cur: unknown = node;
  for (const k of keys) {
    cur = get(cur, k, doc);
    if (cur === undefined) return undefined;
  }
  return cur as Node;
}

/** String value of a scalar (numbers and booleans stringified); undefined for collections. */
export function str(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

/** Numeric value of a scalar; accepts only real numbers (a quoted "30" is a type error for Kubernetes). */
export function num(node: unknown): number | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  return undefined;
}

/** Int-or-string (e.g. maxSurge: 25% or 1). */
export function intOrPercent(node: unknown): { value: number; percent: boolean } | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (typeof v === 'number' && Number.isFinite(v)) return { value: v, percent: false };
  if (typeof v === 'string') {
    const m = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(v);
    if (m) return { value: Number(m[1]), percent: true };
    if (/^\s*\d+\s*$/.test(v)) return { value: Number(v), percent: false };
  }
  return undefined;
}

export function items(node: unknown): Node[] {
  return isSeq(node) ? (node.items as unknown[]).map((n) => n as Node) : [];
}

export function nodeRange(node: unknown): [number, number] | undefined {
  const r = (node as { range?: [number, number, number] } | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

export function loc(doc: DocModelRef, node: unknown): Loc | undefined {
  const r = nodeRange(node);
  return r ? { doc, start: r[0], end: r[1] } : undefined;
}

/** Location of a pair's key (the narrowest anchor for "this field is wrong"). */
export function keyLoc(doc: DocModelRef, pair: Pair | undefined): Loc | undefined {
  return pair ? loc(doc, pair.key) : undefined;
}

/** Record of string values of a map (labels, annotations, nodeSelector). */
export function stringMap(node: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isMap(node)) return out;
  for (const item of node.items) {
    if (!isPair(item)) continue;
    const k = keyName(item);
    const v = str(item.value);
    if (k !== undefined && v !== undefined) out[k] = v;
  }
  return out;
}
