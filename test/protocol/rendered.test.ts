/**
 * Helm charts and kustomizations in the editor (server/src/lsp/rendered.ts): opening or saving a file of a
 * kustomization renders it with the machine's real kubectl; a chart's template is rendered by a FAKE `helm` on PATH
 * (a shell script written here that prints a fixed text shaped like `helm template` output, `# Source:` comments
 * included: no helm binary can be installed on this machine). Untrusted workspaces execute nothing.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { startServer, type TestClient } from './helpers/lsp-client';
import { GRACE_RULE } from './helpers/fixtures';
import { DEPLOYMENT, OVERLAY, SCALE, TEMPLATE, tree } from '../helpers/render-trees';

const PRESTOP = 'missing-prestop-drain';



// A chart, and the text the fake helm prints for it (helm's shape: `---`, `# Source: <chart>/templates/<file>`).
const rendered = (replicas: number): string =>
  `---\n# Source: llm/templates/deployment.yaml\n${DEPLOYMENT.replace(/^#.*\n/gm, '').replace('name: llama-8b\n  namespace', 'name: release-name\n  namespace').replace('replicas: 4', `replicas: ${replicas}`)}`;
const CHART = {
  'llm/Chart.yaml': 'apiVersion: v2\nname: llm\nversion: 0.1.0\n',
  'llm/values.yaml': 'replicas: 4\n',
  'llm/values-one.yaml': 'replicas: 1\n',
  'llm/templates/deployment.yaml': TEMPLATE,
  'default.yaml': rendered(4),
  'one.yaml': rendered(1),
  // FAKE helm: `template <chart>` prints default.yaml, `template <chart> -f <chart>/values-one.yaml` one.yaml; each run is logged.
  'bin/helm': `#!/bin/sh\nd="$(dirname "$0")/.."\necho "$*" >> "$d/helm-calls.log"\n[ "$1" = template ] || exit 1\n[ "$3" = -f ] && exec cat "$d/one.yaml"\nexec cat "$d/default.yaml"\n`,
};

const uriOf = (dir: string, p: string): string => pathToFileURL(path.join(dir, p)).href;
const codes = (p: PublishDiagnosticsParams): string[] => p.diagnostics.map((d) => String(d.code));
const lineOfRule = (p: PublishDiagnosticsParams, rule: string): number | undefined => p.diagnostics.find((d) => d.code === rule)?.range.start.line;

describe('Helm and kustomize in the editor', { timeout: 60000 }, () => {
  const clients: TestClient[] = [];
  const dirs: string[] = [];
  after(() => {
    for (const c of clients) c.kill();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });
  const start = async (opts: Parameters<typeof startServer>[0]): Promise<TestClient> => {
    const c = await startServer(opts);
    clients.push(c);
    return c;
  };
  const open = (c: TestClient, uri: string, text: string): Promise<void> =>
    c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });

  it('kustomize (real kubectl): findings of the overlay land on the overlay patch and on the base; a save renders again', async () => {
    const found = (process.env.PATH ?? '').split(path.delimiter).some((d) => ['kubectl', 'kustomize'].some((x) => fs.existsSync(path.join(d, x))));
    assert.ok(found, 'kubectl (or kustomize) is not on PATH: this test needs it (this machine image has /usr/bin/kubectl)');
    const dir = tree(OVERLAY);
    dirs.push(dir);
    const c = await start({ pull: false });
    const scale = uriOf(dir, 'k/overlays/prod/scale.yaml');
    const base = uriOf(dir, 'k/base/deploy.yaml');
    const onOverlay = c.waitForDiagnostics(scale, (p) => codes(p).includes(GRACE_RULE), 20000);
    await open(c, scale, SCALE);
    const o = await onOverlay;
    // The overlay's 20 s grace period (line 10) is what is too short; the replicas it patches (line 7) drop capacity.
    assert.equal(lineOfRule(o, GRACE_RULE), 9);
    assert.equal(lineOfRule(o, 'rollout-drops-capacity'), 6);
    assert.match(String(o.diagnostics.find((d) => d.code === GRACE_RULE)!.message), /\[kustomize prod\]$/);
    assert.ok(!codes(o).includes(PRESTOP), 'the missing preStop is the base container\'s');
    // The base is rendered on its own too: the preStop finding both renders share is one diagnostic naming both.
    const onBase = c.waitForDiagnostics(base, (p) => p.diagnostics.some((d) => d.code === PRESTOP && /\[kustomize prod, base\]$|\[kustomize base, prod\]$/.test(String(d.message))), 20000);
    await open(c, base, DEPLOYMENT);
    const b = await onBase;
    assert.equal(lineOfRule(b, PRESTOP), 21); // `- name: vllm` in base/deploy.yaml
    assert.equal(b.diagnostics.filter((d) => d.code === PRESTOP).length, 1);
    // The overlay gets a long enough grace period and is saved: rendered again, the finding goes.
    const fixed = SCALE.replace('terminationGracePeriodSeconds: 20', 'terminationGracePeriodSeconds: 900');
    fs.writeFileSync(path.join(dir, 'k/overlays/prod/scale.yaml'), fixed);
    const gone = c.waitForDiagnostics(scale, (p) => !codes(p).includes(GRACE_RULE), 20000);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri: scale, version: 2 }, contentChanges: [{ text: fixed }] });
    await c.conn.sendNotification('textDocument/didSave', { textDocument: { uri: scale } });
    await gone;
  });

  it('kustomize, pull diagnostics (VS Code): the render asks for a refresh and the pulled report has the overlay finding', async () => {
    const dir = tree(OVERLAY);
    dirs.push(dir);
    const c = await start({ pull: true });
    const scale = uriOf(dir, 'k/overlays/prod/scale.yaml');
    await open(c, scale, SCALE);
    for (let i = 0; i < 400 && !c.refreshes.includes('diagnostic'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.ok(c.refreshes.includes('diagnostic'), 'no workspace/diagnostic/refresh after the render');
    const report = (await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: scale } })) as { items: PublishDiagnosticsParams['diagnostics'] };
    assert.equal(report.items.find((d) => d.code === GRACE_RULE)?.range.start.line, 9);
  });

  it('Helm (FAKE helm on PATH printing fixed helm-shaped output): findings land on the template lines; servelint.helm.valuesFile adds -f, and a change of it renders again', async () => {
    const dir = tree(CHART);
    dirs.push(dir);
    const env = { ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
    const c = await start({ pull: false, env });
    const tpl = uriOf(dir, 'llm/templates/deployment.yaml');
    const got = c.waitForDiagnostics(tpl, (p) => codes(p).includes(GRACE_RULE), 20000);
    await open(c, tpl, TEMPLATE);
    const d = await got;
    assert.equal(lineOfRule(d, GRACE_RULE), 21); // `- name: vllm` of the template
    assert.ok(!codes(d).includes('helm-template-skipped'), 'the rendering replaces "render it first"');
    assert.match(String(d.diagnostics.find((x) => x.code === GRACE_RULE)!.message), /\[helm template llm\]$/);
    assert.equal(fs.readFileSync(path.join(dir, 'helm-calls.log'), 'utf8'), `template ${path.join(dir, 'llm')}\n`);
    // With a values file of 1 replica, the capacity finding of 4 replicas goes.
    assert.ok(codes(d).includes('rollout-drops-capacity'));
    c.settings = { helm: { valuesFile: 'values-one.yaml' } };
    const one = c.waitForDiagnostics(tpl, (p) => codes(p).includes(GRACE_RULE) && !codes(p).includes('rollout-drops-capacity'), 20000);
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null }); // the setting changed: rendered again
    await one;
    assert.match(fs.readFileSync(path.join(dir, 'helm-calls.log'), 'utf8'), new RegExp(`-f ${path.join(dir, 'llm', 'values-one.yaml')}\\n$`));
  });

  it('untrusted workspace: nothing is executed, the file is linted as it is, and one message says so', async () => {
    const dir = tree(CHART);
    dirs.push(dir);
    const env = { ...process.env, PATH: `${path.join(dir, 'bin')}${path.delimiter}${process.env.PATH ?? ''}` };
    const c = await start({ pull: false, env, workspaceTrusted: false });
    const tpl = uriOf(dir, 'llm/templates/deployment.yaml');
    const got = c.waitForDiagnostics(tpl, (p) => codes(p).includes('helm-template-skipped'), 20000);
    await open(c, tpl, TEMPLATE);
    await got;
    await c.conn.sendNotification('textDocument/didSave', { textDocument: { uri: tpl } });
    const k = tree(OVERLAY);
    dirs.push(k);
    await open(c, uriOf(k, 'k/overlays/prod/scale.yaml'), SCALE);
    await c.conn.sendRequest('shutdown');
    assert.ok(!fs.existsSync(path.join(dir, 'helm-calls.log')), 'helm was executed in an untrusted workspace');
    assert.equal(c.logs.filter((l) => /not trusted/.test(l) && /nothing is executed/.test(l)).length, 2, c.logs.join(' | ')); // log + notification, once
  });
});
