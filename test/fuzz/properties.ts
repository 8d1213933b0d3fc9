/**
 * The fuzzer's inputs and properties, shared by the short seeded sample in `npm test` (test/unit/fuzz.test.ts) and the
 * long run (`npm run fuzz -- --cases 100000`, test/fuzz/run.ts). Inputs are mutations of real manifests (the
 * repository's examples and fixtures, and ../shared/corpus when present): type swaps, huge / negative / zero numbers,
 * unicode, BOM, CRLF, deep nesting, alias bombs, truncation, random bytes. Properties: no exception, ranges inside
 * the text, no NaN / Infinity / negative quantity in any message, hover, cost figure or fix, and every preferred fix
 * converges (re-linting clears that finding) and keeps the YAML valid.
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { isScalar, parseAllDocuments, visit, type Document, type Scalar } from 'yaml';
import { applyEdits, createLinter, type Finding, type LintResult } from '../../server/src';

const ROOT = path.join(__dirname, '..', '..', '..');

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(e.name) && !e.name.endsWith('.fixed.yaml') ? [p] : [];
  });
}

/** Seed manifests: examples and fixtures (always), and the shared corpus when `withCorpus` and it exists. */
export function seeds(withCorpus = false): { name: string; text: string }[] {
  const files = [...yamlFiles(path.join(ROOT, 'examples')), ...yamlFiles(path.join(ROOT, 'test', 'kinds')), ...yamlFiles(path.join(ROOT, 'test', 'rules'))];
  if (withCorpus) files.push(...yamlFiles(path.join(ROOT, '..', 'shared', 'corpus')));
  return files.map((f) => ({ name: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') })).filter((s) => s.text.length < 200_000);
}

const NUMBERS = [0, -1, -3, 1e308, -1e308, 1e20, 0.5, -0.5, 2 ** 31, 2 ** 53 + 1, 1e-9, 7.5];
const STRINGS = ['', 'four', '1e308', '-0.5', 'NaN', 'Infinity', '25 percent', '150%', '-25%', '日本語', '\u202e', '$(VAR)', '{{ .Values.x }}', 'a'.repeat(300)];

export type Mutation =
  | { op: 'scalar'; at: number; value: number | string | boolean | null }
  | { op: 'collection'; at: number; kind: 'seq' | 'map' }
  | { op: 'flag'; at: number; flag: string; value: string }
  | { op: 'text'; kind: 'bom' | 'crlf' | 'truncate' | 'bytes' | 'nest' | 'aliasBomb' | 'utf16'; at: number };

const FLAGS = ['--gpu-memory-utilization', '--max-model-len', '--tensor-parallel-size', '--max-num-seqs', '--port', '--max-total-tokens', '--nnodes'];

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('scalar' as const), at: fc.nat(), value: fc.oneof(fc.constantFrom(...NUMBERS), fc.constantFrom(...STRINGS), fc.boolean(), fc.constant(null), fc.integer(), fc.double({ noNaN: true })) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('collection' as const), at: fc.nat(), kind: fc.constantFrom('seq' as const, 'map' as const) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('flag' as const), at: fc.nat(), flag: fc.constantFrom(...FLAGS), value: fc.constantFrom('-0.5', '0', '1e308', '-1', '2.5', 'abc', '99999999999') }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('text' as const), kind: fc.constantFrom('bom' as const, 'crlf' as const, 'truncate' as const, 'bytes' as const, 'nest' as const, 'aliasBomb' as const, 'utf16' as const), at: fc.nat() }) },
);

function mutateText(text: string, m: Extract<Mutation, { op: 'text' }>): string {
  switch (m.kind) {
    case 'bom': return '\ufeff' + text;
    case 'crlf': return text.replace(/\r?\n/g, '\r\n');
    case 'truncate': return text.slice(0, m.at % (text.length + 1));
    case 'bytes': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + String.fromCharCode(...Array.from({ length: 8 }, (_, i) => (m.at * 31 + i * 17) % 0x2fff)) + text.slice(at);
    }
    case 'nest': return text + '\ndeep: ' + '['.repeat(200 + (m.at % 300)) + ']'.repeat(200 + (m.at % 300)) + '\n';
    case 'aliasBomb': return text + '\n---\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n';
    case 'utf16': return Buffer.from(text, 'utf16le').toString('latin1');
  }
}

