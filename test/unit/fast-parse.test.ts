/**
 * The fast YAML path (server/src/engine/yaml/fast-parse.ts) against `yaml`'s parseDocument: whenever the fast path
 * returns a document, its nodes are the ones parseDocument composes (class, value, range, type, source, format,
 * fraction digits, flow; comments are not kept), and parseDocument found no error in it. Checked on every document
 * of the examples and fixtures, on hand-written edge cases, and on seeded line-level mutations of the fixtures
 * (comments and blank lines at every indentation, re-indented, duplicated, deleted and truncated lines, other
 * scalar styles), which also exercise the bail-outs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Document, isDocument, isMap, isNode, isPair, isScalar, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { fastParseDocument, fastParseStrict, PARSE_OPTIONS } from '../../server/src/engine/yaml/fast-parse';
import { splitDocuments } from '../../server/src/engine/yaml/split';
import { seeds } from '../fuzz/properties';

function canon(n: unknown): unknown {
  if (n === null || n === undefined) return n;
  if (isPair(n)) return { pair: [canon(n.key), canon(n.value)] };
  const node = n as { constructor: { name: string }; range?: number[]; flow?: boolean; tag?: string; anchor?: string; items?: unknown[] };
  const out: Record<string, unknown> = { class: node.constructor.name, range: node.range, tag: node.tag, anchor: node.anchor };
  if (isScalar(n)) {
    const s = n as unknown as { value: unknown; type?: string; source?: string; format?: string; minFractionDigits?: number };
    Object.assign(out, { value: Number.isNaN(s.value) ? 'NaN' : s.value, type: s.type, source: s.source, format: s.format, minFractionDigits: s.minFractionDigits });
  } else Object.assign(out, { flow: node.flow, items: (node.items ?? []).map(canon) });
  return out;
}

function docCanon(d: Document.Parsed): string {
  const options = { ...(d.options as Record<string, unknown>) };
  delete options._directives;
  return JSON.stringify({ contents: canon(d.contents), range: d.range, docStart: d.directives.docStart, options });
}

/** Undefined when the fast path agrees with parseDocument (or leaves the document to it); else what differs. */
function disagreement(text: string, fast = fastParseDocument(text)): string | undefined {
  if (!fast) return undefined;
  const ref = parseDocument(text, PARSE_OPTIONS);
  if (ref.errors.length) return `the fast path accepted a document yaml rejects: ${ref.errors[0]!.message.split('\n')[0]}`;
  const a = docCanon(ref);
  const b = docCanon(fast);
  if (a === b) return undefined;
  let i = 0;
  while (a[i] === b[i]) i++;
  return `yaml: …${a.slice(Math.max(0, i - 200), i + 80)}\nfast: …${b.slice(Math.max(0, i - 200), i + 80)}`;
}

const documents = seeds().flatMap((s) => splitDocuments(s.text).map((c) => ({ name: `${s.name}#${c.index}`, text: c.text })));

test('fast YAML path: every document of the examples and fixtures parses to the nodes yaml composes', () => {
  let fastBytes = 0;
  let bytes = 0;
  for (const d of documents) {
    const fast = fastParseDocument(d.text);
    assert.equal(disagreement(d.text, fast), undefined, d.name);
    bytes += d.text.length;
    if (fast) fastBytes += d.text.length;
  }
  // Most of what users write takes the fast path (a change that made it bail everywhere would pass the rest).
  assert.ok(fastBytes / bytes > 0.9, `only ${((100 * fastBytes) / bytes).toFixed(1)}% of the bytes took the fast path`);
});

