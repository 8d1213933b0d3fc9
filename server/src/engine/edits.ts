/**
 * Minimal, comment-preserving text edits on YAML block collections: set a scalar, insert a key into a map
 * keeping its indentation. Edits are offsets inside one document (Loc); the linter makes them absolute.
 */
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { DocModelRef, Loc } from './yaml/nodes';
import { getPair, nodeRange } from './yaml/nodes';

export interface LocEdit {
  loc: Loc;
  newText: string;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** End of the line (before its `\n`, or before `\r\n` in a CRLF file). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  if (nl === -1) return text.length;
  return nl > offset && text[nl - 1] === '\r' ? nl - 1 : nl;
}

/** Column of a node's first character (its indentation when it starts a block-map key). */
export function columnOf(doc: DocModelRef, offset: number): number {
  return offset - lineStart(doc.text, offset);
}

/** Replace a scalar value in place. */
export function setScalar(doc: DocModelRef, node: Node | undefined, newText: string): LocEdit | undefined {
  const r = nodeRange(node);
  if (!r || !isScalar(node)) return undefined;
  // An empty value (`key:` and nothing): the new one needs a space after the colon to stay a value.
  if (r[0] === r[1] && doc.text[r[0] - 1] === ':') return { loc: { doc, start: r[0], end: r[1] }, newText: ` ${newText}` };
  return { loc: { doc, start: r[0], end: r[1] }, newText };
}

/** Indent every line of a block of YAML. */
export function indentBlock(block: string, indent: number): string {
  const pad = ' '.repeat(indent);
  return block
    .split('\n')
    .map((l) => (l.length ? pad + l : l))
    .join('\n');
}

