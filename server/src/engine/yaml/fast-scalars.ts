/**
 * The text scanning and scalars of the fast YAML path (fast-parse.ts): lines, comments, quoted and block scalars, and
 * plain scalars resolved by the document schema's own tags (so `8`, `true`, `1.50`, `0x1F`, `~` get the values,
 * formats and fraction digits that `yaml` gives them). Anything outside the path throws BAIL (see `bail`).
 */
import { Document, Pair, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';

/**
 * yaml's constructors give every node its type with Object.defineProperty (about 135 of the 145 ns a Scalar takes,
 * and the fast path makes one per key and value). These make the same nodes with the type on a prototype between
 * the node and Scalar.prototype / Pair.prototype: isScalar / isPair, instanceof, `constructor`, clone() and the own
 * enumerable fields are yaml's. The type is read off a node yaml made, so a yaml that renames its symbols still works.
 */
function typedPrototype(probe: object, proto: object): object {
  const typed = Object.create(proto) as object;
  for (const sym of Object.getOwnPropertySymbols(probe)) Object.defineProperty(typed, sym, { value: (probe as Record<symbol, unknown>)[sym] });
  return typed;
}

interface NodeMaker<T> {
  new (a: unknown, b?: unknown): T;
}

const FastScalar = function (this: { value: unknown }, value: unknown) {
  this.value = value;
} as unknown as NodeMaker<Scalar>;
FastScalar.prototype = typedPrototype(new Scalar(null), Scalar.prototype) as Scalar;

const FastPair = function (this: { key: unknown; value: unknown }, key: unknown, value: unknown) {
  this.key = key;
  this.value = value;
} as unknown as NodeMaker<Pair<Node, Node>>;
FastPair.prototype = typedPrototype(new Pair(null), Pair.prototype) as Pair<Node, Node>;

/** parse.ts's parseDocument options (a Document made with them has the same options and schema). */
export const PARSE_OPTIONS = { uniqueKeys: false, strict: false, prettyErrors: false, keepSourceTokens: false } as const;

/**
 * One schema for every document of the fast path, on its documents and their maps and sequences: parseDocument(text,
 * PARSE_OPTIONS) makes an equal one for each document, which costs about half of making the Document (nothing in
 * servelint changes a schema). Maps and sequences read it from their prototype: yaml's constructor gives each one its
 * own with Object.defineProperty.
 */
const template = new Document(undefined, PARSE_OPTIONS) as unknown as Document.Parsed;
const SCHEMA = template.schema;

function withSchema(proto: object): object {
  Object.defineProperty(proto, 'schema', { value: SCHEMA, writable: true, configurable: true, enumerable: false });
  return proto;
}

const FastMap = function (this: { items: unknown[] }) {
  this.items = [];
} as unknown as NodeMaker<YAMLMap>;
FastMap.prototype = withSchema(typedPrototype(new YAMLMap(SCHEMA), YAMLMap.prototype)) as YAMLMap;

const FastSeq = function (this: { items: unknown[] }) {
  this.items = [];
} as unknown as NodeMaker<YAMLSeq>;
FastSeq.prototype = withSchema(typedPrototype(new YAMLSeq(SCHEMA), YAMLSeq.prototype)) as YAMLSeq;

/** The own fields of a Document made by `new Document(undefined, PARSE_OPTIONS)`, in its order, with the shared schema. */
const FastDocument = function (this: Record<string, unknown>) {
  this.commentBefore = null;
  this.comment = null;
  this.errors = [];
  this.warnings = [];
  this.options = Object.assign({}, template.options);
  this.directives = template.directives.clone();
  this.schema = SCHEMA;
  this.contents = null;
} as unknown as NodeMaker<Document.Parsed>;
FastDocument.prototype = typedPrototype(template, Document.prototype) as Document.Parsed;

/** `new YAMLMap(schema)` with the shared schema, made faster (see typedPrototype). */
export const mapNode = (): YAMLMap => new FastMap(undefined);
/** `new YAMLSeq(schema)` with the shared schema, made faster (see typedPrototype). */
export const seqNode = (): YAMLSeq => new FastSeq(undefined);
/** `new Document(undefined, PARSE_OPTIONS)` with the shared schema, made faster. */
export const documentNode = (): Document.Parsed => new FastDocument(undefined);

/** `new Scalar(value)`, made faster (see typedPrototype). */
export const scalarNode = (value: unknown): Scalar => new FastScalar(value);
/** `new Pair(key, value)`, made faster (see typedPrototype). */
export const pairNode = (key: Node, value: Node): Pair<Node, Node> => new FastPair(key, value);

/** Thrown when a document leaves the fast path; fast-parse.ts then returns undefined and `yaml` parses it. */
export const BAIL = new Error('not on the fast YAML path');
export const bail = (): never => {
  throw BAIL;
};

/** Characters a plain scalar cannot start with (flow indicators, quotes, anchors, tags, directives, reserved). */
export const NOT_PLAIN_START = new Set([',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);

export const isBlankOrEnd = (c: string | undefined): boolean => c === undefined || c === ' ' || c === '\n';

/** `-`, `?` or `:` followed by a space or line end: an indicator, not the start of a plain scalar. */
export const isIndicator = (s: string, i: number): boolean => (s[i] === '-' || s[i] === '?' || s[i] === ':') && isBlankOrEnd(s[i + 1]);

/** The first `ch` in s[from, to), or -1 (bounded: a search never runs past the line it is about). */
export function indexIn(s: string, ch: string, from: number, to: number): number {
  const code = ch.charCodeAt(0);
  for (let i = from; i < to; i++) if (s.charCodeAt(i) === code) return i;
  return -1;
}

/** The first ` #` (a comment) in s[from, to), or -1. */
export function commentIn(s: string, from: number, to: number): number {
  for (let i = from + 1; i < to; i++) if (s.charCodeAt(i) === 35 && s.charCodeAt(i - 1) === 32) return i - 1;
  return -1;
}

/** Index of the line break ending the line at `p`, or the text's length. */
export function eol(s: string, p: number): number {
  const i = s.indexOf('\n', p);
  return i === -1 ? s.length : i;
}

export function indentAt(s: string, lineStart: number): number {
  return spaces(s, lineStart) - lineStart;
}

/** The start of the line after the one holding `p` (the text's length at the end). */
export function nextLine(s: string, p: number): number {
  const e = eol(s, p);
  return e < s.length ? e + 1 : s.length;
}

export function spaces(s: string, i: number): number {
  while (s.charCodeAt(i) === 32) i++;
  return i;
}

/** The rest of a line after a value: spaces, then an optional comment (after a space); else not this path. */
export function endOfLine(s: string, p: number): number {
  const i = spaces(s, p);
  if (i < s.length && s[i] !== '\n') {
    if (s[i] !== '#' || i === p) bail();
    return eol(s, i);
  }
  return i;
}

/** `end` moved back over the spaces before it (not before `start`). */
export function trimEnd(s: string, start: number, end: number): number {
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  return end;
}

/**
 * A plain scalar from `p` to its line's end or comment, and its continuation lines (deeper than `col`, not
 * comments): each line break folds to a space, blank lines to line breaks. Returns its text, the end of its last
 * content and the end of its last line.
 */
export function plainLines(s: string, p: number, col: number): [string, number, number] {
  let lineEnd = eol(s, p);
  let hash = commentIn(s, p, lineEnd);
  let valueEnd = trimEnd(s, p, hash !== -1 ? hash : lineEnd);
  let src = s.slice(p, valueEnd);
  for (let part = src; ; ) {
    // `key: value` or `key:` inside a plain scalar is a mapping yaml rejects here.
    if (part.includes(': ') || part.endsWith(':')) bail();
    if (hash !== -1 || lineEnd >= s.length) return [src, valueEnd, lineEnd];
    let q = lineEnd + 1;
    let blanks = 0;
    let ind = indentAt(s, q);
    while (s[q + ind] === '\n') {
      blanks++;
      q += ind + 1;
      ind = indentAt(s, q);
    }
    const first = q + ind;
    if (first >= s.length || ind <= col || s[first] === '#') return [src, valueEnd, lineEnd];
    if (NOT_PLAIN_START.has(s[first]!) || isIndicator(s, first)) bail();
    lineEnd = eol(s, first);
    hash = commentIn(s, first, lineEnd);
    valueEnd = trimEnd(s, first, hash !== -1 ? hash : lineEnd);
    part = s.slice(first, valueEnd);
    src += (blanks ? '\n'.repeat(blanks) : ' ') + part;
  }
}

/**
 * A quoted scalar at `p`: its value and the index after the closing quote. With `col` (a block value of a
 * collection at that column) it may run over lines (each line break folds to a space, blank lines to line breaks);
 * without, it must end on its line.
 */
export function quoted(s: string, p: number, col = -1): [string, number] {
  const q = s.charCodeAt(p);
  const double = q === 34;
  let value = '';
  let chunk = p + 1;
  for (let i = chunk; ; ) {
    const ch = s.charCodeAt(i);
    if (ch !== ch) bail(); // NaN: the end of the text
    if (ch === q) {
      if (!double && s.charCodeAt(i + 1) === 39) {
        value += s.slice(chunk, i + 1);
        chunk = i += 2;
        continue;
      }
      return [value + s.slice(chunk, i), i + 1];
    }
    if (ch === 92 && double) {
      const [text, next] = unescape(s, i);
      value += s.slice(chunk, i) + text;
      chunk = i = next;
      continue;
    }
    if (ch === 10) {
      if (col < 0) bail();
      value += s.slice(chunk, trimEnd(s, chunk, i));
      let breaks = 0;
      let j = i + 1;
      for (;;) {
        const ind = indentAt(s, j);
        if (s.charCodeAt(j + ind) === 10) {
          breaks++;
          j += ind + 1;
          continue;
        }
        if (ind <= col) bail();
        j += ind;
        break;
      }
      value += breaks ? '\n'.repeat(breaks) : ' ';
      chunk = i = j;
      continue;
    }
    i++;
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
  N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** The escape sequence at `i` (a backslash) of a double-quoted scalar: its text and the index after it. */
function unescape(s: string, i: number): [string, number] {
  const c = s[i + 1]!;
  const simple = ESCAPES[c];
  if (simple !== undefined) return [simple, i + 2];
  const n = HEX_DIGITS[c] ?? bail();
  const hex = s.slice(i + 2, i + 2 + n);
  if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) bail();
  const code = parseInt(hex, 16);
  if (code > 0x10ffff) bail();
  return [String.fromCodePoint(code), i + 2 + n];
}

/** Folded block scalar lines (none more indented): a line break between lines is a space, blank lines stay. */
function fold(lines: string[]): string {
  let out = '';
  let blank = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') {
      if (i === 0) bail();
      blank++;
      continue;
    }
    out += i === 0 ? line : blank ? '\n'.repeat(blank) + line : ' ' + line;
    blank = 0;
  }
  return out;
}

export interface BlockScalarText {
  value: string;
  folded: boolean;
  /** The end of its range (after its last content line, or its kept blank lines). */
  end: number;
  /** Where the next content may start. */
  next: number;
}

/** A `|` / `>` block scalar at `p`, with an optional chomping indicator (no explicit indentation), of a collection at `col`. */
export function blockScalar(s: string, p: number, col: number): BlockScalarText {
  const folded = s[p] === '>';
  let h = p + 1;
  const chomp = s[h] === '-' || s[h] === '+' ? s[h++] : '';
  if (!isBlankOrEnd(s[h])) bail();
  let lineStart = nextLine(s, endOfLine(s, h));
  const lines: string[] = [];
  let indent = -1;
  let end = lineStart;
  let trailing = 0;
  while (lineStart < s.length) {
    const ind = indentAt(s, lineStart);
    const e = eol(s, lineStart);
    if (lineStart + ind === e) {
      // A blank line: content when more text follows, else subject to chomping.
      if ((indent >= 0 && ind > indent) || (indent < 0 && ind > 0)) bail();
      lines.push('');
      trailing++;
    } else {
      if (indent < 0) {
        if (ind <= col) break;
        indent = ind;
      } else if (ind < indent) break;
      if (folded && ind > indent) bail();
      lines.push(s.slice(lineStart + indent, e));
      trailing = 0;
      end = e < s.length ? e + 1 : e;
    }
    lineStart = e < s.length ? e + 1 : e;
    if (e === s.length) break;
  }
  if (indent < 0) bail();
  const body = lines.slice(0, lines.length - trailing);
  let value = folded ? fold(body) : body.join('\n');
  if (chomp === '+') {
    value += '\n'.repeat(trailing + 1);
    if (lineStart >= s.length && s[s.length - 1] !== '\n') bail();
    return { value, folded, end: lineStart, next: lineStart };
  }
  if (chomp === '') value += '\n';
  return { value, folded, end, next: end };
}

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  format?: string;
  resolve(value: string, onError: (msg: string) => void, options: unknown): unknown;
}

/** A plain scalar that no default tag but the string's can match (the core schema's tests all start like this). */
const MAYBE_TYPED = /^[-+.0-9~nNtTfF]|^$/;

/** Makes Scalar nodes as `yaml`'s composer does (compose-scalar.ts): the value, range, source, type and format. */
export class Scalars {
  /** The shared schema's default tags with a test (every document of the fast path has that schema). */
  private static readonly tags = (SCHEMA as unknown as { tags: ScalarTag[] }).tags.filter((t) => t.default === true && t.test);
  private readonly options: unknown;

  constructor(doc: Document.Parsed) {
    this.options = doc.options;
  }

  /** A plain scalar: the first default tag whose test matches resolves it (null, bool, int, float), else a string. */
  plain(src: string, start: number, valueEnd: number, end: number): Scalar {
    let scalar: Scalar | undefined;
    if (MAYBE_TYPED.test(src)) {
      for (const tag of Scalars.tags) {
        if (!tag.test!.test(src)) continue;
        const res = tag.resolve(src, bail, this.options);
        scalar = res instanceof Scalar ? res : scalarNode(res);
        if (tag.format) scalar.format = tag.format;
        break;
      }
    }
    scalar ??= scalarNode(src);
    scalar.range = [start, valueEnd, end];
    scalar.source = src;
    scalar.type = 'PLAIN';
    return scalar;
  }

  /** A quoted or block scalar (always a string). */
  string(value: string, type: Scalar.Type, start: number, valueEnd: number, end: number): Scalar {
    const scalar = scalarNode(value);
    scalar.range = [start, valueEnd, end];
    scalar.source = value;
    scalar.type = type;
    return scalar;
  }
}
