/** `servelint cost --diff` (server/src/cli/cost-diff.ts) and the cost table's total row. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { run } from '../../server/src/cli/run';
import type { DiffRow, Totals } from '../../server/src/cli/cost-diff';

const ROOT = path.resolve(__dirname, '../../..');
const LLAMA = fs.readFileSync(path.join(ROOT, 'examples/vllm-default-grace.yaml'), 'utf8');
const MIXTRAL = fs.readFileSync(path.join(ROOT, 'examples/tgi-recreate.yaml'), 'utf8');
const QWEN = fs.readFileSync(path.join(ROOT, 'examples/vllm-clean.yaml'), 'utf8');

function cli(args: string[], cwd: string): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: () => '', cwd });
  return { code, out, err };
}

function write(dir: string, files: Record<string, string | null>): void {
  for (const [p, text] of Object.entries(files)) {
    const f = path.join(dir, p);
    if (text === null) fs.rmSync(f);
    else {
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, text);
    }
  }
}

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr} ${r.error?.message ?? ''}`);
}

/** A repository whose HEAD has llama (2 × L4) and mixtral; the working tree has llama at 4 replicas on H100, no mixtral, and qwen. */
function repo(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-costdiff-'));
  git(dir, 'init', '-q');
  write(dir, { 'k8s/llama.yaml': LLAMA.replace('replicas: 4', 'replicas: 2'), 'k8s/mixtral.yaml': MIXTRAL, 'README.md': '# x\n' });
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'base');
  write(dir, { 'k8s/llama.yaml': LLAMA.replace('nvidia-l4', 'nvidia-h100-80gb'), 'k8s/mixtral.yaml': null, 'k8s/qwen.yaml': QWEN });
  return dir;
}

interface JsonDiff {
  before: string;
  after: string;
  workloads: DiffRow[];
  total: { before: Totals; after: Totals };
  gpus: string;
  errors: string[];
}

test('cost --diff <ref>: replicas 2 → 4 and L4 → H100, a new workload and a removed one, per workload and in total', () => {
  const dir = repo();
  const r = cli(['cost', '--diff', 'HEAD', '-f', 'json', 'k8s'], dir);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as JsonDiff;
  assert.deepEqual([j.before, j.after], ['HEAD', 'working tree']);
  const by = (name: string): DiffRow => j.workloads.find((w) => w.name === name)!;
  const llama = by('llama-8b');
  assert.equal(llama.status, 'changed');
  assert.deepEqual([llama.before!.gpu, llama.before!.gpus, llama.before!.replicas], ['L4', 2, 2]);
  assert.deepEqual([llama.after!.gpu, llama.after!.gpus, llama.after!.replicas], ['H100-SXM', 4, 4]);
  assert.ok(llama.after!.usdPerHour! > 4 * llama.before!.usdPerHour!, 'H100s cost more per GPU than L4s');
  assert.equal(by('mixtral').status, 'removed');
  assert.equal(by('mixtral').after, null);
  assert.equal(by('qwen-7b').status, 'added');
  assert.equal(by('qwen-7b').before, null);
  assert.equal(by('qwen-7b').after!.file, path.join('k8s', 'qwen.yaml'));
  // Totals are the sums of the sides; $/1M tokens is the fleet's $/hr over its tokens/hr.
  const sum = (side: 'before' | 'after'): number => j.workloads.reduce((n, w) => n + (w[side]?.usdPerHour ?? 0), 0);
  assert.ok(Math.abs(j.total.before.usdPerHour - sum('before')) < 1e-9);
  assert.ok(Math.abs(j.total.after.usdPerHour - sum('after')) < 1e-9);
  assert.equal(j.total.before.gpus, 2 + by('mixtral').before!.gpus);
  assert.equal(j.total.after.gpus, 4 + by('qwen-7b').after!.gpus);
  const tph = j.workloads.reduce((n, w) => n + (w.after?.tokensPerHour ?? 0), 0);
  assert.ok(Math.abs(j.total.after.usdPerMillionTokens! - (sum('after') / tph) * 1e6) < 1e-9);
  assert.ok(llama.after!.surgeUsd! > 0);
  assert.equal(j.gpus, `GPUs: −4 A100-SXM-80GB, +6 H100-SXM, −2 L4`);
});

test('cost --diff: text and markdown tables with before → after cells and a total row', () => {
  const dir = repo();
  const text = cli(['cost', '--diff', 'HEAD'], dir);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^Cost: HEAD → working tree/);
  assert.match(text.out, /^Deployment\/inference\/llama-8b\s+changed\s+2 × L4 → 4 × H100-SXM\s+\$1\.61 → \$\S+ \(\+\$\S+\)/m);
  assert.match(text.out, /^Deployment\/mixtral\s+removed\s+4 × A100-SXM-80GB → —\s+\$13\.72 → — \(−\$13\.72\)/m);
  assert.match(text.out, /^Deployment\/qwen-7b\s+added\s+— → 2 × H100-SXM\s+— → \$6\.00 \(\+\$6\.00\)/m);
  assert.match(text.out, /^total\s+6\s+\$15\.33 → \$33\.52 \(\+\$18\.19\)/m);
  const md = cli(['cost', '--diff', 'HEAD', '-f', 'markdown'], dir);
  assert.match(md.out, /^### servelint cost: HEAD → working tree$/m);
  assert.match(md.out, /^\| `Deployment\/mixtral` \| removed \| 4 × A100-SXM-80GB → — \|/m);
  assert.match(md.out, /^\| \*\*total\*\* \| {2}\| \*\*6\*\* \|/m);
});

test('cost --diff <old-path> <new-path> compares two files', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-costdiff-'));
  write(dir, { 'old.yaml': LLAMA.replace('replicas: 4', 'replicas: 2'), 'new.yaml': LLAMA });
  const r = cli(['cost', '--diff', 'old.yaml', 'new.yaml', '-f', 'json'], dir);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as JsonDiff;
  assert.deepEqual([j.before, j.after], ['old.yaml', 'new.yaml']);
  assert.equal(j.workloads.length, 1);
  const w = j.workloads[0]!;
  assert.deepEqual([w.status, w.before!.gpus, w.after!.gpus], ['changed', 2, 4]);
  assert.ok(Math.abs(w.after!.usdPerHour! - 2 * w.before!.usdPerHour!) < 1e-9, 'twice the replicas, twice the $/hr');
  assert.equal(j.gpus, 'GPUs: +2 L4');
});

test('cost: usage and git problems are one line and exit 2', () => {
  const dir = repo();
  assert.equal(cli(['cost', 'k8s'], dir).code, 2);
  const bad = cli(['cost', '--diff', 'no-such-ref'], dir);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^servelint cost: git ls-tree .* failed: .+\n$/);
  assert.equal(cli(['cost', '--diff', 'HEAD', '-f', 'sarif'], dir).code, 2);
  assert.match(cli(['cost', '--help'], dir).out, /^Usage: servelint cost --diff/);
});

test('the lint cost table ends with a total row (text and markdown)', () => {
  const text = cli(['examples/vllm-default-grace.yaml', 'examples/vllm-clean.yaml'], ROOT).out;
  assert.match(text, /^total \(2 workloads\)\s+\$9\.22\s+\$6,731$/m);
  const md = cli(['-f', 'markdown', 'examples/vllm-default-grace.yaml', 'examples/vllm-clean.yaml'], ROOT).out;
  assert.match(md, /^\| \*\*total \(2 workloads\)\*\* \| {2}\| {2}\| {2}\| \*\*\$9\.22\*\* \| \*\*\$6,731\*\* \| {2}\| {2}\|$/m);
});
