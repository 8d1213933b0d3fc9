/**
 * A fast path for the block YAML that Kubernetes manifests are written in: block maps and sequences, plain and quoted
 * scalars (with escapes; both may fold over lines), literal and folded block scalars, one-line flow collections,
 * comment lines. It builds the nodes `parseDocument` composes (Scalar, YAMLMap, YAMLSeq, Pair with the same values,
 * ranges, types, formats and flow flags) about 7× faster once warm, and returns undefined for anything else
 * (anchors, aliases, tags, multi-line flow collections, explicit block indentation, tabs, CRLF, byte-order marks,
 * comments whose place it does not know, any error): the caller then uses `parseDocument`, so no result depends on
 * this path. Comments are not kept (nothing in servelint reads them; fixes edit the text).
 * test/unit/fast-parse.test.ts compares both parsers, node by node, on every example and fixture document, on edge
 * cases and on 3,000 seeded mutations; 7,079 documents of 14 operator and sample repositories also agree.
 */
import { Pair, Scalar, YAMLMap, YAMLSeq, type Document, type Node } from 'yaml';
import { BAIL, bail, blockScalar, commentIn, documentNode, endOfLine, eol, indentAt, indexIn, isBlankOrEnd, isIndicator, mapNode, nextLine, NOT_PLAIN_START, pairNode, PARSE_OPTIONS, plainLines, quoted, Scalars, seqNode, spaces, trimEnd } from './fast-scalars';

export { PARSE_OPTIONS };

class FastParser {
  private readonly scalars: Scalars;

  constructor(private readonly s: string, private readonly doc: Document.Parsed) {
    this.scalars = new Scalars(doc);
  }

  /** From a line start: skips blank lines and comment lines; the start of the next content line, or -1. */
  private contentLine(p: number): number {
    const s = this.s;
    while (p < s.length) {
      const c = s[p + indentAt(s, p)];
      if (c !== '\n' && c !== '#' && c !== undefined) return p;
      p = nextLine(s, p);
    }
    return -1;
  }

  /**
   * After a scalar or flow collection of a collection at column `col` whose line ends at `lineEnd` (a line start):
   * blank lines and comment lines indented deeper than `col` belong to its range: returns the range's end.
   */
  private trailingComments(lineEnd: number, col: number): number {
    const s = this.s;
    let end = lineEnd;
    let p = lineEnd;
    while (p < s.length) {
      const ind = indentAt(s, p);
      const c = s[p + ind];
      if (c === '#' && ind > col) end = p = nextLine(s, p);
      else if (c === '\n') p = nextLine(s, p);
      else break;
    }
    return end;
  }

