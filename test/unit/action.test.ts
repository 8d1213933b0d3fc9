/**
 * The GitHub Action (action.yml): its two bash steps run here as a runner would run them (env from the inputs,
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), against the compiled CLI. Also checks .pre-commit-hooks.yaml.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { parse } from 'yaml';
import { validateSarif } from './helpers/sarif';

const ROOT = path.resolve(__dirname, '../../..');
const CLI = path.join(ROOT, 'out', 'server', 'src', 'cli', 'main.js');

interface Step {
  id: string;
  run: string;
  env: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(fs.readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as Action;
const step = (id: string): Step => action.runs.steps.find((s) => s.id === id)!;

/** Runs one step: each `env` entry `${{ inputs.x }}` gets the input (or its default), other expressions `extra`. */
function runStep(id: string, inputs: Record<string, string>, extra: Record<string, string>, cwd = ROOT) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-action-'));
  const files = { GITHUB_OUTPUT: path.join(tmp, 'output'), GITHUB_STEP_SUMMARY: path.join(tmp, 'summary') };
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', RUNNER_TEMP: tmp, ...files };
  for (const [k, expr] of Object.entries(step(id).env ?? {})) {
    const input = /^\$\{\{ inputs\.([\w-]+) \}\}$/.exec(expr)?.[1];
    env[k] = input ? (inputs[input] ?? action.inputs[input]!.default) : (extra[k] ?? '');
  }
  Object.assign(env, extra);
  const r = spawnSync('bash', ['-c', step(id).run], { cwd, env, encoding: 'utf8' });
  const read = (f: string): string => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '');
  const outputs = Object.fromEntries(read(files.GITHUB_OUTPUT).split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, outputs, summary: read(files.GITHUB_STEP_SUMMARY), tmp };
}

test('action.yml: a composite action whose outputs come from the lint step', () => {
  assert.equal(action.runs.using, 'composite');
  for (const input of ['paths', 'format', 'fail-level', 'max-warnings', 'sarif-file', 'config', 'version', 'working-directory', 'job-summary']) assert.ok(action.inputs[input], input);
  assert.equal(action.outputs['sarif-file']!.value, '${{ steps.lint.outputs.sarif-file }}');
  assert.equal(step('lint').env.SERVELINT_JS, '${{ steps.setup.outputs.cli }}');
});

test('action setup step: uses the bundle in the action checkout when present, and reports its version', () => {
  const actionPath = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-action-path-'));
  const dist = path.join(actionPath, 'packages', 'servelint', 'dist');
  fs.mkdirSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dist, 'servelint.js'), `require(${JSON.stringify(CLI)});\n`);
  const r = runStep('setup', {}, { GITHUB_ACTION_PATH: actionPath });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^servelint \d+\.\d+\.\d+ /);
  assert.equal(r.outputs.cli, path.join(dist, 'servelint.js'));
});

test('action lint step: annotations, SARIF file output, job summary, exit code; fail-level none passes', () => {
  const sarifDir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-action-sarif-'));
  const inputs = { paths: 'examples/vllm-default-grace.yaml\nexamples/vllm-clean.yaml', 'sarif-file': path.join(sarifDir, 'out', 'servelint.sarif') };
  const r = runStep('lint', inputs, { SERVELINT_JS: CLI });
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('::')).length, 3);
  assert.match(r.stdout, /^::error file=examples\/vllm-default-grace\.yaml,line=22,/m);
  assert.equal(r.outputs['exit-code'], '1');
  assert.equal(r.outputs['sarif-file'], inputs['sarif-file']);
  const sarif = JSON.parse(fs.readFileSync(inputs['sarif-file'], 'utf8'));
  assert.deepEqual(validateSarif(sarif), []);
  assert.equal(sarif.runs[0].results.length, 3);
  assert.match(r.summary, /^<!-- servelint -->\n### servelint\n\n✖ 3 problems \(1 error, 2 warnings, 0 info\) in 2 files, 2 model-serving workloads/);
  const lenient = runStep('lint', { ...inputs, 'fail-level': 'none', 'job-summary': 'false' }, { SERVELINT_JS: CLI });
  assert.equal(lenient.code, 0);
  assert.equal(lenient.outputs['exit-code'], '1');
  assert.equal(lenient.summary, '');
});

test('action lint step: fail-level warning fails on warnings only files, max-warnings, bad fail-level is a usage error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-action-warn-'));
  fs.writeFileSync(path.join(dir, 'w.yaml'), fs.readFileSync(path.join(ROOT, 'examples', 'vllm-clean.yaml'), 'utf8').replace('maxUnavailable: 0', 'maxUnavailable: 1'));
  const base = { paths: 'w.yaml', format: 'text', 'job-summary': 'false' };
  assert.equal(runStep('lint', base, { SERVELINT_JS: CLI }, dir).code, 0);
  assert.equal(runStep('lint', { ...base, 'fail-level': 'warning' }, { SERVELINT_JS: CLI }, dir).code, 1);
  assert.equal(runStep('lint', { ...base, 'max-warnings': '0' }, { SERVELINT_JS: CLI }, dir).code, 1);
  const bad = runStep('lint', { ...base, 'fail-level': 'sometimes' }, { SERVELINT_JS: CLI }, dir);
  assert.equal(bad.code, 2);
  assert.match(bad.stdout, /^::error title=servelint::fail-level must be error, warning or none/);
});

test('.pre-commit-hooks.yaml: a node hook named servelint on YAML files, running the bin of the root package', () => {
  const hooks = parse(fs.readFileSync(path.join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as { id: string; language: string; entry: string; files: string }[];
  const hook = hooks.find((h) => h.id === 'servelint')!;
  assert.equal(hook.language, 'node');
  assert.equal(hook.files, '\\.ya?ml$');
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] };
  assert.ok(pkg.bin[hook.entry], `the root package has a bin named ${hook.entry}`);
  assert.ok(pkg.files.includes(pkg.bin[hook.entry]!));
  for (const f of ['a.yaml', 'deploy/b.yml']) assert.match(f, new RegExp(hook.files));
  assert.doesNotMatch('values.json', new RegExp(hook.files));
});
