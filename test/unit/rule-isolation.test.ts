/** A rule that throws yields one internal-error finding for that rule and workload; the others still report. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, createLinter, lint } from '../../server/src';
import { run, type Io } from '../../server/src/cli/run';
import { throwingRule, THROWING_RULE_ID } from '../helpers/throwing-rule';

const EXAMPLE = path.join(__dirname, '..', '..', '..', 'examples', 'vllm-default-grace.yaml');

test('engine: a throwing rule leaves every other finding intact and adds one internal-error at the kind', () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8');
  const expected = lint(text).findings;
  const got = createLinter([...ALL_RULES, throwingRule]).lint(text).findings;
  const internal = got.filter((f) => f.rule === 'internal-error');
  assert.equal(internal.length, 1, 'one internal-error per workload');
  assert.match(internal[0]!.message, new RegExp(`rule ${THROWING_RULE_ID} failed on Deployment llama-8b: boom from a test rule`));
  assert.equal(text.slice(internal[0]!.range.start, internal[0]!.range.end), 'Deployment');
  assert.deepEqual(got.filter((f) => f.rule !== 'internal-error'), expected);
  assert.ok(!got.some((f) => f.rule === THROWING_RULE_ID));
});

test('engine: internal-error can be turned off or downgraded like any rule', () => {
  const text = fs.readFileSync(EXAMPLE, 'utf8');
  const linter = createLinter([throwingRule, ...ALL_RULES]);
  assert.equal(linter.lint(text, { config: { rules: { 'internal-error': 'off' } } }).findings.filter((f) => f.rule === 'internal-error').length, 0);
  assert.equal(linter.lint(text, { config: { rules: { 'internal-error': 'warning' } } }).findings.find((f) => f.rule === 'internal-error')?.severity, 'warning');
});

test('CLI: a throwing rule does not abort the run; the other findings and the exit code stand', () => {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { stdout: (s) => out.push(s), stderr: (s) => err.push(s), readStdin: () => '', cwd: path.dirname(EXAMPLE) };
  const code = run(['--format', 'json', EXAMPLE], io, { rules: [...ALL_RULES, throwingRule] });
  assert.equal(code, 1);
  const report = JSON.parse(out.join('')) as { findings: { rule: string }[] };
  const rules = report.findings.map((f) => f.rule).sort();
  assert.deepEqual(rules, ['grace-period-truncates-generations', 'internal-error', 'missing-prestop-drain', 'rollout-drops-capacity']);
  assert.equal(err.join(''), '');
});
