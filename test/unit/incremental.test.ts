/**
 * The language server's incremental lint (re-split only around an edit, reuse every other document's parse, results
 * and findings with shifted offsets) gives what a from-scratch lint of the edited text gives, over random edit
 * sequences, including edits that type or remove `---` and that change cross-document relations (PDB, HPA).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createLinter, ALL_RULES, type Linter } from '../../server/src';
import type { LintResult } from '../../server/src/engine/api';
import { LineIndex } from '../../server/src/engine/positions';
import { resplitDocuments, splitDocuments, type DocumentChunk } from '../../server/src/engine/yaml/split';
import { MULTIDOC, span } from '../protocol/helpers/multidoc';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Everything a front end reads: findings with their fixes, workload reports with their hovers. */
function snapshot(r: LintResult): string {
  return JSON.stringify({
    findings: r.findings,
    suppressed: r.suppressed,
    objectCount: r.objectCount,
    workloads: r.workloads.map((w) => ({ object: w.object, kindRange: w.kindRange, documentRange: w.documentRange, model: w.model, replicas: w.replicas, hovers: w.hovers, rollout: w.rollout })),
  });
}

/** Replays edits the way the language server sees them: a few edits between lints, each narrowing the untouched ends. */
class Session {
  text: string;
  chunks: DocumentChunk[];
  private prefix = Infinity;
  private suffix = Infinity;
  constructor(readonly linter: Linter, text: string) {
    this.text = text;
    this.chunks = splitDocuments(text);
    linter.lint(text, {}, this.chunks);
  }
  edit(e: Edit): void {
    const start = Math.min(e.start, this.text.length);
    const end = Math.min(Math.max(start, e.end), this.text.length);
    this.prefix = Math.min(this.prefix, start);
    this.suffix = Math.min(this.suffix, this.text.length - end);
    this.text = this.text.slice(0, start) + e.text + this.text.slice(end);
  }
  lint(previousLength: number): LintResult {
    const prefix = Math.min(this.prefix, previousLength, this.text.length);
    const suffix = Math.min(this.suffix, previousLength - prefix, this.text.length - prefix);
    this.chunks = resplitDocuments(this.chunks, this.text, prefix, suffix);
    this.prefix = this.suffix = Infinity;
    return this.linter.lint(this.text, {}, this.chunks);
  }
}

const fresh = (text: string): LintResult => createLinter(ALL_RULES).lint(text);

/** An edit described independently of the text it lands in (resolved when applied). */
type EditSpec = { at: number; len: number; text: string } | { needle: string; replacement: string };

function resolve(spec: EditSpec, text: string): Edit {
  if ('at' in spec) return { start: spec.at % (text.length + 1), end: (spec.at % (text.length + 1)) + spec.len, text: spec.text };
  const i = text.indexOf(spec.needle);
  return i < 0 ? { start: 0, end: 0, text: '' } : { start: i, end: i + spec.needle.length, text: spec.replacement };
}

/** Edits that matter here: document markers, line breaks, relation fields, and arbitrary small replacements. */
const editArb: fc.Arbitrary<EditSpec> = fc.oneof(
  fc.record({ at: fc.nat({ max: 4000 }), len: fc.nat({ max: 40 }), text: fc.constantFrom('', 'x', '\n', ' ', '---\n', '\n---\n', '...\n', ': ', '- ', '"', '{{ x }}', '# servelint-disable\n') }),
  fc.record({
    needle: fc.constantFrom('minReplicas: 2', 'maxUnavailable: "0%"', 'replicas: 3', 'app: llm\n---', 'name: llm\nspec:\n  scaleTargetRef', '---\n'),
    replacement: fc.constantFrom('', 'minReplicas: 5', 'maxUnavailable: 1', 'replicas: 1', 'app: other', 'x', '---\n---\n'),
  }),
);

