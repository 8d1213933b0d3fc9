/** .servelint.yaml found upwards from the document, editor settings over it, didChangeWatchedFiles; eager CodeLens. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import type { CodeLens } from 'vscode-languageserver-protocol/node';
import { startServer, type TestClient } from './helpers/lsp-client';
import { GRACE_RULE, VLLM_DEFAULT_GRACE } from './helpers/fixtures';

describe('.servelint.yaml and editor settings', { timeout: 20000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-protocol-'));
  const configFile = path.join(dir, '.servelint.yaml');
  fs.mkdirSync(path.join(dir, 'deploy', 'prod'), { recursive: true });
  const uri = pathToFileURL(path.join(dir, 'deploy', 'prod', 'llama.yaml')).href;
  let c: TestClient | undefined;
  after(() => {
    c?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies the nearest .servelint.yaml above the document', async () => {
    fs.writeFileSync(configFile, `rules:\n  ${GRACE_RULE}: off\n`);
    c = await startServer({ pull: false });
    const got = c.waitForDiagnostics(uri);
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: VLLM_DEFAULT_GRACE } });
    assert.ok(!(await got).diagnostics.some((d) => d.code === GRACE_RULE), 'turned off by .servelint.yaml');
  });

  it('re-lints when .servelint.yaml changes (didChangeWatchedFiles)', async () => {
    assert.ok(c);
    fs.writeFileSync(configFile, `rules:\n  ${GRACE_RULE}: info\n`);
    const got = c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === GRACE_RULE));
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(configFile).href, type: 2 }] });
    const d = (await got).diagnostics.find((x) => x.code === GRACE_RULE)!;
    assert.equal(d.severity, 3, 'info from .servelint.yaml');
  });

  it('editor settings win over .servelint.yaml', async () => {
    assert.ok(c);
    c.settings = { rules: { [GRACE_RULE]: 'warning' } };
    const got = c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === GRACE_RULE && d.severity === 2));
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await got;
  });

  it('servelint.enable: false clears the diagnostics', async () => {
    assert.ok(c);
    c.settings = { enable: false };
    const got = c.waitForDiagnostics(uri, (p) => p.diagnostics.length === 0);
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    await got;
  });
});

describe('client without codeLens resolve support (e.g. older Neovim)', { timeout: 20000 }, () => {
  let c: TestClient | undefined;
  after(() => c?.kill());

  it('returns lenses with title and command from textDocument/codeLens', async () => {
    c = await startServer({ pull: true, lazyCodeLens: false });
    const uri = 'file:///tmp/servelint-protocol/eager.yaml';
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: VLLM_DEFAULT_GRACE } });
    const lenses = (await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } })) as CodeLens[];
    assert.ok(lenses.length >= 1);
    assert.ok(lenses.every((l) => l.command && l.command.title.length > 0));
    assert.equal(lenses[0]!.command!.command, 'servelint.showCostBreakdown');
  });
});

describe('client that pushes its settings (no workspace/configuration, like Neovim 0.7)', { timeout: 20000 }, () => {
  let c: TestClient | undefined;
  after(() => c?.kill());

  it('takes servelint.* from didChangeConfiguration, and a payload without servelint resets to the defaults', async () => {
    c = await startServer({ pull: false, configuration: false });
    const uri = 'file:///push/vllm.yaml';
    const first = c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === GRACE_RULE && d.severity === 1));
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: VLLM_DEFAULT_GRACE } });
    await first;
    const warned = c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === GRACE_RULE && d.severity === 2));
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { servelint: { rules: { [GRACE_RULE]: 'warning' } } } });
    await warned;
    const reset = c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === GRACE_RULE && d.severity === 1));
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: { validate: true } } });
    await reset;
  });
});
