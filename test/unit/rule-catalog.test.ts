/** Rule metadata is the single source: README's rule table and the config schema's rule entries are generated from it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { clientRuleSettings, ruleCatalog, ruleTable, schemaRuleEntries, TABLE_END, TABLE_START } from '../../server/src/rules/catalog';
import { ALL_RULES, allRules, interpolate } from '../../server/src';

const ROOT = path.join(__dirname, '..', '..', '..');

test('README rule table is the one generated from rule metadata (node scripts/gen-rule-catalog.mjs)', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  assert.ok(start >= 0 && end > start, 'README.md has the rules:start / rules:end markers');
  assert.equal(readme.slice(start + TABLE_START.length, end).trim(), ruleTable());
});

test('config schema rule entries are the ones generated from rule metadata', () => {
  const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schemas', 'servelint-config.schema.json'), 'utf8'));
  assert.deepEqual(schema.properties.rules.properties, schemaRuleEntries());
});

test("the VS Code extension's rule settings are the ones generated from rule metadata", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'client', 'package.json'), 'utf8'));
  assert.deepEqual(pkg.contributes.configuration.properties['servelint.rules'].properties, clientRuleSettings());
});

test('every rule has complete metadata: unique id, messages, needs, fix description iff fixable', () => {
  const ids = new Set<string>();
  for (const m of ruleCatalog()) {
    assert.ok(!ids.has(m.id), `duplicate rule id ${m.id}`);
    ids.add(m.id);
    assert.match(m.id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(m.description.length > 20 && m.docs.catches.length > 5, `${m.id}: description and docs.catches`);
    assert.equal(m.fixable, m.docs.fix !== undefined, `${m.id}: docs.fix is given exactly when the rule is fixable`);
  }
  for (const r of ALL_RULES) {
    assert.ok(Object.keys(r.meta.messages).length > 0, `${r.meta.id} declares its messages`);
    for (const [id, template] of Object.entries(r.meta.messages)) {
      assert.ok(/\{\{\w+\}\}|^[^{]*$/.test(template), `${r.meta.id}.${id} uses {{name}} placeholders`);
    }
  }
  assert.deepEqual(allRules().map((m) => m.id), ruleCatalog().map((m) => m.id));
});

test('interpolate fills {{placeholders}} and leaves unknown ones as written', () => {
  assert.equal(interpolate('{{a}} + {{ b }} = {{c}}', { a: 1, b: 'two' }), '1 + two = {{c}}');
});
