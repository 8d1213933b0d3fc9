/** The speed-ups keep results identical: linear edit application, cached number formatters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEdits } from '../../server/src/engine/fixes';
import { formatEnUs } from '../../server/src/engine/numfmt';
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
