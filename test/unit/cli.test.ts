import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { run } from '../../server/src/cli/run';
import { validateSarif } from './helpers/sarif';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(ROOT, 'examples');

function cli(args: string[], stdin = '', cwd = ROOT): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: () => stdin, cwd });
  return { code, out, err };
}

function tmpdir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-cli-'));
}

interface JsonOut {
  version: number;
  findings: { rule: string; severity: string; message: string; file: string; line: number; column: number; endLine: number; endColumn: number; object: { kind: string; name: string } }[];
  workloads: { file: string; line: number; kind: string; name: string; modelServer: string; model: string; replicas: number; gpusPerPod: number; cost?: { usdPerMillionTokens: number | null; tokensPerSecondSource: string; gpu: { id: string | null; source: string } } }[];
}

test('done-when: a vLLM Deployment with 4 replicas, no grace period, no preStop, no strategy', () => {
  const r = cli(['--format', 'json', 'examples/vllm-default-grace.yaml']);
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out) as JsonOut;
  assert.equal(j.version, 1);
  assert.deepEqual(
    j.findings.map((f) => [f.rule, f.severity, f.line, f.column, f.endLine, f.endColumn]),
    [
      ['rollout-drops-capacity', 'warning', 10, 3, 10, 11],
      ['grace-period-truncates-generations', 'error', 22, 17, 22, 21],
      ['missing-prestop-drain', 'warning', 22, 17, 22, 21],
    ],
  );
  assert.deepEqual(j.findings[0]!.object, { kind: 'Deployment', name: 'llama-8b', namespace: 'inference' });
  const w = j.workloads[0]!;
  assert.deepEqual([w.file, w.line, w.kind, w.name, w.modelServer, w.model, w.replicas, w.gpusPerPod], ['examples/vllm-default-grace.yaml', 5, 'Deployment', 'llama-8b', 'vllm', 'meta-llama/Llama-3.1-8B-Instruct', 4, 1]);
  assert.equal(w.cost?.gpu.id, 'L4');
});

test('text output: compiler-style lines, summary and a cost table with $/1M tokens', () => {
  const r = cli(['examples/']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^examples\/rollout-canary\.yaml:13:5 {2}warning {2}Canary has 4 steps/m);
  assert.match(r.out, /✖ \d+ problems \(\d+ errors, \d+ warnings, 0 info\) in 4 files, 4 model-serving workloads/);
  assert.match(r.out, /\$\/1M tokens/);
  // The clean example states measured throughput and price: $3 / (2000 × 0.7 × 3600) × 1e6 = $0.595 → $0.60.
  assert.match(r.out, /examples\/vllm-clean\.yaml:\d+ Deployment\/qwen-7b .*2,000 \(measured\)\s+\$0\.60/);
  assert.match(r.out, /^Cost figures: 4 of 4 workloads with \$\/1M tokens, 0 with a what-if only \(no GPU named\), 0 with none\.$/m);
});

