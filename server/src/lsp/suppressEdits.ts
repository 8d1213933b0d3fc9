/**
 * Text edits that silence a rule: an `ignore-check.servelint.io/<rule>` annotation on the workload, or a
 * `# servelint-disable-next-line <rule>` comment. Offsets are into the whole text; `yaml` gives node ranges.
 */
import { isMap, isPair, isScalar, parseDocument, type Pair, type YAMLMap } from 'yaml';
import type { Range, TextEdit } from '../engine/types';

export const annotationKey = (rule: string): string => `ignore-check.servelint.io/${rule}`;

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

function keyStart(p: Pair): number | undefined {
  return isScalar(p.key) ? p.key.range?.[0] : undefined;
}

/** Insert `entries` (`key: value` lines) as the first items of a block map, or inside a flow map. */
function insertInto(text: string, base: number, map: YAMLMap, entries: string[], fallbackIndent: string): TextEdit | undefined {
  const range = map.range;
  if (!range) return undefined;
  if (map.flow) {
    const open = text.indexOf('{', base + range[0]);
    if (open < 0) return undefined;
    const empty = map.items.length === 0;
    return { start: open + 1, end: open + 1, newText: empty ? entries.join(', ') : `${entries.join(', ')}, ` };
  }
  const first = map.items[0] as Pair | undefined;
  const at = first ? keyStart(first) : undefined;
  if (at === undefined) return undefined;
  const abs = base + at;
  const indent = ' '.repeat(column(text, abs)) || fallbackIndent;
  return { start: abs, end: abs, newText: `${entries.join(`\n${indent}`)}\n${indent}` };
}

/**
 * Edit adding `ignore-check.servelint.io/<rule>: "reason: TODO"` to metadata.annotations of the object whose
 * YAML document spans `doc` (creating annotations: or metadata: when absent). Undefined if the shape is odd.
 */
export function disableForWorkloadEdit(text: string, doc: Range, rule: string): TextEdit | undefined {
  return addAnnotationsEdit(text, doc, [`${annotationKey(rule)}: "reason: TODO"`]);
}

/**
 * Edit adding `entries` (`key: value` lines) to metadata.annotations of the object whose YAML document spans `doc`
 * (creating annotations: or metadata: when absent), in one insertion. Undefined if the shape is odd.
 */
export function addAnnotationsEdit(text: string, doc: Range, entries: string[]): TextEdit | undefined {
  const slice = text.slice(doc.start, doc.end);
  const parsed = parseDocument(slice, { strict: false, uniqueKeys: false });
  const root = parsed.contents;
  if (!isMap(root) || !entries.length) return undefined;
  const entry = (sep: string): string => entries.join(sep);
  const metaPair = findPair(root, 'metadata');
  if (!metaPair) {
    const first = root.items[0] as Pair | undefined;
    const at = first ? keyStart(first) : undefined;
    if (at === undefined) return undefined;
    const abs = doc.start + at;
    const ind = ' '.repeat(column(text, abs));
    return { start: abs, end: abs, newText: `metadata:\n${ind}  annotations:\n${ind}    ${entry(`\n${ind}    `)}\n${ind}` };
  }
  const metaKeyAt = doc.start + (keyStart(metaPair) ?? 0);
  const metaIndent = ' '.repeat(column(text, metaKeyAt));
  const meta = metaPair.value;
  if (!isMap(meta)) {
    // `metadata:` with no value: put the block right after the key.
    if (meta !== null && !(isScalar(meta) && meta.value === null)) return undefined;
    const eol = lineEnd(text, metaKeyAt);
    return { start: eol, end: eol, newText: `\n${metaIndent}  annotations:\n${metaIndent}    ${entry(`\n${metaIndent}    `)}` };
  }
  const annPair = findPair(meta, 'annotations');
  if (!annPair) {
    if (meta.flow) return insertInto(text, doc.start, meta, [`annotations: {${entry(', ')}}`], `${metaIndent}  `);
    const first = meta.items[0] as Pair | undefined;
    const at = first ? keyStart(first) : undefined;
    if (at === undefined) return undefined;
    const abs = doc.start + at;
    const ind = ' '.repeat(column(text, abs));
    return { start: abs, end: abs, newText: `annotations:\n${ind}  ${entry(`\n${ind}  `)}\n${ind}` };
  }
  const ann = annPair.value;
  const annKeyAt = doc.start + (keyStart(annPair) ?? 0);
  const annIndent = ' '.repeat(column(text, annKeyAt));
  if (isMap(ann)) {
    if (ann.items.length === 0 && !ann.flow) return undefined;
    return insertInto(text, doc.start, ann, entries, `${annIndent}  `);
  }
  if (ann === null || (isScalar(ann) && (ann.value === null || ann.value === ''))) {
    const eol = lineEnd(text, annKeyAt);
    const from = isScalar(ann) && ann.range && ann.range[0] !== ann.range[1] ? doc.start + ann.range[0] : eol;
    const to = isScalar(ann) && ann.range && ann.range[0] !== ann.range[1] ? doc.start + ann.range[1] : eol;
    return { start: from, end: to, newText: `\n${annIndent}  ${entry(`\n${annIndent}  `)}` };
  }
  return undefined;
}

/** Edit inserting `# servelint-disable-next-line <rule>` above the line holding `offset`, same indentation. */
export function disableForLineEdit(text: string, offset: number, rule: string): TextEdit {
  const start = lineStart(text, offset);
  const indent = /^[ \t]*/.exec(text.slice(start, lineEnd(text, start)))?.[0] ?? '';
  return { start, end: start, newText: `${indent}# servelint-disable-next-line ${rule}\n` };
}
