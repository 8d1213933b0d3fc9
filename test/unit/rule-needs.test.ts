/**
 * A rule's `meta.needs` is the truth: run alone on real manifests, each rule reads only the lazy facts it declares
 * (so a rule that needs no cost never runs the cost model).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, createLinter, FACT_OF_PROPERTY, type FactName, type Rule } from '../../server/src';

const ROOT = path.join(__dirname, '..', '..', '..');
const files = [
  ...fs.readdirSync(path.join(ROOT, 'examples')).map((f) => path.join(ROOT, 'examples', f)),
  ...fs.readdirSync(path.join(ROOT, 'test', 'e2e', 'fixtures')).map((f) => path.join(ROOT, 'test', 'e2e', 'fixtures', f)),
].filter((f) => /\.ya?ml$/.test(f));

function recording(rule: Rule, read: Set<FactName>): Rule {
  return {
    meta: rule.meta,
    check(ctx) {
      const analysis = new Proxy(ctx.analysis, {
        get(target, prop, receiver) {
          const fact = typeof prop === 'string' ? FACT_OF_PROPERTY[prop] : undefined;
          if (fact) read.add(fact);
          return Reflect.get(target, prop, receiver === analysis ? target : receiver);
        },
      });
      rule.check({ ...ctx, analysis });
    },
  };
}

for (const rule of ALL_RULES) {
  test(`${rule.meta.id} reads only the facts it declares (${rule.meta.needs.join(', ') || 'none'})`, () => {
    const read = new Set<FactName>();
    const linter = createLinter([recording(rule, read)]);
    for (const f of files) {
      const result = linter.lint(fs.readFileSync(f, 'utf8'));
      assert.ok(!result.findings.some((x) => x.rule === 'internal-error'), `${rule.meta.id} threw on ${f}`);
    }
    const undeclared = [...read].filter((f) => !rule.meta.needs.includes(f));
    assert.deepEqual(undeclared, [], `${rule.meta.id} read ${undeclared.join(', ')} without declaring it in meta.needs`);
  });
}