/** Apply mutations to a manifest: scalar and collection swaps through the YAML AST, flags inside args, text-level damage. */
export function mutate(text: string, mutations: Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    if (m.op === 'text') {
      out = mutateText(out, m);
      continue;
    }
    const docs = parseAllDocuments(out, { keepSourceTokens: false, uniqueKeys: false, strict: false });
    if (!Array.isArray(docs) || docs.some((d) => d.errors.length)) continue;
    const scalars: { doc: Document; node: Scalar }[] = [];
    for (const doc of docs) visit(doc, { Scalar(_k, node, path) { if (path.length > 1 && isScalar(node)) scalars.push({ doc, node }); } });
    if (!scalars.length) continue;
    let target = scalars[m.at % scalars.length]!;
    if (m.op === 'flag') {
      const args = scalars.filter((x) => typeof x.node.value === 'string' && /^--?[a-z]/.test(String(x.node.value)));
      if (args.length) target = args[m.at % args.length]!;
    }
    const d = target.doc;
    const replacement = m.op === 'scalar' ? d.createNode(m.value) : m.op === 'collection' ? d.createNode(m.kind === 'seq' ? ['x', 1] : { a: 1 }) : d.createNode(`${m.flag}=${m.value}`);
    visit(d, { Scalar(_k, node) { return node === target.node ? replacement : undefined; } });
    try {
      out = docs.map((x) => x.toString({ lineWidth: 0 })).join('');
    } catch {
      // A document the yaml package cannot print back (an alias without anchor): keep the text as it was.
    }
  }
  return out;
}

/** A computed quantity that cannot be: NaN or Infinity with a unit, a negative amount ("$-9.00", "-40 GB", "~-3 s"). Quoted manifest text ("got Infinity") is not flagged. */
const IMPOSSIBLE = /(?:\bNaN|Infinity)\s*(?:GB|MB|s\b|min|h\b|%|GPUs?|TPU|replicas?|tokens?|\/|chips?|×)|\$\s*(?:NaN|Infinity|-\d)|(?:^|[\s(~≈×])-\d[\d,.]*\s*(?:GB|MB|s\b|min|h\b|%|GPUs?|TPU|replicas?|tokens?\b|\/)/;

/** Numbers and strings of a report; `own` hides the manifest's own text (a label value "-25%" echoed as a GPU candidate). */
function checkNumbers(where: string, value: unknown, problems: string[], own: (s: string) => string = (s) => s, depth = 0): void {
  if (depth > 8 || value === null || value === undefined) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) problems.push(`${where} is ${value}`);
    else if (value < 0) problems.push(`${where} is negative (${value})`);
    return;
  }
  if (typeof value === 'string') {
    if (IMPOSSIBLE.test(own(value))) problems.push(`${where}: ${JSON.stringify(IMPOSSIBLE.exec(value)?.[0])} in ${JSON.stringify(value.slice(0, 160))}`);
    return;
  }
  if (Array.isArray(value)) value.forEach((v, i) => checkNumbers(`${where}[${i}]`, v, problems, own, depth + 1));
  else if (typeof value === 'object') for (const [k, v] of Object.entries(value as Record<string, unknown>)) checkNumbers(`${where}.${k}`, v, problems, own, depth + 1);
}

const key = (f: Finding): string => `${f.rule}|${f.object?.kind}/${f.object?.name}`;

/** Every property on one input; returns the problems found (empty: the input passes). `injected`: values the
 * mutations wrote into the manifest, which messages may quote (an image called "-25%" is not a computed quantity). */