const EDGE_CASES = [
  'a:\nb: 1\n', 'a:  \nb: 1\n', 'a:\n\n\nb: 1\n', 'a:\n', 'a: x', 'a:\n- x\n- \n- y', 'k:\n  - x\n  -\n  - y\n',
  'k: |\n  l1\n  l2\n\n\nz: 1\n', 'k: >-\n  l1\n  l2\n\n  l3\n', 'k: |+\n  a\n\n', 'k: |-\n  a\n\n\nz: 1', 'k: |+\n  a\n\n\nz: 1',
  'k: |\n  a', 'k: |+\n  a\n  \n   \nz: 1', 'k: |\n  x\n  # y\n # z\nb: 1', 'k: >\n  a\n   b\n', 'k: |2\n   a\n',
  'k: [a, "b",  c ]  # x\nz: {}\n', '- "x" \n- [a , b ]\n- []\n', 'k: {a: 1, b: "x" , c: {d: 2}, e: [1, {f: g}]}  # c\n',
  'k: { a: 1 }\n', 'k: {a: }\n', 'k: {a}\n', 'k: [a: b]\n', 'k: [a, ]\n', 'k: [a,\n  b]\n', 'k: [http://x:80/y, "q":1]\n',
  'a: 1 # c\n  # more\nb: 2', 'a: 1\n\n  # more\nb: 2', 'a: 1\n  # more\n\n  # m2\nb: 2', 'a:\n  b: 1\n  # c\nd: 2',
  'a:\n  - x\n  # c\nd: 2', 'a: [x]\n  # c\nb: 1', '- a\n  # c\n- b', 'a:\n  # c\n  b: 1', 'a: # c\n  b: 1\n', 'a:\n# c\n\nb: 1\n',
  'a:\n  b:\n    c: 1\n  # at2\nd: 2', 'a:\n  b:\n    c: 1\n# at0\nd: 2', 'a:\n  b:\n    c: 1\n # at1\nd: 2',
  'a:\n  b:\n    c: 1\n   # at3\n  e: 2', 'a:\n  b:\n    c: 1\n    # at4\n\n  e: 2', 'a:\n  b: 1\n# at0\n  e: 2', 'a:\n  b: 1\n# x\n',
  'a:\n  b: 1\n  # x\n', 'a:\n  b: 1\n   # x\n  # y\n', 'a:\n- b: 1\n # c\nd: 1', 'a:\n- x\n# c\nd: 1', 'a:\n- x\n  # c\nd: 1',
  'a:\n  {}\nb: 1\n', 'a:\n  x\nb: 1\n', 'a:\n  "x"\nb: 1\n', 'a :  1\nbb  : 2\n', 'a: "x\n  y  \n\n   z"\n', 'a: "x\ny"\n',
  'a: \'it\'\'s\'  \n', 'a: "x\\n\\"q\\u00e9\\\\\\x41\\U0001F600"\n', 'a: "bad \\q"\n', 'a: "x\\\n  y"\n', 'a: \'x\n  y\'\n',
  'a: 1.50\nb: 0x1F\nc: ~\nd: -.inf\ne: 1e3\nf: 0o17\ng: .NaN\nh: +12\ni: TRUE\nj: Null\nk: 010\nl: 1_000\n',
  '---\na: 1\n...\n', '---  # c\na: 1\n\n# t\n  \n', '# only\n', '---\n# c\n', '', '---\n', '--- a: 1\n', '%YAML 1.2\n---\na: 1\n',
  'a: b: c\n', 'a: - b\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n', '? a\n: b\n', 'a:\n  - - x\n', '- - x\n', 'a: b #c\n', 'a: b#c\n',
  'a: x\n  y\n', 'a: x\n\n  y\n', 'a: x\n  y  \n\n   z\nb: 1\n', 'a: x\n  y # c\nb: 1\n', '- x\n  y\n- z\n', 'a:\n  b: x\n    y\n  c: 1\n',
  'a: x\n  y: z\n', 'a: x\n  - y\n', 'a: x\n\n\n  y\n\n', 'k: x\n  y:z\n  #q\n', 'k: x\n  y:\n', 'k: 1\n  2\n', 'k: x\n  [y]\n', 'k: x #c\n  y\n', 'a: "x"\n  y\n', 'a:\n  b: 1\n c: 2\n', 'a:\n    b: 1\n  c: 2\n', '  a: 1\n', 'a: 1\n  b: 2\n',
  'a:\n  -   b: 1\n      c: 2\n', 'x:\n  -   m:\n    -   k: v\n', 'a: "x" y\n', 'a: [x] y\n', 'a: |\nb: 1\n', 'a: >\n\n  x\n',
  '"q": 1\n\'r\': 2\n', '"q" : 1\n', 'a:\tb\n', 'a: 1\r\nb: 2\r\n', '\ufeffa: 1\n', 'a: 1\n---\nb: 2\n', 'a:\n  - x\n  y: 1\n',
  'env:\n  - {name: a, value: "b"}\n  - {name: c}  # x\n', '- [a, b]\n- {}\n', '- {a: 1}: b\n', '{a: 1}: b\n', '[a]: b\n', 'k:\n  [a]: b\n',
  '- {a: 1}\n  b: 2\n', '- {a: 1} x\n', '- {a: 1\n', '- [a: 1]\n', 'k:\n  {a: 1}\n', 'k:\n  - {a: [1, {b: c}]}\n    # c\n  - x\n',
  'a: 1\n\ufeffb: 2\n', '  \n\ufeff# c\na: 1\n', 'a: @x\n', 'a: `x\n', 'a: ,x\n', 'a: %x\n', '- ? x\n', 'a: :x\n', 'a: -x\n', 'a: ?x\n', 'a: x:y\n', 'a: "x": y\n',
];

