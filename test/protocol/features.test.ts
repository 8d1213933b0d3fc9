/** Hover, CodeLens (+ resolve), code actions and applying a quick fix with an incremental didChange. */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, CodeLens, Diagnostic, Hover, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/node';
import { startServer, within, type TestClient } from './helpers/lsp-client';
import { GRACE_RULE, lineOf, VLLM_DEFAULT_GRACE } from './helpers/fixtures';

const URI = 'file:///tmp/servelint-protocol/features.yaml';

describe('hover, CodeLens and code actions', { timeout: 20000 }, () => {
  let c: TestClient;
  let grace: Diagnostic;
  before(async () => {
    c = await startServer({ pull: false });
    const got = c.waitForDiagnostics(URI, (p) => p.diagnostics.some((d) => d.code === GRACE_RULE));
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: VLLM_DEFAULT_GRACE } });
    grace = (await got).diagnostics.find((d) => d.code === GRACE_RULE)!;
  });
  after(() => c?.kill());

  it('hover on replicas shows markdown with the $ / 1M tokens figure', async () => {
    const line = lineOf(VLLM_DEFAULT_GRACE, 'replicas: 4');
    const h = (await within(c.conn.sendRequest('textDocument/hover', { textDocument: { uri: URI }, position: { line, character: 4 } }), 5000, 'hover')) as Hover | null;
    assert.ok(h, 'a hover on replicas');
    assert.equal((h.contents as { kind: string }).kind, 'markdown');
    assert.match(String((h.contents as { value: string }).value), /\$\s*[\d.,]+\s*(?:\/|per)\s*1M\s+(?:output\s+)?tokens/);
    assert.equal(h.range?.start.line, line, 'hover range on the replicas line');
  });

  it('CodeLens on the kind: line, resolved to a cost title and the breakdown command', async () => {
    const lenses = (await c.conn.sendRequest('textDocument/codeLens', { textDocument: { uri: URI } })) as CodeLens[];
    assert.ok(lenses.length >= 1, 'at least the cost lens');
    const kindLine = lineOf(VLLM_DEFAULT_GRACE, 'kind: Deployment');
    for (const l of lenses) {
      assert.equal(l.range.start.line, kindLine);
      assert.equal(l.command, undefined, 'lazy: command comes from codeLens/resolve');
    }
    const cost = (await c.conn.sendRequest('codeLens/resolve', lenses[0])) as CodeLens;
    assert.ok(cost.command);
    assert.match(cost.command.title, /^≈ \$[\d.,]+ \/ 1M tokens \((?:est\.: saturated, \d+ seqs.*?, \d+ in \/ \d+ out|measured)\) · 4 × 1× H100-SXM · \$[\d.,]+\/hr · \$[\d,]+\/mo$/);
    assert.equal(cost.command.command, 'servelint.showCostBreakdown');
    assert.deepEqual(cost.command.arguments, [URI, 0]);
    if (lenses[1]) {
      const rollout = (await c.conn.sendRequest('codeLens/resolve', lenses[1])) as CodeLens;
      assert.match(String(rollout.command?.title), /^rollout/);
    }
    const breakdown = (await c.conn.sendRequest('servelint/costBreakdown', { uri: URI, index: 0 })) as { title: string; markdown: string };
    assert.equal(breakdown.title, 'Deployment/llama-3-1-8b (inference)');
    assert.match(breakdown.markdown, /1M tokens/);
    const docCost = (await c.conn.sendRequest('servelint/documentCost', { uri: URI })) as { workloads: number; costed: number; usdPerHour: number | null; usdPerMillionTokens?: number };
    assert.equal(docCost.workloads, 1);
    assert.equal(docCost.costed, 1);
    assert.ok((docCost.usdPerHour ?? 0) > 0 && (docCost.usdPerMillionTokens ?? 0) > 0, JSON.stringify(docCost));
  });

  it('offers quick fixes, disable actions and docs; the preferred fix removes the diagnostic', async () => {
    const actions = (await c.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri: URI },
      range: grace.range,
      context: { diagnostics: [grace], only: ['quickfix'] },
    })) as CodeAction[];
    const titles = actions.map((a) => a.title);
    assert.ok(titles.includes(`Disable ${GRACE_RULE} for this line`), titles.join('\n'));
    assert.ok(titles.some((t) => t.startsWith(`Disable ${GRACE_RULE} for this workload`)), titles.join('\n'));
    assert.ok(titles.includes(`Show documentation for ${GRACE_RULE}`));
    const preferred = actions.find((a) => a.isPreferred);
    assert.ok(preferred?.edit?.documentChanges, 'preferred quick fix with documentChanges');
    assert.match(preferred.title, /^Set terminationGracePeriodSeconds/);
    const change = preferred.edit.documentChanges[0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri: URI, version: 1 });

    // Apply locally, send as incremental changes (last edit first so earlier ranges stay valid).
    const edits = [...(change.edits as TextEdit[])].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    const doc = TextDocument.create(URI, 'yaml', 1, VLLM_DEFAULT_GRACE);
    const fixed = TextDocument.applyEdits(doc, edits);
    assert.match(fixed, /terminationGracePeriodSeconds: \d+/);
    const gone = c.waitForDiagnostics(URI, (p) => p.version === 2);
    await c.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: URI, version: 2 },
      contentChanges: edits.map((e) => ({ range: e.range, text: e.newText })),
    });
    const p = await gone;
    assert.ok(!p.diagnostics.some((d) => d.code === GRACE_RULE), `still there: ${JSON.stringify(p.diagnostics.map((d) => d.code))}`);
  });

  it('disable-for-this-workload adds the ignore-check annotation and silences the rule', async () => {
    const text = VLLM_DEFAULT_GRACE;
    const uri = URI.replace('features', 'annotate');
    const got = c.waitForDiagnostics(uri, (x) => x.diagnostics.some((d) => d.code === GRACE_RULE));
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    const d = (await got).diagnostics.find((x) => x.code === GRACE_RULE)!;
    const actions = (await c.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    const disable = actions.find((a) => a.title.startsWith(`Disable ${GRACE_RULE} for this workload`));
    const edits = (disable?.edit?.documentChanges?.[0] as TextDocumentEdit).edits as TextEdit[];
    const after = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
    assert.match(after, /metadata:\n {2}annotations:\n {4}ignore-check\.servelint\.io\/grace-period-truncates-generations: "reason: TODO"\n {2}name: llama-3-1-8b/);
    const quiet = c.waitForDiagnostics(uri, (x) => x.version === 2);
    await c.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: after }] });
    assert.ok(!(await quiet).diagnostics.some((x) => x.code === GRACE_RULE));
  });

  it('source.fixAll.servelint returns one edit that applies every preferred fix', async () => {
    const uri = URI.replace('features', 'fixall');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 7, text: VLLM_DEFAULT_GRACE } });
    const actions = (await c.conn.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.servelint');
    const change = actions[0]!.edit!.documentChanges![0] as TextDocumentEdit;
    assert.equal(change.textDocument.version, 7);
    assert.equal(change.edits.length, 1);
    const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 7, VLLM_DEFAULT_GRACE), change.edits as TextEdit[]);
    assert.match(fixed, /terminationGracePeriodSeconds/);
  });
});