  /**
   * A map key at `p` (plain or quoted, on one line, followed by `:` and a space or line end): its scalar and the
   * index of the `:`; undefined when the line holds no key there. A line that opens a flow collection holds none
   * (`- {name: a, value: b}` is a flow map item; a flow collection as a key, `{a: 1}: b`, is yaml's, since the
   * value path bails on what follows the collection).
   */
  private key(p: number): [Scalar, number] | undefined {
    const s = this.s;
    const c = s[p];
    if (c === '{' || c === '[') return undefined;
    if (c === '"' || c === "'") {
      const [value, after] = quoted(s, p);
      if (s[after] !== ':' || !isBlankOrEnd(s[after + 1])) return undefined;
      return [this.scalars.string(value, c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', p, after, after), after];
    }
    const e = eol(s, p);
    let colon = indexIn(s, ':', p, e);
    while (colon !== -1 && !isBlankOrEnd(s[colon + 1])) colon = indexIn(s, ':', colon + 1, e);
    if (colon === -1 || commentIn(s, p, colon) !== -1) return undefined;
    const keyEnd = trimEnd(s, p, colon);
    if (NOT_PLAIN_START.has(c!) || isIndicator(s, p) || keyEnd === p) bail();
    return [this.scalars.plain(s.slice(p, keyEnd), p, keyEnd, keyEnd), colon];
  }

  /**
   * The value of a map entry or sequence item starting at `p` on a line of a collection at column `col` (`p` just
   * past `: ` / `- ` and its spaces). Returns the node and the start of the line after it.
   */
  private value(p: number, col: number, seqAllowedAt: number): [Node, number] {
    const s = this.s;
    const c = s[p];
    if (c === undefined || c === '\n' || c === '#') {
      if (c === '#' && s[p - 1] !== ' ') bail();
      const next = nextLine(s, p);
      const line = this.contentLine(next);
      if (line !== -1) {
        const ind = indentAt(s, line);
        const at = line + ind;
        const dash = s[at] === '-' && isBlankOrEnd(s[at + 1]);
        // Comments between the key and its value move no range.
        if (ind === seqAllowedAt && dash) return this.block(at, ind);
        if (ind > col) return dash || this.key(at) ? this.block(at, ind) : this.value(at, col, -1);
      }
      // An empty value: a null scalar where its line ends (comments around it move ranges: not this path).
      if (c === '#' || (line !== next && line !== -1 && this.hasComment(next, line)) || (line === -1 && this.hasComment(next, s.length))) bail();
      const at = p;
      return [this.scalars.plain('', at, at, at), next];
    }
    if (c === '|' || c === '>') {
      const b = blockScalar(s, p, col);
      return [this.scalars.string(b.value, b.folded ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL', p, b.end, b.end), b.next];
    }
    if (c === '[' || c === '{') return this.flow(p, col);
    if (c === '"' || c === "'") {
      const [value, after] = quoted(s, p, col);
      const lineEnd = endOfLine(s, after);
      const end = this.afterValue(lineEnd, col);
      return [this.scalars.string(value, c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', p, after, end), end];
    }
    if (NOT_PLAIN_START.has(c) || isIndicator(s, p)) bail();
    const [src, valueEnd, lineEnd] = plainLines(s, p, col);
    const end = this.afterValue(lineEnd, col);
    return [this.scalars.plain(src, p, valueEnd, end), end];
  }

  private hasComment(from: number, to: number): boolean {
    const s = this.s;
    return indexIn(s, '#', from, to) !== -1;
  }

  /**
   * After a one-line value ending at `e` (its line break or the end) of a collection at column `col`: the next
   * content line must not be indented deeper (a continuation line); deeper comment lines join the value's range.
   */
  private afterValue(e: number, col: number): number {
    const s = this.s;
    const lineEnd = e < s.length ? e + 1 : e;
    const line = this.contentLine(lineEnd);
    if (line !== -1 && indentAt(s, line) > col) bail();
    return this.trailingComments(lineEnd, col);
  }

  /** A one-line flow collection (of scalars and flow collections) as a block value: its range runs to its line end. */
  private flow(p: number, col: number): [Node, number] {
    const s = this.s;
    const [node, close] = this.flowCollection(p);
    const end = this.afterValue(endOfLine(s, close), col);
    node.range = [p, close, end];
    return [node, end];
  }

  /** A flow collection at `p` on one line; returns it and the index after its closing bracket. */
  private flowCollection(p: number): [YAMLMap | YAMLSeq, number] {
    const s = this.s;
    const isSeq = s[p] === '[';
    const closing = isSeq ? ']' : '}';
    const node = isSeq ? seqNode() : mapNode();
    node.flow = true;
    let i = spaces(s, p + 1);
    if (s[i] !== closing) {
      for (;;) {
        if (isSeq) {
          const [item, after] = this.flowItem(i, false);
          (node as YAMLSeq).items.push(item);
          i = after;
        } else {
          const [key, colon] = this.flowItem(i, true) as [Scalar, number];
          if (s[colon] !== ':' || (key.type === 'PLAIN' && s[colon + 1] !== ' ')) bail();
          const [value, after] = this.flowItem(spaces(s, colon + 1), false);
          (node as YAMLMap).items.push(pairNode(key, value));
          i = after;
        }
        if (s[i] === ',') {
          i = spaces(s, i + 1);
          if (s[i] === closing) bail();
          continue;
        }
        if (s[i] === closing) break;
        bail();
      }
    }
    node.range = [p, i + 1, i + 1];
    return [node, i + 1];
  }

  /**
   * A scalar or flow collection inside a flow collection: returns it and the index of what follows it (past its
   * trailing spaces, which its range includes); a key (`atKey`) ends at its `:`, with no trailing spaces.
   */
  private flowItem(i: number, atKey: boolean): [Node, number] {
    const s = this.s;
    const start = i;
    const c = s[i];
    if (c === '[' || c === '{') {
      if (atKey) bail();
      const [node, close] = this.flowCollection(i);
      const after = spaces(s, close);
      node.range = [start, close, after];
      return [node, after];
    }
    if (c === '"' || c === "'") {
      const [value, close] = quoted(s, i);
      const after = atKey ? close : spaces(s, close);
      return [this.scalars.string(value, c === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE', start, close, after), after];
    }
    if (c === undefined || c === '\n' || NOT_PLAIN_START.has(c) || isIndicator(s, i)) bail();
    for (;;) {
      const ch = s[i];
      if (ch === undefined || ch === '\n' || ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}') break;
      if (ch === '#' && s[i - 1] === ' ') bail();
      if (ch === ':' && (s[i + 1] === ' ' || s[i + 1] === ',' || s[i + 1] === ']' || s[i + 1] === '}' || s[i + 1] === '\n')) {
        if (!atKey) bail();
        break;
      }
      i++;
    }
    const valueEnd = trimEnd(s, start, i);
    if (atKey && valueEnd !== i) bail();
    return [this.scalars.plain(s.slice(start, valueEnd), start, valueEnd, i), i];
  }

  /** A block map or sequence whose first entry is at `at` (column `ind`). */
  private block(at: number, ind: number): [Node, number] {
    const s = this.s;
    if (s[at] === '-' && isBlankOrEnd(s[at + 1])) return this.seq(at, ind);
    const first = this.key(at);
    if (!first) bail();
    return this.map(at, ind, first!);
  }

  private map(at: number, col: number, first: [Scalar, number]): [Node, number] {
    const s = this.s;
    const map = mapNode();
    let k: [Scalar, number] | undefined = first;
    let next = at;
    for (;;) {
      const [keyNode, colon] = k!;
      const [valueNode, after] = this.value(spaces(s, colon + 1), col, col);
      map.items.push(pairNode(keyNode, valueNode));
      next = after;
      const line = this.contentLine(next);
      if (line === -1) break;
      const ind = indentAt(s, line);
      if (ind < col) break;
      if (ind > col) bail();
      k = this.key(line + ind);
      if (!k) bail();
    }
    const last = map.items[map.items.length - 1]!.value as Node;
    const end = last.range![2];
    map.range = [at, end, this.collectionEnd(next, col, end, at)];
    return [map, next];
  }

  private seq(at: number, col: number): [Node, number] {
    const s = this.s;
    const seq = seqNode();
    let dash = at;
    let next = at;
    for (;;) {
      const v = spaces(s, dash + 1);
      let item: [Node, number];
      if (s[v] === '-' && isBlankOrEnd(s[v + 1])) bail();
      const k = s[v] !== '\n' && v < s.length ? this.key(v) : undefined;
      if (k) item = this.map(v, v - (dash - col), k);
      else item = this.value(v, col, -1);
      seq.items.push(item[0]);
      next = item[1];
      const line = this.contentLine(next);
      if (line === -1) break;
      const ind = indentAt(s, line);
      if (ind < col) break;
      if (ind > col || s[line + ind] !== '-' || !isBlankOrEnd(s[line + ind + 1])) {
        if (ind === col) break; // a sequence as a map value at the map's column ends at the next key
        bail();
      }
      dash = line + ind;
    }
    const end = (seq.items[seq.items.length - 1] as Node).range![2];
    seq.range = [at, end, this.collectionEnd(next, col, end, at)];
    return [seq, next];
  }

  /**
   * The end of a collection at column `col` whose last entry ends at `end` (its lines at `next`), when the next content is
   * outdented or there is none: comment lines there at the collection's column or deeper belong to it, and its
   * range then runs to the next content token; at a shallower column they are its parent's to place.
   */
  private collectionEnd(next: number, col: number, end: number, at: number): number {
    const s = this.s;
    let p = next;
    let indent = -1;
    while (p < s.length) {
      const ind = indentAt(s, p);
      const c = s[p + ind];
      if (c === '#') {
        if (indent !== -1 && ind !== indent) bail();
        indent = ind;
      } else if (c !== '\n') break;
      p = nextLine(s, p);
    }
    // Comments after the root collection are the document's; at column 0 one never joins the collection before it.
    if (indent === -1 || indent < col || at === this.rootAt || indent === 0) return end;
    if (col === 0) bail();
    return p < s.length ? p + indentAt(s, p) : s.length;
  }

  /** The offset of the document's first token (its `---`, else its content). */
  start = 0;
  private rootAt = -1;

  /** The document: header lines (comments, one `---`), one block collection, trailing comment lines. */
  parse(): Node | null {
    const s = this.s;
    let p = 0;
    let marker = -1;
    for (;;) {
      if (p >= s.length) {
        if (marker >= 0) bail();
        return null;
      }
      const ind = indentAt(s, p);
      const c = s[p + ind];
      if (c === '\n' || c === '#') {
        p = nextLine(s, p);
        continue;
      }
      if (ind === 0 && s.startsWith('---', p) && isBlankOrEnd(s[p + 3])) {
        if (this.doc.directives.docStart) bail();
        this.doc.directives.docStart = true;
        marker = p;
        p = nextLine(s, endOfLine(s, p + 3));
        continue;
      }
      break;
    }
    const ind = indentAt(s, p);
    if (ind !== 0) bail();
    this.start = marker >= 0 ? marker : p;
    this.rootAt = p;
    const [root, after] = this.block(p, 0);
    if (this.contentLine(after) !== -1) bail();
    return root;
  }
}

function endsEmpty(node: unknown): boolean {
  for (let n = node; ; ) {
    if (n instanceof Scalar) return n.type === 'PLAIN' && n.source === '';
    const items = (n as YAMLMap | YAMLSeq).items;
    const last = items?.[items.length - 1];
    if (!last) return false;
    n = last instanceof Pair ? last.value : last;
  }
}

/**
 * The document `parseDocument(text, PARSE_OPTIONS)` composes, when `text` is within the fast path; else undefined.
 * Its nodes have no comments.
 */
export function fastParseDocument(text: string): Document.Parsed | undefined {
  if (text.includes('\t') || text.includes('\r') || text.includes('\ufeff') || text.includes('\n...') || text.startsWith('%')) return undefined;
  const doc = documentNode();
  try {
    const parser = new FastParser(text, doc);
    const root = parser.parse();
    // A document ending in an empty value ends where that value does (yaml drops the line break after it).
    if (root && endsEmpty(root)) return undefined;
    doc.contents = root as Document.Parsed['contents'];
    doc.range = [parser.start, root ? root.range![2] : text.length, text.length];
    return doc;
  } catch (e) {
    // Nesting deeper than the stack allows: yaml's parser decides (it reports or parses such documents itself).
    if (e === BAIL || e instanceof RangeError) return undefined;
    throw e;
  }
}

/**
 * The document `parseDocument(text)` composes with yaml's default options (unique keys, strict), when `text` is within
 * the fast path and those options find no error in it (a duplicate key; a key over 1,000 characters is left to yaml,
 * which limits implicit keys to 1,024); else undefined. For YAML embedded in a manifest's string (a RayService's serveConfigV2).
 */
export function fastParseStrict(text: string): Document.Parsed | undefined {
  const doc = fastParseDocument(text);
  if (!doc) return undefined;
  const clean = (n: unknown): boolean => {
    if (n instanceof YAMLSeq) return n.items.every(clean);
    if (!(n instanceof YAMLMap)) return true;
    const keys = new Set<unknown>();
    for (const p of n.items as Pair<Scalar, unknown>[]) {
      const r = p.key.range!;
      if (keys.has(p.key.value) || r[1] - r[0] > 1000 || !clean(p.value)) return false;
      keys.add(p.key.value);
    }
    return true;
  };
  return clean(doc.contents) ? doc : undefined;
}