test('resplitDocuments agrees with splitDocuments around any edit', () => {
  fc.assert(
    fc.property(fc.nat({ max: MULTIDOC.length }), fc.nat({ max: 30 }), fc.constantFrom('', 'x', '\n', '---\n', '\n---', '...\n', '---'), (start, len, insert) => {
      const end = Math.min(MULTIDOC.length, start + len);
      const text = MULTIDOC.slice(0, start) + insert + MULTIDOC.slice(end);
      const got = resplitDocuments(splitDocuments(MULTIDOC), text, start, MULTIDOC.length - end);
      assert.deepEqual(got, splitDocuments(text));
    }),
    { numRuns: 500, seed: 20261201 },
  );
});

test('LineIndex.afterEdit agrees with a new LineIndex of the edited text', () => {
  const textArb = fc.array(fc.constantFrom('a', 'b', '\n', '\r\n'), { maxLength: 60 }).map((xs) => xs.join(''));
  fc.assert(
    fc.property(textArb, fc.nat(), fc.nat({ max: 10 }), textArb, (old, at, len, insert) => {
      const start = at % (old.length + 1);
      const end = Math.min(old.length, start + len);
      const text = old.slice(0, start) + insert + old.slice(end);
      const got = LineIndex.afterEdit(new LineIndex(old), text, start, old.length - end);
      const want = new LineIndex(text);
      for (let o = 0; o <= text.length; o++) assert.deepEqual(got.position(o), want.position(o));
      for (let line = 0; line < 12; line++) assert.equal(got.offset(line, 1), want.offset(line, 1));
    }),
    { numRuns: 500, seed: 20261201 },
  );
});

test('incremental lint over random edit sequences equals a from-scratch lint of the same text', () => {
  fc.assert(
    fc.property(fc.array(fc.array(editArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 6 }), (batches) => {
      const s = new Session(createLinter(ALL_RULES), MULTIDOC);
      for (const batch of batches) {
        const before = s.text.length;
        for (const spec of batch) s.edit(resolve(spec, s.text));
        assert.equal(snapshot(s.lint(before)), snapshot(fresh(s.text)), `after edits, text:\n${s.text}`);
      }
    }),
    { numRuns: 150, seed: 20261201 },
  );
});

test('deleting the PDB, changing the HPA and splitting / joining documents re-report the workloads that depend on them', () => {
  const s = new Session(createLinter(ALL_RULES), MULTIDOC);
  const steps: ((t: string) => Edit)[] = [
    (t) => ({ ...span(t, 'minReplicas: 2'), text: 'minReplicas: 4' }),
    (t) => ({ ...span(t, 'maxUnavailable: "0%"'), text: 'maxUnavailable: 1' }),
    (t) => ({ ...span(t, 'apiVersion: policy/v1'), text: '---\napiVersion: policy/v1' }),
    (t) => ({ ...span(t, '---\n---\n'), text: '---\n' }),
    (t) => ({ start: span(t, 'apiVersion: policy/v1').start - 4, end: span(t, 'apiVersion: autoscaling/v2').start, text: '' }),
    // That joined the HPA to the Deployment's document: split them again.
    (t) => ({ ...span(t, 'apiVersion: autoscaling/v2'), text: '---\napiVersion: autoscaling/v2' }),
  ];
  for (const step of steps) {
    const before = s.text.length;
    s.edit(step(s.text));
    assert.equal(snapshot(s.lint(before)), snapshot(fresh(s.text)), s.text);
  }
  // The PDB is gone: its finding went with it.
  assert.ok(!fresh(s.text).findings.some((f) => f.rule === 'disruption-budget-blocks-drain'));
});

test('an edit inside one document re-parses only that document', () => {
  const linter = createLinter(ALL_RULES);
  const s = new Session(linter, MULTIDOC);
  const parses = linter.parseCount;
  const before = s.text.length;
  s.edit({ ...span(s.text, 'replicas: 1'), text: 'replicas: 2' });
  s.lint(before);
  assert.equal(linter.parseCount - parses, 1);
});
