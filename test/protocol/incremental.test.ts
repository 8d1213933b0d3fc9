/**
 * Edits to one document of a multi-document file (incremental didChange) give the diagnostics and quick fixes a
 * fresh open of the edited text gives: edits that change a cross-document relation (the HPA's minReplicas, deleting
 * the PDB), that split or join documents (typing / removing `---`), that add a line and that type within a line.
 */
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import type { CodeAction, Diagnostic, DocumentDiagnosticReport, FullDocumentDiagnosticReport, Position } from 'vscode-languageserver-protocol/node';
import { startServer, within, type TestClient } from './helpers/lsp-client';
import { MULTIDOC, span } from './helpers/multidoc';

const URI = 'file:///tmp/servelint-protocol/incremental/fleet.yaml';

function position(text: string, offset: number): Position {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: (before[before.length - 1] ?? '').length };
}

async function pull(c: TestClient, uri: string, previousResultId?: string): Promise<DocumentDiagnosticReport> {
  return (await within(c.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId }), 10000, `diagnostics of ${uri}`)) as DocumentDiagnosticReport;
}

const full = (r: DocumentDiagnosticReport): Diagnostic[] => {
  assert.equal(r.kind, 'full');
  return (r as FullDocumentDiagnosticReport).items;
};

async function quickFixes(c: TestClient, uri: string, diagnostics: Diagnostic[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const d of diagnostics) {
    const actions = (await c.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as CodeAction[];
    // The edit names the document and its version: compare what it does, not where it goes.
    out.push(actions.map((a) => ({ title: a.title, edits: a.edit?.documentChanges?.flatMap((x) => ('edits' in x ? x.edits : [])) })));
  }
  return out;
}

describe('incremental edits of a multi-document file equal a fresh open of the edited text', { timeout: 60000 }, () => {
  let edited: TestClient;
  let fresh: TestClient;
  let text = MULTIDOC;
  let version = 1;
  let resultId: string | undefined;
  let opened = 0;

  before(async () => {
    edited = await startServer({ pull: true });
    fresh = await startServer({ pull: true });
    await edited.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version, text } });
    const first = await pull(edited, URI);
    resultId = first.resultId;
    assert.ok(full(first).some((d) => d.code === 'disruption-budget-blocks-drain'), 'the PDB finding to start with');
  });
  after(() => {
    edited?.kill();
    fresh?.kill();
  });

  /** Applies the edit over the wire, then compares diagnostics and quick fixes with a fresh open in another server. */
  async function step(edit: { start: number; end: number }, newText: string): Promise<DocumentDiagnosticReport> {
    const range = { start: position(text, edit.start), end: position(text, edit.end) };
    text = text.slice(0, edit.start) + newText + text.slice(edit.end);
    await edited.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: ++version }, contentChanges: [{ range, text: newText }] });
    const report = await pull(edited, URI, resultId);
    resultId = report.resultId;
    const freshUri = `file:///tmp/servelint-protocol/incremental/fresh-${++opened}.yaml`;
    await fresh.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: freshUri, languageId: 'yaml', version: 1, text } });
    const expected = full(await pull(fresh, freshUri));
    if (report.kind === 'full') assert.deepEqual(report.items, expected, text);
    assert.deepEqual(await quickFixes(edited, URI, expected), await quickFixes(fresh, freshUri, expected), text);
    return report;
  }

  it('typing within a line of one document: diagnostics unchanged, reported as such', async () => {
    const before = text;
    const r = await step({ start: span(text, 'name: other').end, end: span(text, 'name: other').end }, 'x');
    assert.equal(r.kind, 'unchanged', 'no diagnostic moved a line or column');
    assert.notEqual(text, before);
  });

  it("changing the HPA's minReplicas re-reports the Deployment it scales", async () => {
    await step(span(text, 'minReplicas: 2'), 'minReplicas: 3');
  });

  it('adding a line in the first document moves every later diagnostic', async () => {
    const at = span(text, '  replicas: 3\n').end;
    const r = await step({ start: at, end: at }, '  revisionHistoryLimit: 2\n');
    assert.equal(r.kind, 'full');
  });

  it('typing `---` splits a document, removing it joins them again', async () => {
    const at = span(text, '  maxUnavailable').start;
    await step({ start: at, end: at }, '---\n');
    await step({ start: at, end: at + 4 }, '');
  });

  it('deleting the PDB drops its finding and re-reports the Deployment', async () => {
    const pdb = { start: span(text, 'apiVersion: policy/v1').start, end: span(text, 'apiVersion: autoscaling/v2').start };
    const r = await step(pdb, '');
    assert.ok(!full(r).some((d) => d.code === 'disruption-budget-blocks-drain'));
  });

  it('a whole-text replacement (no range) is linted from scratch', async () => {
    text = MULTIDOC;
    await edited.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: ++version }, contentChanges: [{ text }] });
    const report = await pull(edited, URI);
    await fresh.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///tmp/servelint-protocol/incremental/whole.yaml', languageId: 'yaml', version: 1, text } });
    assert.deepEqual(full(report), full(await pull(fresh, 'file:///tmp/servelint-protocol/incremental/whole.yaml')));
  });

  it('several changes in one didChange', async () => {
    const b = span(text, 'minReplicas: 2');
    // Applied in order: the second range is in the text after the first change.
    const first = { range: { start: position(text, b.start), end: position(text, b.end) }, text: 'minReplicas: 4' };
    text = text.slice(0, b.start) + 'minReplicas: 4' + text.slice(b.end);
    const a2 = span(text, 'replicas: 1');
    const second = { range: { start: position(text, a2.start), end: position(text, a2.end) }, text: 'replicas: 2\n  minReadySeconds: 5' };
    text = text.slice(0, a2.start) + 'replicas: 2\n  minReadySeconds: 5' + text.slice(a2.end);
    await edited.conn.sendNotification('textDocument/didChange', { textDocument: { uri: URI, version: ++version }, contentChanges: [first, second] });
    const report = await pull(edited, URI);
    await fresh.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: 'file:///tmp/servelint-protocol/incremental/multi.yaml', languageId: 'yaml', version: 1, text } });
    assert.deepEqual(full(report), full(await pull(fresh, 'file:///tmp/servelint-protocol/incremental/multi.yaml')));
  });
});
