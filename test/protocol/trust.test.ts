/** docsBaseUrl from a workspace's .servelint.yaml: used when the editor trusts the workspace, ignored when not. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { startServer, type TestClient } from './helpers/lsp-client';
import { GRACE_RULE, VLLM_DEFAULT_GRACE } from './helpers/fixtures';

describe('workspace trust and docsBaseUrl', { timeout: 20000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-trust-'));
  fs.writeFileSync(path.join(dir, '.servelint.yaml'), 'docsBaseUrl: https://docs.attacker.example/rules\n');
  const uri = pathToFileURL(path.join(dir, 'llama.yaml')).href;
  const clients: TestClient[] = [];
  after(() => {
    for (const c of clients) c.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const linkFor = async (workspaceTrusted: boolean | undefined): Promise<string | undefined> => {
    const c = await startServer({ pull: false, ...(workspaceTrusted !== undefined ? { workspaceTrusted } : {}) });
    clients.push(c);
    const got = c.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === GRACE_RULE));
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: VLLM_DEFAULT_GRACE } });
    return (await got).diagnostics.find((d) => d.code === GRACE_RULE)?.codeDescription?.href;
  };

  it('trusted (the default): the workspace chooses the link', async () => {
    assert.equal(await linkFor(undefined), `https://docs.attacker.example/rules/${GRACE_RULE}.md`);
  });

  it('untrusted (initializationOptions.workspaceTrusted false): the default link', async () => {
    assert.equal(await linkFor(false), `https://github.com/servelint/servelint/blob/main/docs/rules/${GRACE_RULE}.md`);
  });
});
