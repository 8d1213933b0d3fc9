/**
 * Every fix, applied alone, on the examples and on the real manifests of ../shared/corpus (when it is beside the
 * repository, as in CI): the finding it addresses goes away on re-lint, the YAML stays valid and comments stay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { createLinter, applyEdits, type Finding, type Linter } from '../../server/src';

const ROOT = path.resolve(__dirname, '../../..');

function yamlFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? yamlFiles(path.join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [path.join(dir, e.name)] : []));
}

const key = (f: Finding): string => `${f.rule}|${f.object?.kind}/${f.object?.name}`;
const comments = (t: string): number => t.split('\n').filter((l) => /^\s*#/.test(l)).length;

function checkFile(file: string, linter: Linter): number {
  const text = fs.readFileSync(file, 'utf8');
  const before = linter.lint(text);
  let applied = 0;
  for (const f of before.findings) {
    for (const fix of f.fixes ?? []) {
      const fixed = applyEdits(text, fix.edits);
      const after = linter.lint(fixed);
      const where = `${path.relative(ROOT, file)}: ${f.rule} "${fix.title}"`;
      assert.equal(after.findings.filter((x) => x.rule === 'invalid-yaml').length, before.findings.filter((x) => x.rule === 'invalid-yaml').length, `${where} broke the YAML`);
      const count = (r: Finding[]): number => r.filter((x) => key(x) === key(f)).length;
      assert.ok(count(after.findings) < count(before.findings), `${where} did not clear the finding`);
      assert.ok(comments(fixed) >= comments(text), `${where} lost comments`);
      assert.ok(after.findings.length <= before.findings.length + 1, `${where} added findings`);
      applied++;
    }
  }
  return applied;
}

test('every fix clears its finding on the examples', () => {
  const linter = createLinter();
  const n = yamlFiles(path.join(ROOT, 'examples')).reduce((sum, f) => sum + checkFile(f, linter), 0);
  assert.ok(n >= 8, `only ${n} fixes applied`);
});

test('every fix clears its finding on the real manifests in ../shared/corpus', (t) => {
  const corpus = path.resolve(ROOT, '../shared/corpus');
  const files = yamlFiles(corpus);
  if (files.length === 0) {
    t.diagnostic(`no corpus at ${corpus}: only the examples were checked`);
    return;
  }
  const linter = createLinter();
  const n = files.reduce((sum, f) => sum + checkFile(f, linter), 0);
  t.diagnostic(`${n} fixes applied and re-linted on ${files.length} corpus files`);
  assert.ok(n > 100, `only ${n} fixes applied`);
});
