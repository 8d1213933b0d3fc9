/** Renderers (kustomize, Helm), --stdin-filename, --exclude, .gitignore and "no YAML at all" (server/src/cli/render.ts, files.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { run } from '../../server/src/cli/run';
import { globTest } from '../../server/src/cli/files';
import { mapRendered } from '../../server/src/cli/render';
import { createLinter } from '../../server/src';
import { DEPLOYMENT, OVERLAY, TEMPLATE, tree } from '../helpers/render-trees';


function cli(args: string[], cwd: string, opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: () => opts.stdin ?? '', cwd, env: opts.env });
  return { code, out, err };
}


interface Json {
  findings: { rule: string; file: string; line: number }[];
  workloads: { file: string; line: number; name: string; replicas: number }[];
}

/** The machine's kubectl (built-in kustomize) or kustomize: a missing one fails the test by name. */
function kustomizeOnPath(): void {
  const found = (process.env.PATH ?? '').split(path.delimiter).some((d) => ['kubectl', 'kustomize'].some((c) => fs.existsSync(path.join(d, c))));
  assert.ok(found, 'kubectl (or kustomize) is not on PATH: the kustomize tests need it (this machine image has /usr/bin/kubectl)');
}


test('kustomize: an overlay is built with the real kubectl and findings map to the overlay and base files', () => {
  kustomizeOnPath();
  const dir = tree(OVERLAY);
  const r = cli(['-f', 'json', 'k/overlays/prod'], dir);
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out) as Json;
  const at = (rule: string): string => {
    const f = j.findings.find((x) => x.rule === rule);
    return f ? `${f.file}:${f.line}` : 'none';
  };
  // The patched grace period and replicas are the overlay's lines; the container without preStop is the base's.
  assert.equal(at('grace-period-truncates-generations'), 'k/overlays/prod/scale.yaml:10');
  assert.equal(at('rollout-drops-capacity'), 'k/overlays/prod/scale.yaml:7');
  assert.equal(at('missing-prestop-drain'), 'k/base/deploy.yaml:22');
  assert.deepEqual(j.workloads.map((w) => [w.name, w.replicas]), [['llama-8b', 6]]);
  assert.equal(r.err, '');
});

test('kustomize: naming kustomization.yaml itself renders its folder; the text output names the files', () => {
  kustomizeOnPath();
  const dir = tree(OVERLAY);
  const r = cli(['--no-cost', 'k/overlays/prod/kustomization.yaml'], dir);
  assert.equal(r.code, 1);
  assert.match(r.out, /^k\/overlays\/prod\/scale\.yaml:10:7 {2}error/m);
  assert.match(r.out, /in 2 files, 1 model-serving workload/);
});

