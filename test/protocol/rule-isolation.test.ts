/** Language server: a rule that throws does not blank the file; the other diagnostics are published. */
import { strict as assert } from 'node:assert';
import * as path from 'path';
import { after, describe, it } from 'node:test';
import { startServer, type TestClient } from './helpers/lsp-client';
import { GRACE_RULE, VLLM_DEFAULT_GRACE } from './helpers/fixtures';

const URI = 'file:///tmp/servelint-protocol/isolation.yaml';

describe('rule isolation in the language server', { timeout: 20000 }, () => {
  let c: TestClient | undefined;
  after(() => c?.kill());

  it('publishes the other rules\' diagnostics plus one internal-error', async () => {
    c = await startServer({ pull: false, serverMain: path.join(__dirname, 'helpers', 'throwing-server.js') });
    const got = c.waitForDiagnostics(URI, (p) => p.diagnostics.length > 0);
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: VLLM_DEFAULT_GRACE } });
    const p = await got;
    const codes = p.diagnostics.map((d) => d.code);
    assert.ok(codes.includes(GRACE_RULE), `grace finding still there: ${codes.join(', ')}`);
    assert.equal(codes.filter((x) => x === 'internal-error').length, 1);
    assert.match(String(p.diagnostics.find((d) => d.code === 'internal-error')!.message), /test-rule-that-throws failed/);
  });

  it('still answers hovers on the same document', async () => {
    assert.ok(c);
    const line = VLLM_DEFAULT_GRACE.split('\n').findIndex((l) => /^\s+replicas:/.test(l));
    const hover = (await c.conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line, character: 4 } })) as { contents: { value: string } } | null;
    assert.ok(hover && /per 1M/.test(hover.contents.value), 'cost hover on replicas');
  });
});