test('fast YAML path: edge cases agree with yaml or are left to it', () => {
  for (const text of EDGE_CASES) assert.equal(disagreement(text), undefined, JSON.stringify(text));
});

test("fast YAML path with yaml's default options (embedded serve configs): the same nodes, or left to yaml when those options find an error", () => {
  const dupes = ['a: 1\na: 2\n', 'a:\n  b: 1\n  b: x\n', 'k: {a: 1, a: 2}\n', '- x: 1\n  "x": 2\n', `${'k'.repeat(1100)}: 1\n`];
  for (const text of dupes) {
    assert.ok(fastParseDocument(text), JSON.stringify(text));
    assert.equal(fastParseStrict(text), undefined, JSON.stringify(text));
  }
  for (const text of [...EDGE_CASES, ...dupes, ...documents.map((d) => d.text)]) {
    const fast = fastParseStrict(text);
    if (!fast) continue;
    const ref = parseDocument(text);
    assert.deepEqual(ref.errors.map((e) => e.message), [], JSON.stringify(text));
    assert.equal(JSON.stringify(canon(fast.contents)), JSON.stringify(canon(ref.contents)), JSON.stringify(text));
  }
});

test("fast YAML path: its nodes behave as yaml's (type checks, instanceof, constructor, own fields, clone, toJS, toString)", () => {
  const text = 'a: 1\nb:\n  - x\n  - {c: "d", e: [1.50, true]}\nf: |\n  g\n';
  const fast = fastParseDocument(text)!;
  const ref = parseDocument(text, PARSE_OPTIONS);
  assert.deepEqual(fast.toJS(), ref.toJS());
  assert.equal(fast.toString(), ref.toString());
  const same = (x: unknown, y: unknown): void => {
    for (const is of [isNode, isPair, isScalar, isMap, isSeq] as ((n: unknown) => boolean)[]) assert.equal(is(x), is(y), is.name);
    const [a, b] = [x as { constructor: unknown; clone?: () => unknown }, y as { constructor: unknown; clone?: () => unknown }];
    assert.equal(a.constructor, b.constructor);
    assert.ok(x instanceof (b.constructor as new () => unknown));
    assert.deepEqual(Object.keys(a), Object.keys(b));
    if (isScalar(x) || isPair(x)) assert.equal(isScalar(a.clone!()), isScalar(y));
    if (isPair(x) && isPair(y)) {
      same(x.key, y.key);
      same(x.value, y.value);
    } else if ((isMap(x) || isSeq(x)) && (isMap(y) || isSeq(y))) x.items.forEach((item, i) => same(item, y.items[i]));
  };
  same(fast.contents, ref.contents);
  // The document and its collections share one schema (made once), equal to the one yaml makes per document.
  assert.ok(isDocument(fast) && fast instanceof Document);
  assert.deepEqual(Object.keys(fast), Object.keys(ref));
  assert.equal((fast.contents as unknown as { schema: unknown }).schema, fast.schema);
  assert.deepEqual(fast.schema.tags.map((t) => t.tag), ref.schema.tags.map((t) => t.tag));
  assert.equal(fastParseDocument(text)!.schema, fast.schema);
  assert.notEqual(fastParseDocument(text)!.options, fast.options);
  assert.deepEqual(fast.clone().toJS(), ref.clone().toJS());
  // yaml's editing API works on them as on yaml's own nodes.
  const [f, r] = [fast.clone(), ref.clone()];
  for (const d of [f, r]) {
    d.setIn(['b', 1, 'e', 0], 2);
    d.setIn(['h'], { i: [1, 'j'] });
    (d.get('b') as YAMLSeq).add('k');
  }
  assert.equal(f.toString(), r.toString());
});