test('kustomize: a failing build is one line and exit 2', () => {
  kustomizeOnPath();
  // kubectl refuses files outside the kustomization's folder.
  const dir = tree({ 'k/kustomization.yaml': 'resources:\n- ../elsewhere/deploy.yaml\n', 'elsewhere/deploy.yaml': DEPLOYMENT });
  const r = cli(['k'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /^servelint: kubectl kustomize k failed \(exit 1\): .+\n$/);
});

test('kustomize: objects defined by no file in the tree are reported against the folder, and stderr says so', () => {
  const dir = tree({ 'k/kustomization.yaml': 'resources: []\n' });
  const rendered = DEPLOYMENT.replace(/^#.*\n/gm, '');
  const result = createLinter().lint(rendered, {});
  const { reports, unmapped } = mapRendered(rendered, result, { renderer: 'kustomize', dir: path.join(dir, 'k'), cwd: dir, fallback: 'k' });
  assert.deepEqual(reports.map((r) => r.file), ['k']);
  assert.equal(unmapped, result.findings.length + result.workloads.length);
  assert.equal(reports[0]!.result.findings.length, result.findings.length);
  assert.ok(reports[0]!.result.findings.every((f) => f.fixes === undefined));
});

test('kustomize: without kubectl or kustomize on PATH, one line says what to install or pipe, exit 2', () => {
  const dir = tree(OVERLAY);
  const r = cli(['k/overlays/prod'], dir, { env: { PATH: path.join(dir, 'nothing-here') } });
  assert.equal(r.code, 2);
  assert.equal(r.err, 'servelint: k/overlays/prod is a kustomization: install kubectl (kubectl kustomize) or kustomize, or pipe the output: kubectl kustomize k/overlays/prod | servelint -\n');
});

// A chart and what `helm template` printed for it (recorded: helm is not installable on this machine).
const RENDERED = `---\n# Source: llm/templates/deployment.yaml\n${DEPLOYMENT.replace(/^#.*\n/gm, '').replace('name: llama-8b\n  namespace', 'name: release-name\n  namespace')}`;
const CHART = {
  'llm/Chart.yaml': 'apiVersion: v2\nname: llm\nversion: 0.1.0\n',
  'llm/values.yaml': 'replicas: 4\n',
  'llm/templates/deployment.yaml': TEMPLATE,
  'recorded.yaml': RENDERED,
  // A fake helm that prints the recorded output for `helm template llm`.
  'bin/helm': `#!/bin/sh\n[ "$1" = template ] && [ "$2" = llm ] && exec cat "$(dirname "$0")/../recorded.yaml"\necho "unexpected: $*" >&2; exit 1\n`,
};

test('helm: a chart folder is rendered with helm template and findings map to the chart files', () => {
  const dir = tree(CHART);
  const r = cli(['-f', 'json', 'llm'], dir, { env: { PATH: `${path.join(dir, 'bin')}${path.delimiter}/usr/bin:/bin` } });
  assert.equal(r.code, 1, r.err);
  const j = JSON.parse(r.out) as Json;
  const files = new Set(j.findings.map((f) => f.file));
  assert.deepEqual([...files], ['llm/templates/deployment.yaml']);
  const grace = j.findings.find((f) => f.rule === 'grace-period-truncates-generations')!;
  // The container's `- name: vllm` line of the template (line 22 as in the example it was made from).
  assert.equal(grace.line, 22);
  assert.equal(j.workloads[0]!.file, 'llm/templates/deployment.yaml');
  assert.equal(j.workloads[0]!.line, 5);
});

test('helm: without helm on PATH, a chart folder is exit 2 with what to install or pipe', () => {
  const dir = tree(CHART);
  const r = cli(['llm'], dir, { env: { PATH: '/nonexistent' } });
  assert.equal(r.code, 2);
  assert.equal(r.err, 'servelint: llm is a Helm chart: install helm, or pipe the output: helm template llm | servelint -\n');
});

test('helm: piped `helm template | servelint -` maps # Source: comments to the chart files', () => {
  const dir = tree(CHART);
  const r = cli(['-f', 'json', '-'], dir, { stdin: RENDERED });
  assert.equal(r.code, 1);
  const j = JSON.parse(r.out) as Json;
  assert.deepEqual([...new Set(j.findings.map((f) => `${f.file}`))], ['llm/templates/deployment.yaml']);
  // From a folder where the chart is not on disk: the # Source: path names the file, lines are the rendered ones.
  const elsewhere = tree({});
  const r2 = cli(['-f', 'json', '-'], elsewhere, { stdin: RENDERED });
  const j2 = JSON.parse(r2.out) as Json;
  assert.deepEqual([...new Set(j2.findings.map((f) => f.file))], ['llm/templates/deployment.yaml']);
});

test('--stdin-filename names piped input', () => {
  const dir = tree({});
  const r = cli(['--no-cost', '--stdin-filename', 'k8s/llm.yaml', '-'], dir, { stdin: DEPLOYMENT });
  assert.equal(r.code, 1);
  assert.match(r.out, /^k8s\/llm\.yaml:22:17 {2}error/m);
});

test('paths without any YAML are exit 2, not a pass', () => {
  const dir = tree({ 'docs/readme.md': '# hi\n' });
  const r = cli(['docs'], dir);
  assert.equal(r.code, 2);
  assert.match(r.err, /^servelint: no YAML files in docs /);
});

test('out/ and dist/ are linted; --exclude and .gitignore skip with a warning line', () => {
  const dir = tree({ 'k8s/out/a.yaml': DEPLOYMENT, 'k8s/dist/b.yaml': DEPLOYMENT, 'k8s/gen/c.yaml': DEPLOYMENT, 'k8s/tmp/d.yaml': DEPLOYMENT, 'k8s/.gitignore': 'tmp/\n', '.git/HEAD': '' });
  const r = cli(['--no-cost', '--exclude', 'gen', 'k8s'], dir);
  assert.match(r.out, /in 2 files/);
  assert.match(r.out, /^k8s\/dist\/b\.yaml:/m);
  assert.match(r.out, /^k8s\/out\/a\.yaml:/m);
  assert.equal(r.err, 'servelint: warning: skipped k8s/gen/: --exclude gen\nservelint: warning: skipped k8s/tmp/: .gitignore (tmp/)\n');
  // A .gitignore above the given folder (up to the repository root) counts too.
  fs.writeFileSync(path.join(dir, '.gitignore'), 'out\n');
  const r2 = cli(['--no-cost', 'k8s'], dir);
  assert.match(r2.err, /skipped k8s\/out\/: \.gitignore \(out\)/);
});

test('globs: * within a name, ** across folders, anchored when the pattern has a slash', () => {
  assert.ok(globTest('*.gen.yaml')('a/b/x.gen.yaml'));
  assert.ok(!globTest('*.gen.yaml')('a/b/x.yaml'));
  assert.ok(globTest('k8s/**/secret*.yaml')('k8s/a/b/secret-1.yaml'));
  assert.ok(globTest('k8s/**/secret*.yaml')('k8s/secret.yaml'));
  assert.ok(!globTest('/gen')('a/gen'));
  assert.ok(globTest('gen')('a/gen/x.yaml'));
});
