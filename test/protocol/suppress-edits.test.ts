/** The "disable for this workload / line" edits on every metadata shape, checked against the engine. */
import { strict as assert } from 'node:assert';
import { it } from 'node:test';
import { applyEdits, createLinter } from '../../server/src';
import { disableForLineEdit, disableForWorkloadEdit } from '../../server/src/lsp/suppressEdits';
import { GRACE_RULE, VLLM_DEFAULT_GRACE } from './helpers/fixtures';

const linter = createLinter();
const has = (text: string): boolean => linter.lint(text).findings.some((f) => f.rule === GRACE_RULE);
const METADATA = 'metadata:\n  name: llama-3-1-8b\n  namespace: inference\n';

function silence(text: string): string {
  const finding = linter.lint(text).findings.find((f) => f.rule === GRACE_RULE);
  assert.ok(finding, 'rule fires before the edit');
  const w = linter.lint(text).workloads[0]!;
  const edit = disableForWorkloadEdit(text, w.documentRange, GRACE_RULE);
  assert.ok(edit, 'an edit for this shape');
  const out = applyEdits(text, [edit]);
  assert.ok(!has(out), `rule still fires after:\n${out}`);
  return out;
}

const variants: Record<string, string> = {
  'block metadata without annotations': METADATA,
  'existing block annotations': 'metadata:\n  name: llama-3-1-8b\n  annotations:\n    team: ml\n  namespace: inference\n',
  'empty annotations key': 'metadata:\n  name: llama-3-1-8b\n  annotations:\n  namespace: inference\n',
  'flow annotations {}': 'metadata:\n  name: llama-3-1-8b\n  annotations: {}\n',
  'flow annotations with items': 'metadata:\n  name: llama-3-1-8b\n  annotations: {team: ml}\n',
  'flow metadata': 'metadata: {name: llama-3-1-8b, namespace: inference}\n',
  'no metadata at all': '',
};

for (const [name, meta] of Object.entries(variants)) {
  it(`disable for this workload: ${name}`, () => {
    const text = VLLM_DEFAULT_GRACE.replace(METADATA, meta);
    assert.ok(meta === METADATA || text !== VLLM_DEFAULT_GRACE);
    const out = silence(text);
    assert.match(out, /ignore-check\.servelint\.io\/grace-period-truncates-generations: "reason: TODO"/);
  });
}

it('disable for this workload targets the right document of a multi-document file', () => {
  const text = `apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n---\n${VLLM_DEFAULT_GRACE}`;
  const out = silence(text);
  assert.ok(out.startsWith('apiVersion: v1\nkind: Service\nmetadata:\n  name: svc\n---\n'), 'first document untouched');
});

it('disable for this line inserts a comment with the same indentation', () => {
  const f = linter.lint(VLLM_DEFAULT_GRACE).findings.find((x) => x.rule === GRACE_RULE)!;
  const out = applyEdits(VLLM_DEFAULT_GRACE, [disableForLineEdit(VLLM_DEFAULT_GRACE, f.range.start, GRACE_RULE)]);
  assert.match(out, /\n {8}# servelint-disable-next-line grace-period-truncates-generations\n {8}- name: vllm\n/);
  assert.ok(!has(out));
});
