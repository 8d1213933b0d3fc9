/** The speed-ups keep results identical: linear edit application, cached number formatters, shared lazy getters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine/fixes';
import { formatEnUs } from '../../server/src/engine/numfmt';
import { lazy } from '../../server/src/engine/report';
import { createLinter, ALL_RULES } from '../../server/src';
import { cliLinter } from '../../server/src/cli/lint-file';
import type { TextEdit } from '../../server/src/engine/types';

/** The former implementation: every edit applied from the end of the text. */
function applyFromEndReference(text: string, edits: TextEdit[]): string {
  const sorted = edits.map((e, i) => ({ e, i })).sort((a, b) => b.e.start - a.e.start || b.e.end - a.e.end || b.i - a.i);
  let out = text;
  for (const { e } of sorted) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

test('applyEdits gives the text the edit-from-the-end implementation gave (inserts at one position, replacements, overlaps)', () => {
  const rnd = random(7);
  const text = 'abcdefghijklmnopqrstuvwxyz0123456789\n'.repeat(4);
  for (let round = 0; round < 2000; round++) {
    const edits: TextEdit[] = [];
    const n = Math.floor(rnd() * 6);
    for (let k = 0; k < n; k++) {
      const start = Math.floor(rnd() * text.length);
      const len = rnd() < 0.4 ? 0 : Math.floor(rnd() * 5);
      edits.push({ start, end: Math.min(text.length, start + len), newText: rnd() < 0.3 ? '' : `<${round}.${k}>` });
    }
    assert.equal(applyEdits(text, edits), applyFromEndReference(text, edits), JSON.stringify(edits));
  }
});

test('formatEnUs formats as toLocaleString("en-US") does', () => {
  for (const x of [0, 1, 0.5, 1234.5678, 1e6, 123456789.125, -42.4242, 0.005]) {
    assert.equal(formatEnUs(x), x.toLocaleString('en-US'));
    for (const [min, max] of [[2, 2], [0, 0], [0, 1], [0, 3]] as const) {
      assert.equal(formatEnUs(x, min, max), x.toLocaleString('en-US', { minimumFractionDigits: min, maximumFractionDigits: max }));
    }
  }
});

test('lazy() fields: computed once on first read, enumerable like data, one getter shared by every object', () => {
  let calls = 0;
  const make = (n: number): { id: number; cost?: number } => {
    const o: { id: number; cost?: number } = { id: n };
    lazy(o, 'cost', () => (calls++, n * 10));
    return o;
  };
  const a = make(1);
  const b = make(2);
  assert.equal(calls, 0);
  assert.deepEqual(Object.keys(a), ['id', 'cost']);
  assert.equal(a.cost, 10);
  assert.equal(a.cost, 10);
  assert.equal(calls, 1);
  assert.equal(JSON.stringify(b), '{"id":2,"cost":20}');
  assert.deepEqual({ ...a }, { id: 1, cost: 10 });
  assert.equal(Object.getOwnPropertySymbols({ ...a }).length, 0);
  // A getter closure per object gives each object a hidden class of its own, which V8 keeps in the old generation
  // with everything the closure captured until the next full collection (report.ts): the getter must be shared.
  assert.equal(Object.getOwnPropertyDescriptor(a, 'cost')!.get, Object.getOwnPropertyDescriptor(b, 'cost')!.get);
  // A compute that throws is not kept: the next read computes again.
  let tries = 0;
  const c: { cost?: number } = {};
  lazy(c, 'cost', () => {
    if (++tries === 1) throw new Error('first read fails');
    return 7;
  });
  assert.throws(() => c.cost, /first read fails/);
  assert.equal(c.cost, 7);
});

test("the CLI's linter keeps no document between lints, and lints a repeated document as before", () => {
  const doc = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: m}\nspec:\n  template:\n    spec:\n      containers:\n        - name: vllm\n          image: vllm/vllm-openai:v0.8.5\n          args: [--model, meta-llama/Llama-3.1-8B-Instruct]\n          resources: {limits: {nvidia.com/gpu: 1}}\n';
  const cli = cliLinter(ALL_RULES, { cost: true, rollout: true });
  const keeping = createLinter(ALL_RULES);
  for (const text of [doc, `${doc}---\n${doc}`, doc]) {
    const a = cli.lint(text);
    assert.equal(cli.cacheSize, 0);
    assert.deepEqual(a.findings.map((f) => [f.rule, f.range, f.message]), keeping.lint(text).findings.map((f) => [f.rule, f.range, f.message]));
  }
});
