/** --list-rules, --print-config, unknown rule ids in disable comments, --report-unused-disable-directives. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { run } from '../../server/src/cli/run';
import { ALL_RULES } from '../../server/src';

const ROOT = path.resolve(__dirname, '../../..');
const LINES = fs.readFileSync(path.join(ROOT, 'examples/vllm-default-grace.yaml'), 'utf8').split('\n');

function cli(args: string[], cwd: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: () => '', cwd });
  return { code, out, err };
}

function dir(files: Record<string, string>): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-hygiene-'));
  for (const [p, t] of Object.entries(files)) fs.writeFileSync(path.join(d, p), t);
  return d;
}

// Line 22 of the example is the container's `- name: vllm` (grace period and preStop findings).
const WITH_DIRECTIVES = [
  '# servelint-disable-next-line no-such-rule, missing-prestop-drain',
  ...LINES.slice(3, 21),
  '        # servelint-disable-next-line grace-period-truncates-generations',
  ...LINES.slice(21),
].join('\n');

test('--list-rules prints every rule with its severity, fix and description', () => {
  const r = cli(['--list-rules'], ROOT);
  assert.equal(r.code, 0);
  const lines = r.out.trim().split('\n');
  const ids = lines.map((l) => l.split(/\s+/)[0]);
  for (const rule of ALL_RULES) assert.ok(ids.includes(rule.meta.id), rule.meta.id);
  assert.match(r.out, /^grace-period-truncates-generations\s+error\s+fix\s+terminationGracePeriodSeconds/m);
});

test('--print-config prints the configuration that applies to a file, or none', () => {
  const d = dir({ 'a.yaml': 'a: 1\n' });
  assert.deepEqual(JSON.parse(cli(['--print-config', 'a.yaml'], d).out), { file: null, config: {} });
  fs.writeFileSync(path.join(d, '.servelint.yaml'), 'rules: {missing-prestop-drain: off}\n');
  assert.deepEqual(JSON.parse(cli(['--print-config', 'a.yaml'], d).out), { file: '.servelint.yaml', config: { rules: { 'missing-prestop-drain': 'off' } } });
  assert.equal(cli(['--print-config', 'nope.yaml'], d).code, 2);
});

test('unknown rule ids in disable comments get a warning line; the known ones still suppress', () => {
  const d = dir({ 'a.yaml': WITH_DIRECTIVES });
  const r = cli(['--no-cost', '-f', 'json', 'a.yaml'], d);
  assert.equal(r.err, 'servelint: warning: a.yaml:1:1: unknown rule "no-such-rule" in a servelint-disable comment (servelint --list-rules lists them)\n');
  const rules = (JSON.parse(r.out) as { findings: { rule: string }[] }).findings.map((f) => f.rule);
  assert.deepEqual(rules, ['rollout-drops-capacity', 'missing-prestop-drain']);
  assert.equal(r.code, 0);
});

test('--report-unused-disable-directives lists directives that suppress nothing and exits 1', () => {
  const d = dir({ 'a.yaml': WITH_DIRECTIVES });
  const r = cli(['--no-cost', '--report-unused-disable-directives', 'a.yaml'], d);
  assert.equal(r.code, 1);
  assert.match(r.err, /^servelint: a\.yaml:1:1: unused servelint-disable directive \(no no-such-rule, missing-prestop-drain problem reported there\)$/m);
  // The one that suppresses the grace-period error is used.
  assert.doesNotMatch(r.err, /a\.yaml:22:/);
});
