/**
 * One YAML document → its parse errors (invalid-yaml, document-too-large, alias problems) and the Kubernetes
 * objects and workloads it holds. Documents are parsed and cached one at a time (see linter.ts).
 */
import { parseDocument } from 'yaml';
import { findAliasBomb, findUnresolvedAlias } from './yaml/aliases';
import { fastParseDocument, PARSE_OPTIONS } from './yaml/fast-parse';
import type { DocModelRef } from './yaml/nodes';
import { formatEnUs } from './numfmt';
import { objectsOf, workloadModel, type K8sObject, type WorkloadModel } from './model/workload';

export interface ParsedDocument {
  ref: DocModelRef;
  /** Parse errors (invalid-yaml), or one document-too-large entry for a document that was not parsed. */
  errors: { message: string; start: number; end: number; rule?: 'document-too-large' }[];
  objects: K8sObject[];
  workloads: WorkloadModel[];
}


function fmtCount(n: number): string {
  return n >= 1e6 ? n.toExponential(1).replace('e+', 'e') : formatEnUs(n);
}

/**
 * Documents longer than this are not parsed. The API server refuses request bodies over 3 MiB (and etcd stores
 * objects up to 1.5 MiB), so such a document cannot be applied as one object anyway; parsing it would only stall
 * the editor (a 23 MB document takes ~4 s and ~380 MB).
 */
export const MAX_DOCUMENT_CHARS = 3 * 1024 * 1024;

/**
 * The parser often reports an indentation error at the line break before the offending line: point at the first
 * token after it instead (the `-` or key that is out of place), through the end of that token.
 */
function errorRange(text: string, start: number, end: number): { start: number; end: number } {
  if (end > start && /\S/.test(text.slice(start, end))) return { start, end };
  const m = /\S/.exec(text.slice(start, start + 2000));
  if (!m) return { start, end: Math.max(end, start + 1) };
  const at = start + m.index;
  const token = /^[^\s:]+/.exec(text.slice(at, at + 200));
  return { start: at, end: at + (token ? token[0].length : 1) };
}

export function parseDocumentText(text: string): ParsedDocument {
  if (text.length > MAX_DOCUMENT_CHARS) {
    // The first line of content (past a `---` marker line).
    const marker = /^---[^\n]*\n/.exec(text);
    const start = marker ? marker[0].length : 0;
    const eol = text.slice(start, start + 400).search(/\r?\n/);
    const ref: DocModelRef = { base: 0, doc: parseDocument(''), text };
    const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
    // Just over the limit, one decimal would print "3.0 MiB ... the limit is 3.0 MiB": give the characters instead.
    const close = mb(text.length) === mb(MAX_DOCUMENT_CHARS);
    const size = close ? `${formatEnUs(text.length)} characters` : `${mb(text.length)} MiB`;
    const limit = close ? `${formatEnUs(MAX_DOCUMENT_CHARS)} characters (3 MiB)` : `${mb(MAX_DOCUMENT_CHARS)} MiB`;
    return {
      ref, objects: [], workloads: [],
      errors: [{
        rule: 'document-too-large',
        message: `This YAML document is ${size}: not analysed (the limit is ${limit}, the API server's ` +
          `request limit; etcd stores objects up to 1.5 MiB, so a document this size is almost never one object you can apply). ` +
          `The file's other documents were analysed.`,
        start,
        end: start + Math.max(1, eol === -1 ? 200 : eol),
      }],
    };
  }
  // The block YAML manifests are written in takes the fast path (the same nodes); anything else, `yaml`'s parser.
  const doc = fastParseDocument(text) ?? parseDocument(text, PARSE_OPTIONS);
  const ref: DocModelRef = { base: 0, doc, text };
  const errors = doc.errors.map((e) => ({ message: e.message.split('\n')[0] ?? e.message, ...errorRange(text, e.pos[0], e.pos[1]) }));
  // An alias is written with `*`: a document without one has none to check (most have none).
  const aliases = text.includes('*');
  const unresolved = errors.length || !aliases ? undefined : findUnresolvedAlias(doc);
  if (unresolved) {
    errors.push({ message: `alias ${unresolved.alias} has no anchor &${unresolved.alias.slice(1)} before it`, start: unresolved.start, end: unresolved.end });
  }
  const bomb = errors.length || !aliases ? undefined : findAliasBomb(doc);
  if (bomb) {
    errors.push({
      message: `excessive aliasing: ${bomb.alias} and the other aliases expand this document from ${formatEnUs(bomb.written)} ` +
        `to ~${fmtCount(bomb.expanded)} nodes, which kubectl and the API server refuse ("document contains excessive aliasing")`,
      start: bomb.start,
      end: bomb.end,
    });
  }
  const objects = errors.length ? [] : objectsOf(doc.contents, ref);
  const workloads = objects.map(workloadModel).filter((w): w is WorkloadModel => w !== undefined);
  return { ref, errors, objects, workloads };
}

