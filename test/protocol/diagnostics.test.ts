/** Diagnostics over the wire: push (no pull capability), pull, and re-publish after a settings change. */
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import type { Diagnostic, DocumentDiagnosticReport } from 'vscode-languageserver-protocol/node';
import { startServer, within, type TestClient } from './helpers/lsp-client';
import { GRACE_RULE, lineOf, VLLM_DEFAULT_GRACE } from './helpers/fixtures';

const URI = 'file:///tmp/servelint-protocol/vllm.yaml';

function open(c: TestClient, uri = URI, text = VLLM_DEFAULT_GRACE, version = 1): Promise<void> {
  return c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
}

function assertGrace(d: Diagnostic | undefined): void {
  assert.ok(d, `expected a ${GRACE_RULE} diagnostic`);
  assert.equal(d.source, 'servelint');
  assert.equal(d.code, GRACE_RULE);
  assert.match(String(d.codeDescription?.href), /^https?:\/\/.+grace-period-truncates-generations/);
  assert.equal(d.severity, 1, 'error');
  const line = lineOf(VLLM_DEFAULT_GRACE, '- name: vllm');
  const col = VLLM_DEFAULT_GRACE.split('\n')[line]!.indexOf('vllm');
  assert.deepEqual(d.range, { start: { line, character: col }, end: { line, character: col + 'vllm'.length } });
  assert.ok(typeof d.message === 'string' && d.message.length > 10);
}

describe('push diagnostics (client without textDocument.diagnostic)', { timeout: 20000 }, () => {
  let c: TestClient | undefined;
  after(() => c?.kill());

  it('publishes grace-period-truncates-generations with source, code, href and range', async () => {
    c = await startServer({ pull: false });
    const got = c.waitForDiagnostics(URI, (p) => p.diagnostics.length > 0);
    await open(c);
    const p = await got;
    assert.equal(p.version, 1);
    assertGrace(p.diagnostics.find((d) => d.code === GRACE_RULE));
  });

  it('re-publishes without the rule after workspace/configuration turns it off', async () => {
    assert.ok(c);
    c.settings = { rules: { [GRACE_RULE]: 'off' } };
    const got = c.waitForDiagnostics(URI, (p) => !p.diagnostics.some((d) => d.code === GRACE_RULE));
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const p = await got;
    assert.ok(p.diagnostics.every((d) => d.source === 'servelint'));
    assert.ok(c.refreshes.includes('codeLens'), 'workspace/codeLens/refresh sent');
  });

  it('ignores non-YAML documents', async () => {
    assert.ok(c);
    const uri = 'file:///tmp/servelint-protocol/readme.md';
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'markdown', version: 1, text: 'kind: Deployment' } });
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(c.published.filter((p) => p.uri === uri).length, 0);
  });
});

describe('pull diagnostics (client with textDocument.diagnostic)', { timeout: 20000 }, () => {
  let c: TestClient | undefined;
  after(() => c?.kill());

  it('advertises diagnosticProvider and answers textDocument/diagnostic', async () => {
    c = await startServer({ pull: true });
    await open(c);
    const report = (await within(c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } }), 5000, 'textDocument/diagnostic')) as DocumentDiagnosticReport;
    assert.equal(report.kind, 'full');
    assert.ok(report.kind === 'full');
    assertGrace(report.items.find((d) => d.code === GRACE_RULE));
    // Same version, same settings: the client's previous result is still good.
    const again = (await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI }, previousResultId: report.resultId })) as DocumentDiagnosticReport;
    assert.equal(again.kind, 'unchanged');
    // Pull clients never get pushes.
    assert.equal(c.published.length, 0);
  });

  it('a closed and reopened document at the same version never matches an old resultId', async () => {
    assert.ok(c);
    const first = (await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } })) as DocumentDiagnosticReport;
    assert.ok(first.kind === 'full' && first.items.length > 0);
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await open(c, URI, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n', 1);
    const reopened = (await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI }, previousResultId: first.resultId })) as DocumentDiagnosticReport;
    assert.equal(reopened.kind, 'full');
    assert.ok(reopened.kind === 'full' && reopened.items.length === 0);
    await c.conn.sendNotification('textDocument/didClose', { textDocument: { uri: URI } });
    await open(c);
  });

  it('asks the client to refresh diagnostics and CodeLens when settings change', async () => {
    assert.ok(c);
    c.settings = { rules: { [GRACE_RULE]: 'off' } };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const deadline = Date.now() + 3000;
    while (!(c.refreshes.includes('diagnostic') && c.refreshes.includes('codeLens')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual([...new Set(c.refreshes)].sort(), ['codeLens', 'diagnostic']);
    const report = (await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri: URI } })) as DocumentDiagnosticReport;
    assert.ok(report.kind === 'full');
    assert.ok(!report.items.some((d) => d.code === GRACE_RULE), 'rule turned off by settings');
  });
});
