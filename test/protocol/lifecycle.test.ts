/** Robustness and shutdown: bad input never kills the server; shutdown + exit ends the process with 0. */
import { strict as assert } from 'node:assert';
import { after, describe, it } from 'node:test';
import { startServer, within, type TestClient } from './helpers/lsp-client';

describe('lifecycle', { timeout: 20000 }, () => {
  let c: TestClient | undefined;
  after(() => c?.kill());

  it('survives broken YAML, unknown documents and malformed requests', async () => {
    c = await startServer({ pull: true });
    const uri = 'file:///tmp/servelint-protocol/broken.yaml';
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: 'kind: [unclosed\n  - : :\n\t\u0000' } });
    const report = (await c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { kind: string; items: unknown[] };
    assert.equal(report.kind, 'full');
    assert.equal(await c.conn.sendRequest('textDocument/hover', { textDocument: { uri: 'file:///nope.yaml' }, position: { line: 0, character: 0 } }), null);
    assert.deepEqual(await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: 'file:///nope.yaml' } }), []);
    assert.equal(await c.conn.sendRequest('servelint/costBreakdown', { uri, index: 99 }), null);
    assert.equal(await c.conn.sendRequest('servelint/costBreakdown', null), null);
    const lens = await c.conn.sendRequest('codeLens/resolve', { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, data: 42 });
    assert.ok(lens);
    assert.equal(c.child.exitCode, null, 'still running');
  });

  it('shutdown then exit ends the process with code 0', async () => {
    assert.ok(c);
    await within(c.conn.sendRequest('shutdown'), 5000, 'shutdown');
    await c.conn.sendNotification('exit');
    assert.equal(await within(c.exited, 5000, 'process exit'), 0);
  });
});