test('fast YAML path: sequences of one-line flow maps (env lists) take it', () => {
  for (const text of ['env:\n  - {name: a, value: "b"}\n  - {name: c, value: d}\n', 'ports:\n- {containerPort: 8000}\n', 'a:\n  - [x, y]\n']) {
    assert.ok(fastParseDocument(text), JSON.stringify(text));
  }
});

type Mutation =
  | { op: 'insert'; line: number; indent: number; kind: 'comment' | 'blank' | 'spaces' | 'tail' }
  | { op: 'indent'; line: number; by: number }
  | { op: 'delete' | 'duplicate'; line: number }
  | { op: 'truncate'; at: number }
  | { op: 'char'; at: number; char: string }
  | { op: 'restyle'; line: number; style: 'single' | 'double' | 'flow' | 'next-line' | 'literal' | 'folded' | 'escape' | 'plain-lines' };

function mutate(text: string, mutations: Mutation[]): string {
  const lines = text.split('\n');
  const at = (n: number): number => n % Math.max(1, lines.length);
  for (const m of mutations) {
    if (m.op === 'truncate') return lines.join('\n').slice(0, m.at % (lines.join('\n').length + 1));
    if (m.op === 'char') {
      const joined = lines.join('\n');
      const at = m.at % (joined.length + 1);
      lines.splice(0, lines.length, ...(joined.slice(0, at) + m.char + joined.slice(at)).split('\n'));
      continue;
    }
    const i = at(m.line);
    const line = lines[i] ?? '';
    if (m.op === 'insert') {
      const pad = ' '.repeat(m.indent);
      if (m.kind === 'tail') lines[i] = `${line} # note`;
      else lines.splice(i, 0, m.kind === 'comment' ? `${pad}# c: - x` : m.kind === 'spaces' ? pad : '');
    } else if (m.op === 'indent') lines[i] = m.by > 0 ? ' '.repeat(m.by) + line : line.slice(Math.min(-m.by, line.length - line.trimStart().length));
    else if (m.op === 'delete') lines.splice(i, 1);
    else if (m.op === 'duplicate') lines.splice(i, 0, line);
    else if (m.op === 'restyle') {
      const kv = /^(\s*(?:- )?[\w./-]+:) (\S.*)$/.exec(line);
      if (!kv) continue;
      const [, key, value] = kv as unknown as [string, string, string];
      const ind = ' '.repeat(key.length - key.trimStart().length + 2);
      const quoted = value.replace(/['"]/g, '');
      lines[i] =
        m.style === 'single' ? `${key} '${quoted.replace(/ /g, "'' ")}'`
        : m.style === 'double' ? `${key} "${quoted}\n${ind}  more"`
        : m.style === 'escape' ? `${key} "${quoted}\\t\\u263A\\""`
        : m.style === 'flow' ? `${key} [${quoted}, {k: "${quoted}"}, []]`
        : m.style === 'next-line' ? `${key}\n${ind}${value}`
        : m.style === 'plain-lines' ? `${key} ${quoted}\n${ind}${quoted}  \n\n${ind} - ${quoted} x`
        : `${key} ${m.style === 'literal' ? '|-' : '>'}\n${ind}${quoted}\n\n${ind}${quoted}`;
    }
  }
  return lines.join('\n');
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('insert' as const), line: fc.nat(400), indent: fc.nat(14), kind: fc.constantFrom('comment' as const, 'blank' as const, 'spaces' as const, 'tail' as const) }),
  fc.record({ op: fc.constant('indent' as const), line: fc.nat(400), by: fc.integer({ min: -4, max: 4 }) }),
  fc.record({ op: fc.constantFrom('delete' as const, 'duplicate' as const), line: fc.nat(400) }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat(20000) }),
  fc.record({
    op: fc.constant('char' as const),
    at: fc.nat(20000),
    char: fc.constantFrom('\u0000', '\u0007', '\u0085', '\u2028', '\ufeff', '\u00a0', ':', ': ', ' #', '#', '"', "'", '- ', '?', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '%', '@', '`', '\\', ' ', '  ', '\t', '\n', '\n\n', '---\n', '...\n', 'é', '😀'),
  }),
  fc.record({ op: fc.constant('restyle' as const), line: fc.nat(400), style: fc.constantFrom('single' as const, 'double' as const, 'flow' as const, 'next-line' as const, 'literal' as const, 'folded' as const, 'escape' as const, 'plain-lines' as const) }),
);