export function checkInput(text: string, linter = createLinter(), injected: string[] = []): string[] {
  const quoted = injected.filter((v) => v.length > 0).sort((a, b) => b.length - a.length);
  const own = (s: string): string => quoted.reduce((acc, v) => acc.split(v).join('«manifest»'), s);
  const problems: string[] = [];
  let result: LintResult;
  try {
    result = linter.lint(text);
  } catch (e) {
    return [`lint threw: ${(e as Error).stack ?? e}`];
  }
  for (const f of result.findings) {
    if (f.range.start < 0 || f.range.end > text.length || f.range.start > f.range.end) problems.push(`${f.rule}: range ${f.range.start}-${f.range.end} outside the text (${text.length})`);
    if (f.rule === 'internal-error') problems.push(`internal-error: ${f.message}`);
    // invalid-value quotes the manifest's own (impossible) value on purpose.
    if (f.rule !== 'invalid-value' && IMPOSSIBLE.test(own(f.message))) problems.push(`${f.rule} message: ${JSON.stringify(IMPOSSIBLE.exec(f.message)?.[0])} in ${f.message.slice(0, 200)}`);
    for (const fix of f.fixes ?? []) {
      for (const e of fix.edits) {
        if (e.start < 0 || e.end > text.length || e.start > e.end) problems.push(`${f.rule} fix "${fix.title}": edit outside the text`);
        if (IMPOSSIBLE.test(own(e.newText)) || /\bNaN\b|Infinity|: -\d/.test(own(e.newText))) problems.push(`${f.rule} fix "${fix.title}" writes ${JSON.stringify(e.newText.slice(0, 120))}`);
      }
    }
  }
  for (const w of result.workloads) {
    try {
      checkNumbers(`${w.object.kind}/${w.object.name} cost`, w.cost, problems, own);
      checkNumbers(`${w.object.kind}/${w.object.name} rollout`, w.rollout, problems, own);
      for (const h of w.hovers) {
        if (IMPOSSIBLE.test(own(h.markdown))) problems.push(`hover ${h.topic}: ${JSON.stringify(IMPOSSIBLE.exec(h.markdown)?.[0])}`);
        if (h.range.start < 0 || h.range.end > text.length) problems.push(`hover ${h.topic}: range outside the text`);
      }
    } catch (e) {
      problems.push(`report threw: ${(e as Error).stack ?? e}`);
    }
  }
  // Every preferred fix converges: applied alone, it clears its finding (one fewer of that rule on that object) and
  // keeps the YAML parsing.
  const invalidBefore = result.findings.filter((f) => f.rule === 'invalid-yaml').length;
  for (const f of result.findings) {
    const fix = f.fixes?.find((x) => x.isPreferred);
    if (!fix) continue;
    const fixed = applyEdits(text, fix.edits);
    let after: LintResult;
    try {
      after = linter.lint(fixed);
    } catch (e) {
      problems.push(`lint after fix "${fix.title}" threw: ${(e as Error).message}`);
      continue;
    }
    const count = (r: LintResult): number => r.findings.filter((x) => key(x) === key(f)).length;
    if (count(after) >= count(result)) problems.push(`${f.rule} fix "${fix.title}" does not clear its finding`);
    if (after.findings.filter((x) => x.rule === 'invalid-yaml').length > invalidBefore) problems.push(`${f.rule} fix "${fix.title}" breaks the YAML`);
  }
  return problems;
}

/** The property fast-check runs: a seed manifest, mutated. */
export function property(seedList: { name: string; text: string }[]): fc.IPropertyWithHooks<[number, Mutation[]]> {
  const linter = createLinter();
  return fc.property(fc.nat(seedList.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (i, mutations) => {
    const input = mutate(seedList[i]!.text, mutations);
    const problems = checkInput(input, linter, injectedValues(mutations));
    if (problems.length) throw new Error(`${seedList[i]!.name} + ${JSON.stringify(mutations)}:\n  ${problems.slice(0, 5).join('\n  ')}`);
  });
}

/** The string forms of the values mutations wrote (what messages may quote back). */
export function injectedValues(mutations: Mutation[]): string[] {
  return mutations.flatMap((m) => (m.op === 'scalar' && m.value !== null ? [String(m.value)] : m.op === 'flag' ? [m.value] : []));
}