test("README's example output matches the CLI: summary line and every cost-table row", () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const block = /Run on `examples\/` \(abridged\):\n\n```\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has the example output block');
  const out = cli(['examples/']).out;
  const rows = block.split('\n').filter((l) => /^examples\/\S+:\d+ \S+\/\S+ /.test(l) || /^✖ /.test(l));
  assert.ok(rows.length >= 5, String(rows.length));
  for (const row of rows) assert.ok(out.includes(row), `README row not in the CLI output: ${row}`);
});

test('colour: off by default in tests and pipes, --color paints severities, --no-color wins', () => {
  const plain = cli(['examples/vllm-default-grace.yaml']).out;
  assert.ok(!plain.includes('\x1b['));
  const colored = cli(['--color', 'examples/vllm-default-grace.yaml']).out;
  assert.match(colored, /:22:17 {2}\x1b\[31merror\x1b\[0m {4}terminationGracePeriodSeconds/);
  assert.equal(colored.replace(/\x1b\[[0-9;]*m/g, ''), plain);
  let out = '';
  run(['--no-color', 'examples/vllm-default-grace.yaml'], { stdout: (s) => (out += s), stderr: () => undefined, readStdin: () => '', cwd: ROOT, colorDefault: true });
  assert.equal(out, plain);
});

test('the clean example has no findings and exits 0', () => {
  const r = cli(['examples/vllm-clean.yaml', '--no-cost']);
  assert.equal(r.code, 0, r.out);
  assert.match(r.out, /✓ no problems/);
});

test('SARIF output validates against the official 2.1.0 schema and carries rule metadata and regions', () => {
  const r = cli(['--format', 'sarif', 'examples/']);
  const sarif = JSON.parse(r.out);
  assert.deepEqual(validateSarif(sarif), []);
  const run0 = sarif.runs[0];
  assert.ok(run0.tool.driver.rules.some((x: { id: string; helpUri: string }) => x.id === 'grace-period-truncates-generations' && /docs\/rules\/grace-period-truncates-generations\.md$/.test(x.helpUri)));
  const res = run0.results.find((x: { ruleId: string }) => x.ruleId === 'grace-period-truncates-generations');
  assert.equal(res.level, 'error');
  assert.ok(res.locations[0].physicalLocation.region.startLine > 0);
});

test('GitHub annotations: one workflow command per finding, escaped', () => {
  const r = cli(['--format', 'github', 'examples/vllm-default-grace.yaml']);
  const lines = r.out.trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[1]!, /^::error file=examples\/vllm-default-grace\.yaml,line=22,col=17,endLine=22,endColumn=21,title=servelint grace-period-truncates-generations::terminationGracePeriodSeconds is 30 s/);
});

test('exit codes: 0 clean, 1 errors, --max-warnings, 2 for usage and I/O problems', () => {
  assert.equal(cli(['examples/vllm-clean.yaml']).code, 0);
  assert.equal(cli(['examples/vllm-default-grace.yaml']).code, 1);
  const warnOnly = tmpdir();
  fs.writeFileSync(
    path.join(warnOnly, 'w.yaml'),
    fs.readFileSync(path.join(EXAMPLES, 'vllm-clean.yaml'), 'utf8').replace('maxUnavailable: 0', 'maxUnavailable: 1'),
  );
  assert.equal(cli([warnOnly]).code, 0);
  assert.equal(cli(['--max-warnings', '0', warnOnly]).code, 1);
  assert.equal(cli(['--max-warnings', '5', warnOnly]).code, 0);
  const usage = cli(['--format', 'xml', 'examples']);
  assert.equal(usage.code, 2);
  assert.match(usage.err, /unknown format "xml"/);
  assert.equal(cli([]).code, 2);
  const missing = cli(['does-not-exist.yaml', 'examples/vllm-default-grace.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^servelint: .*does-not-exist\.yaml: no such file or directory\n$/);
  assert.match(missing.out, /grace-period-truncates-generations/, 'the other file is still linted');
});

test('stdin with -', () => {
  const text = fs.readFileSync(path.join(EXAMPLES, 'vllm-default-grace.yaml'), 'utf8');
  const r = cli(['--format', 'json', '-'], text);
  const j = JSON.parse(r.out) as JsonOut;
  assert.equal(j.findings[0]!.file, '-');
  assert.equal(j.findings.length, 3);
});

test('--fix applies preferred fixes in place (comments kept) and --fix-dry-run prints a diff', () => {
  const dir = tmpdir();
  const file = path.join(dir, 'm.yaml');
  const original = fs.readFileSync(path.join(EXAMPLES, 'vllm-default-grace.yaml'), 'utf8');
  fs.writeFileSync(file, original);
  const dry = cli(['--fix-dry-run', file], '', dir);
  assert.match(dry.out, /^--- a\/m\.yaml\n\+\+\+ b\/m\.yaml\n@@ /);
  assert.match(dry.out, /^\+ {6}terminationGracePeriodSeconds: \d+$/m);
  assert.equal(fs.readFileSync(file, 'utf8'), original, 'dry run changes nothing');
  const fixed = cli(['--fix', '--format', 'json', file], '', dir);
  assert.equal(fixed.code, 0, fixed.out);
  assert.deepEqual((JSON.parse(fixed.out) as JsonOut).findings, []);
  const after = fs.readFileSync(file, 'utf8');
  assert.ok(after.startsWith('# A typical first vLLM Deployment'), 'comments kept');
  assert.match(after, /maxUnavailable: 0/);
  assert.match(after, /vllm:num_requests_running/);
});

test('.servelint.yaml is found upwards and applied; config errors are reported with their line (exit 2)', () => {
  const dir = tmpdir();
  fs.mkdirSync(path.join(dir, 'apps'));
  fs.copyFileSync(path.join(EXAMPLES, 'vllm-default-grace.yaml'), path.join(dir, 'apps', 'm.yaml'));
  fs.writeFileSync(path.join(dir, '.servelint.yaml'), 'rules:\n  missing-prestop-drain: off\n  rollout-drops-capacity: off\n');
  const r = cli(['--format', 'json', 'apps'], '', dir);
  assert.deepEqual((JSON.parse(r.out) as JsonOut).findings.map((f) => f.rule), ['grace-period-truncates-generations']);
  fs.writeFileSync(path.join(dir, '.servelint.yaml'), 'rules:\n  missing-prestop-drain: off\nassumptions:\n  utilization: "high"\n');
  const bad = cli(['apps'], '', dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /\.servelint\.yaml:4:\d+: /);
  const explicit = cli(['--format', 'json', '--config', path.join(dir, 'nope.yaml'), 'apps'], '', dir);
  assert.equal(explicit.code, 2);
});

test('the installed bin runs the real CLI (npx servelint)', () => {
  const bin = path.join(ROOT, 'server', 'bin', 'servelint.js');
  const r = spawnSync(process.execPath, [bin, '--format', 'json', 'examples/vllm-default-grace.yaml'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.equal((JSON.parse(r.stdout) as JsonOut).findings.length, 3);
});

test('--format junit: a testsuite per file, a failing testcase per error/warning, a passing one for a clean file', () => {
  const r = cli(['--format', 'junit', 'examples/']);
  assert.equal(r.code, 1);
  assert.match(r.out, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<testsuites name="servelint" tests="14" failures="13" errors="0" time="0">\n/);
  assert.equal((r.out.match(/<testsuite /g) ?? []).length, 4);
  assert.match(r.out, /<testsuite package="servelint" time="0" tests="3" failures="3" errors="0" name="examples\/vllm-default-grace\.yaml">/);
  assert.match(
    r.out,
    /<testcase time="0" name="servelint\.missing-prestop-drain Deployment\/llama-8b" classname="examples\/vllm-default-grace" file="examples\/vllm-default-grace\.yaml" line="22"><failure message="vLLM container &quot;vllm&quot; has no lifecycle\.preStop: [^"]*" type="warning"><!\[CDATA\[examples\/vllm-default-grace\.yaml:22:17 warning - vLLM container "vllm"/,
  );
  assert.match(r.out, /<testcase time="0" name="examples\/vllm-clean\.yaml" classname="examples\/vllm-clean" file="examples\/vllm-clean\.yaml" \/>/);
  // Unreadable paths are <error>s of a "servelint" suite; XML stays well-formed for odd characters.
  const missing = cli(['--format', 'junit', 'no<such>&file.yaml']);
  assert.equal(missing.code, 2);
  assert.match(missing.out, /<testsuite package="servelint" time="0" tests="1" failures="0" errors="1" name="servelint">\n {4}<testcase time="0" name="[^"]*no&lt;such&gt;&amp;file\.yaml: [^"]*" classname="servelint"><error message=/);
});

test('--format markdown: summary, findings table with file:line / rule / severity / message, cost table', () => {
  const r = cli(['--format', 'markdown', 'examples/']);
  assert.equal(r.code, 1);
  const lines = r.out.split('\n');
  assert.deepEqual(lines.slice(0, 4), ['<!-- servelint -->', '### servelint', '', '✖ 13 problems (5 errors, 8 warnings, 0 info) in 4 files, 4 model-serving workloads']);
  assert.ok(lines.includes('| file:line | rule | severity | message |'));
  assert.ok(
    lines.some((l) => l.startsWith('| `examples/vllm-default-grace.yaml:22` | [grace-period-truncates-generations](https://github.com/servelint/servelint/blob/main/docs/rules/grace-period-truncates-generations.md) | **error** | terminationGracePeriodSeconds is 30 s (default)')),
  );
  assert.ok(lines.includes('| `examples/vllm-clean.yaml:6` Deployment/qwen-7b | H100-SXM | 1 | 2 | $6.00 | $4,380 | 2,000 (measured) | $0.60 |'), r.out);
  assert.ok(!cli(['--format', 'markdown', '--no-cost', 'examples/']).out.includes('Cost per workload'));
  const clean = cli(['--format', 'markdown', 'examples/vllm-clean.yaml']);
  assert.equal(clean.code, 0);
  assert.ok(clean.out.includes('✓ no problems in 1 file, 1 model-serving workload') && !clean.out.includes('| file:line'));
});

test('-o / --output-file writes the report to a file (folders created) and nothing to stdout; same exit code', () => {
  const dir = tmpdir();
  const r = cli(['--format', 'sarif', '-o', path.join(dir, 'reports', 'servelint.sarif'), 'examples/vllm-default-grace.yaml']);
  assert.equal(r.code, 1);
  assert.equal(r.out, '');
  const sarif = JSON.parse(fs.readFileSync(path.join(dir, 'reports', 'servelint.sarif'), 'utf8'));
  assert.deepEqual(validateSarif(sarif), []);
  assert.equal(sarif.runs[0].results.length, 3);
  // Relative to the working folder, = form, text format; I/O problems still go to stderr.
  const t = cli(['--output-file=out.txt', 'examples/vllm-clean.yaml', 'nope.yaml'], '', ROOT);
  try {
    assert.equal(t.code, 2);
    assert.equal(t.out, '');
    assert.match(t.err, /^servelint: .*nope\.yaml/);
    assert.match(fs.readFileSync(path.join(ROOT, 'out.txt'), 'utf8'), /✓ no problems in 1 file/);
  } finally {
    fs.rmSync(path.join(ROOT, 'out.txt'), { force: true });
  }
  const unwritable = cli(['-o', path.join(dir, 'reports', 'servelint.sarif', 'x'), 'examples/vllm-clean.yaml']);
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.err, /^servelint: cannot write /);
  assert.equal(cli(['-o']).code, 2);
});
