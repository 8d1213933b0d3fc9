/** servelint/costWhatIf and servelint/costWhatIfEdit: the cost view's what-ifs and the edits that write them. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol/node';
import { startServer, type TestClient } from './helpers/lsp-client';
import { lineOf, VLLM_DEFAULT_GRACE } from './helpers/fixtures';
import type { CostWhatIfEditResult, CostWhatIfResult } from '../../server/src/lsp/protocol';

// A comment and a template annotation that the edits must keep / update in place.
const MANIFEST = VLLM_DEFAULT_GRACE.replace('metadata:\n  name: llama-3-1-8b\n', 'metadata:\n  name: llama-3-1-8b # the 8B\n')
  .replace('    metadata:\n      labels:\n', '    metadata:\n      annotations:\n        servelint.io/utilization: "0.7" # measured in May\n      labels:\n');

describe('cost what-if requests', { timeout: 30000 }, () => {
  let c: TestClient;
  let dir: string;
  let uri: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-whatif-'));
    const file = path.join(dir, 'vllm.yaml');
    fs.writeFileSync(file, MANIFEST);
    uri = pathToFileURL(file).toString();
    c = await startServer({ pull: true });
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text: MANIFEST } });
  });
  after(() => {
    c?.kill();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const whatIf = (params: Record<string, unknown>): Promise<CostWhatIfResult | null> =>
    c.conn.sendRequest('servelint/costWhatIf', { uri, ...params }) as Promise<CostWhatIfResult | null>;

  it('reports the manifest\'s figures, controls with sources, and the GPUs the model fits on', async () => {
    const r = await whatIf({ index: 0 });
    assert.ok(r && r.cost, 'a report');
    assert.equal(r.title, 'Deployment/llama-3-1-8b (inference)');
    assert.deepEqual(r.workloads, [{ index: 0, title: r.title, usdPerHour: r.cost.usdPerHour }]);
    assert.equal(r.fileUsdPerHour, r.cost.usdPerHour);
    const gpu = r.controls.find((x) => x.key === 'gpu')!;
    assert.equal(gpu.value, 'H100-SXM');
    assert.ok(gpu.options!.includes('L4') && gpu.options!.includes('A100-SXM-80GB'), JSON.stringify(gpu.options));
    assert.equal(r.controls.find((x) => x.key === 'replicas')!.value, 4);
    assert.equal(r.controls.find((x) => x.key === 'replicas')!.writable, true);
    const util = r.controls.find((x) => x.key === 'utilization')!;
    assert.deepEqual([util.value, util.source], [0.7, 'annotation']);
    assert.equal(typeof r.cost.usdPerMillionTokens, 'number');
    assert.match(String(r.cost.tokensPerSecondRegime), /saturated/);
    assert.ok(r.gpuComparison.length >= 2, JSON.stringify(r.gpuComparison));
    assert.ok(r.gpuComparison.some((g) => g.gpu === 'H100-SXM'));
    for (let i = 1; i < r.gpuComparison.length; i++) assert.ok(r.gpuComparison[i - 1]!.usdPerMillionTokens <= r.gpuComparison[i]!.usdPerMillionTokens);
    assert.match(r.markdown, /1M tokens/);
  });

  it('finds the workload at a position, and recomputes through the engine with overrides', async () => {
    const base = (await whatIf({ position: { line: lineOf(MANIFEST, 'replicas: 4'), character: 4 } }))!;
    assert.equal(base.index, 0);
    const onL4 = (await whatIf({ index: 0, overrides: { gpu: 'A100-SXM-80GB' }, compareGpus: false }))!;
    assert.equal(onL4.controls.find((x) => x.key === 'gpu')!.value, 'A100-SXM-80GB');
    assert.equal(onL4.controls.find((x) => x.key === 'gpu')!.source, 'what-if');
    assert.notEqual(onL4.cost!.usdPerMillionTokens, base.cost!.usdPerMillionTokens);
    assert.deepEqual(onL4.gpuComparison, []);
    // The chart's figure for a GPU is the one the panel shows after choosing it.
    assert.equal(base.gpuComparison.find((g) => g.gpu === 'A100-SXM-80GB')?.usdPerMillionTokens, onL4.cost!.usdPerMillionTokens);
    const doubled = (await whatIf({ index: 0, overrides: { replicas: 8, usdPerGpuHour: 5 }, compareGpus: false }))!;
    assert.equal(doubled.cost!.usdPerHour, 8 * 5);
    const half = (await whatIf({ index: 0, overrides: { utilization: 0.35 }, compareGpus: false }))!;
    assert.ok(Math.abs((half.cost!.usdPerMillionTokens as number) - 2 * (base.cost!.usdPerMillionTokens as number)) < 1e-9);
    // Nonsense is dropped, not used.
    const junk = (await whatIf({ index: 0, overrides: { utilization: 7, replicas: -1, gpu: 'x; rm -rf' }, compareGpus: false }))!;
    assert.deepEqual(junk.overrides, {});
    assert.equal(junk.cost!.usdPerMillionTokens, base.cost!.usdPerMillionTokens);
  });

  it('picks the workload under the cursor in a file of two, and totals the file with the what-if', async () => {
    const two = `${MANIFEST}---\n${VLLM_DEFAULT_GRACE.replace(/llama-3-1-8b/g, 'second')}`;
    const twoUri = uri.replace('vllm.yaml', 'two.yaml');
    await c.conn.sendNotification('textDocument/didOpen', { textDocument: { uri: twoUri, languageId: 'yaml', version: 1, text: two } });
    const lines = two.split('\n');
    const second = lines.findIndex((l) => l.includes('name: second'));
    const r = (await c.conn.sendRequest('servelint/costWhatIf', { uri: twoUri, position: { line: second, character: 2 }, compareGpus: false })) as CostWhatIfResult;
    assert.equal(r.index, 1);
    assert.equal(r.title, 'Deployment/second (inference)');
    assert.deepEqual(r.workloads.map((w) => w.index), [0, 1]);
    const both = r.workloads.reduce((s, w) => s + (w.usdPerHour ?? NaN), 0);
    assert.equal(r.fileUsdPerHour, both);
    const more = (await c.conn.sendRequest('servelint/costWhatIf', { uri: twoUri, index: 1, overrides: { replicas: 8 }, compareGpus: false })) as CostWhatIfResult;
    assert.equal(more.fileUsdPerHour, (r.workloads[0]!.usdPerHour as number) + (more.cost!.usdPerHour as number));
    assert.ok((more.fileUsdPerHour as number) > both);
  });

  it('writes overrides as annotations (updating the template\'s in place) and replicas, keeping comments', async () => {
    const res = (await c.conn.sendRequest('servelint/costWhatIfEdit', { uri, index: 0, target: 'annotation', overrides: { gpu: 'L4', utilization: 0.5, replicas: 2 } })) as CostWhatIfEditResult;
    assert.ok(res.edit, res.summary.join('; '));
    const change = (res.edit as { documentChanges: TextDocumentEdit[] }).documentChanges[0]!;
    assert.equal(change.textDocument.uri, uri);
    const out = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, MANIFEST), change.edits as TextEdit[]);
    assert.match(out, /\nmetadata:\n  annotations:\n    servelint\.io\/gpu: "L4"\n  name: llama-3-1-8b # the 8B\n  namespace: inference\n/);
    assert.match(out, /servelint\.io\/utilization: "0\.5" # measured in May/);
    assert.equal(out.match(/servelint\.io\/utilization/g)?.length, 1, 'updated where it was, not added twice');
    assert.match(out, /replicas: 2\n/);
    assert.deepEqual(res.summary, ['servelint.io/gpu: "L4"', 'servelint.io/utilization: "0.5"', 'replicas: 2']);
  });

  it('writes the GPU price and utilization to a new .servelint.yaml, and nothing for a GPU alone', async () => {
    const res = (await c.conn.sendRequest('servelint/costWhatIfEdit', { uri, index: 0, target: 'config', overrides: { usdPerGpuHour: 2.25, utilization: 0.6 } })) as CostWhatIfEditResult;
    const changes = (res.edit as { documentChanges: unknown[] }).documentChanges;
    assert.deepEqual(changes[0], { kind: 'create', uri: pathToFileURL(path.join(dir, '.servelint.yaml')).toString(), options: { ignoreIfExists: true } });
    const text = ((changes[1] as TextDocumentEdit).edits[0] as TextEdit).newText;
    assert.equal(text, 'gpus:\n  prices:\n    H100-SXM: 2.25\nassumptions:\n  utilization: 0.6\n');
    const gpuOnly = (await c.conn.sendRequest('servelint/costWhatIfEdit', { uri, index: 0, target: 'config', overrides: { gpu: 'L4' } })) as CostWhatIfEditResult;
    assert.equal(gpuOnly.edit, null);
  });

  it('edits an existing .servelint.yaml in place, keeping its comments', async () => {
    const cfg = path.join(dir, '.servelint.yaml');
    fs.writeFileSync(cfg, '# team prices\ngpus:\n  prices:\n    L4: 0.8 # reserved\n');
    await c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(cfg).toString(), type: 1 }] });
    const res = (await c.conn.sendRequest('servelint/costWhatIfEdit', { uri, index: 0, target: 'config', overrides: { usdPerGpuHour: 3 } })) as CostWhatIfEditResult;
    const edit = ((res.edit as { documentChanges: TextDocumentEdit[] }).documentChanges[0]!.edits[0] as TextEdit).newText;
    assert.equal(edit, '# team prices\ngpus:\n  prices:\n    L4: 0.8 # reserved\n    H100-SXM: 3\n');
  });
});