/** `key` of a block that is one `key:` entry (every later line indented), else undefined. */
const ENTRY = /^([^\s#:{}[\],'"-][^:#]*?):(?: |$)/;
function entryKey(block: string): string | undefined {
  const nl = block.indexOf('\n');
  if (nl !== -1 && block.slice(nl + 1).split('\n').some((l) => l.length && l[0] !== ' ')) return undefined;
  return ENTRY.exec(nl === -1 ? block : block.slice(0, nl))?.[1];
}

/**
 * Insert `block` (YAML text for one or more keys, unindented) as new keys at the end of a block map.
 * Returns undefined for flow maps (`{...}`) or empty maps, where a safe minimal edit is not obvious.
 * A block that is one entry whose key the map already has (`strategy:`, `lifecycle:` with nothing usable under it)
 * replaces that entry, since YAML would keep the first of two same keys; when that entry holds a collection with
 * items, or the map is a flow map, there is no edit (its content would be lost).
 */
export function insertIntoMap(doc: DocModelRef, map: YAMLMap | undefined, block: string): LocEdit | undefined {
  if (!isMap(map) || map.items.length === 0) return undefined;
  // A complex key (`? - x`) hides the map's indentation: no safe edit.
  if (map.items.some((p) => !isScalar(p.key))) return undefined;
  const key = entryKey(block);
  const same = key === undefined ? undefined : getPair(map, key);
  if (same) {
    const v = same.value;
    if (map.flow || ((isMap(v) || isSeq(v)) && v.items.length)) return undefined;
    return replacePair(doc, same, block);
  }
  if (map.flow) return insertIntoFlowMap(doc, map, block);
  const first = map.items[0] as Pair<Node, Node>;
  const last = map.items[map.items.length - 1] as Pair<Node, Node>;
  const firstKey = nodeRange(first.key);
  if (!firstKey) return undefined;
  const indent = columnOf(doc, firstKey[0]);
  const lastEnd = nodeRange(last.value)?.[1] ?? nodeRange(last.key)?.[1];
  if (lastEnd === undefined) return undefined;
  // Back up over trailing whitespace/newlines that belong to the value's range, then to the end of that line
  // (which keeps a trailing comment on the same line in place).
  let end = lastEnd;
  while (end > 0 && /\s/.test(doc.text[end - 1] as string)) end--;
  const at = lineEnd(doc.text, end);
  return { loc: { doc, start: at, end: at }, newText: '\n' + indentBlock(block, indent) };
}

/**
 * `{a: 1}` + "b: 2\nc: 3" -> `{a: 1, b: 2, c: 3}`. Only flat `key: value` lines fit in a flow map; a nested block
 * gets no edit (the fix is then not offered).
 */
function insertIntoFlowMap(doc: DocModelRef, map: YAMLMap, block: string): LocEdit | undefined {
  const lines = flowEntries(block);
  if (!lines) return undefined;
  const last = map.items[map.items.length - 1] as Pair<Node, Node>;
  const end = nodeRange(last.value)?.[1] ?? nodeRange(last.key)?.[1];
  if (end === undefined) return undefined;
  let at = end;
  while (at > 0 && /\s/.test(doc.text[at - 1] as string)) at--;
  return { loc: { doc, start: at, end: at }, newText: lines.map((l) => `, ${l}`).join('') };
}

const FLAT = /^([^\s#:{}[\],][^:{}[\],]*):(?: ([^\s{}[\],#][^{}[\],#]*))?$/;

/** Block lines as flow entries: "a: 1" -> "a: 1"; "b:\n  c: 2\n  d: 3" -> "b: {c: 2, d: 3}". Deeper blocks: undefined. */
function flowEntries(block: string): string[] | undefined {
  const out: string[] = [];
  const lines = block.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = FLAT.exec(lines[i] as string);
    if (!m) return undefined;
    if (m[2] !== undefined) { out.push(`${m[1]}: ${m[2]}`); continue; }
    const children: string[] = [];
    while (i + 1 < lines.length && /^ {2}\S/.test(lines[i + 1] as string)) {
      const c = FLAT.exec((lines[++i] as string).slice(2));
      if (!c || c[2] === undefined) return undefined;
      children.push(`${c[1]}: ${c[2]}`);
    }
    if (!children.length) return undefined;
    out.push(`${m[1]}: {${children.join(', ')}}`);
  }
  return out;
}

/** Set `key: value` in a block map: replace the scalar when present, insert otherwise. */
export function setKey(doc: DocModelRef, map: YAMLMap | undefined, key: string, value: string): LocEdit | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair<Node, Node> | undefined;
  if (pair) return setScalar(doc, pair.value ?? undefined, value);
  return insertIntoMap(doc, map, `${key}: ${value}`);
}

/** Replace a whole key: value pair (key through end of its value) with a new block at the same indentation. */
export function replacePair(doc: DocModelRef, pair: Pair<Node, Node>, block: string): LocEdit | undefined {
  const k = nodeRange(pair.key);
  const v = nodeRange(pair.value) ?? k;
  if (!k || !v) return undefined;
  let end = v[1];
  while (end > k[0] && /\s/.test(doc.text[end - 1] as string)) end--;
  const indent = columnOf(doc, k[0]);
  const text = indentBlock(block, indent).slice(indent);
  return { loc: { doc, start: k[0], end }, newText: text };
}

/**
 * Set several keys of a block map: replace existing scalars, insert the missing ones together (one edit, so
 * that insertions at the same place keep their order).
 */
export function setKeys(doc: DocModelRef, map: YAMLMap | undefined, values: [string, string][]): (LocEdit | undefined)[] {
  if (!isMap(map)) return [undefined];
  const edits: (LocEdit | undefined)[] = [];
  const missing: string[] = [];
  for (const [k, v] of values) {
    const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === k);
    if (pair) edits.push(setScalar(doc, (pair.value ?? undefined) as Node | undefined, v));
    else missing.push(`${k}: ${v}`);
  }
  if (missing.length) edits.push(insertIntoMap(doc, map, missing.join('\n')));
  return edits;
}

/**
 * Append `block` (YAML for one item, unindented, without its dash) to a block sequence, at the dash column of its
 * last item. Undefined for flow or empty sequences.
 */
export function appendToSeq(doc: DocModelRef, seq: unknown, block: string): LocEdit | undefined {
  if (!isSeq(seq) || seq.flow || seq.items.length === 0) return undefined;
  const first = nodeRange(seq.items[0]);
  const last = nodeRange(seq.items[seq.items.length - 1]);
  if (!first || !last) return undefined;
  const dash = doc.text.lastIndexOf('-', first[0] - 1);
  if (dash < lineStart(doc.text, first[0])) return undefined;
  const dashCol = columnOf(doc, dash);
  let end = last[1];
  while (end > 0 && /\s/.test(doc.text[end - 1] as string)) end--;
  const at = lineEnd(doc.text, end);
  const body = indentBlock(block, dashCol + 2).slice(dashCol + 2);
  return { loc: { doc, start: at, end: at }, newText: `\n${' '.repeat(dashCol)}- ${body}` };
}