test('fast YAML path: 3,000 seeded mutations of fixture documents agree with yaml or are left to it', () => {
  const docs = documents.filter((d) => d.text.length < 20000);
  fc.assert(
    fc.property(fc.nat(docs.length - 1), fc.array(mutation, { minLength: 1, maxLength: 6 }), (i, ms) => {
      const text = mutate(docs[i]!.text, ms);
      const why = disagreement(text);
      if (why && process.env.FAST_PARSE_DEBUG) console.error(docs[i]!.name, JSON.stringify(ms), JSON.stringify(text), why);
      if (why) throw new Error(`${docs[i]!.name} mutated by ${JSON.stringify(ms)}:\n${JSON.stringify(text)}\n${why}`);
    }),
    { numRuns: Number(process.env.FAST_PARSE_RUNS) || 3000, seed: Number(process.env.FAST_PARSE_SEED) || 20261201, endOnFailure: true, verbose: 1 },
  );
});

test('fast YAML path: a document yaml would reject never takes it (bails are not errors)', () => {
  for (const text of ['a: b: c\n', 'a:\n  b: 1\n c: 2\n', 'a: "x" y\n', 'a:\n  - x\n  y: 1\n', 'a: x\n  y: z\n']) {
    assert.ok(parseDocument(text, PARSE_OPTIONS).errors.length > 0, text);
    assert.equal(fastParseDocument(text), undefined, text);
  }
  // Nesting deeper than the stack: left to yaml, never a throw.
  let deep = '';
  for (let i = 0; i < 2000; i++) deep += `${' '.repeat(i)}k${i}:\n`;
  assert.doesNotThrow(() => fastParseDocument(deep));
  // Long lines and documents: every search is bounded by its line (no quadratic scan).
  const big = Array.from({ length: 20000 }, (_, i) => `k${i}: "v${i}"`).join('\n');
  assert.ok(fastParseDocument(big));
});
