#!/usr/bin/env node
// Latency benchmark for the language server (npm run bench; not a test). Builds ~10,000- and ~50,000-line manifests
// of 200 / 1,000 vLLM Deployments, opens each over stdio (push diagnostics), makes 30 one-character edits in one YAML
// document (incremental didChange) and times edit -> publishDiagnostics. For scale, also times
// yaml.parseAllDocuments on the whole text and prints ratios to it. Debounce 0 (pipeline only); at 10k also the default 50 ms.
//   npm run build && node scripts/bench-lsp.mjs [--server=path/to/main.js]
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'server', 'package.json'));
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
const { parseAllDocuments } = require('yaml');
const serverArg = process.argv.find((a) => a.startsWith('--server='));
const SERVER = serverArg ? resolve(serverArg.slice(9)) : join(ROOT, 'out', 'server', 'src', 'lsp', 'main.js');
const EDITS = 30;

function deployment(i) {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama-${i}
  namespace: team-${i % 7}
  labels:
    app: llama-${i}
    team: team-${i % 7}
    tier: inference
spec:
  replicas: ${1 + (i % 6)}
  selector:
    matchLabels:
      app: llama-${i}
  template:
    metadata:
      labels:
        app: llama-${i}
        tier: inference
    spec:
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args:
            - --model
            - meta-llama/Llama-3.1-8B-Instruct
            - --max-model-len
            - "${4096 * (1 + (i % 4))}"
            - --port
            - "8000"
          ports:
            - name: http
              containerPort: 8000
          resources:
            requests:
              cpu: "8"
              memory: 32Gi
              nvidia.com/gpu: ${1 + (i % 2)}
            limits:
              memory: 32Gi
              nvidia.com/gpu: ${1 + (i % 2)}
          readinessProbe:
            httpGet:
              path: /health
              port: 8000
            initialDelaySeconds: 60
            periodSeconds: 10
`;
}

const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const ms = (x) => `${x.toFixed(1)} ms`;

async function session(text, lines, debounceMs) {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map();
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    const w = waiting.get(p.version);
    if (w) { waiting.delete(p.version); w(p); }
  });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.listen();
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { debounceMs } });
  await conn.sendNotification('initialized', {});
  const uri = 'file:///tmp/servelint-bench/fleet.yaml';
  const diagnosticsFor = (version) => new Promise((r) => waiting.set(version, r));
  let t0 = performance.now();
  let got = diagnosticsFor(1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const first = await got;
  const openMs = performance.now() - t0;
  // Edit document #100: toggle one character at the end of its `tier: inference` label value.
  const docLines = text.split('\n');
  const target = docLines.findIndex((l, i) => i > lines / 2 && l === '    tier: inference');
  const col = docLines[target].length;
  const times = [];
  for (let v = 2; v < EDITS + 2; v++) {
    const add = v % 2 === 0;
    const range = add ? { start: { line: target, character: col }, end: { line: target, character: col } } : { start: { line: target, character: col }, end: { line: target, character: col + 1 } };
    got = diagnosticsFor(v);
    t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ range, text: add ? 'x' : '' }] });
    await got;
    times.push(performance.now() - t0);
  }
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  return { openMs, findings: first.diagnostics.length, times };
}

// 200 Deployments make ~10,000 lines; 1,000 make ~50,000.
const os = await import('node:os');
console.log(`servelint language server benchmark: ${os.cpus().length} cores, node ${process.version}; server ${SERVER}`);
for (const count of [200, 1000]) {
  const text = Array.from({ length: count }, (_, i) => deployment(i)).join('---\n');
  const lines = text.split('\n').length;
  const parseTimes = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    parseAllDocuments(text);
    parseTimes.push(performance.now() - t0);
  }
  const parseMedian = pct(parseTimes, 50);
  console.log(`manifest: ${lines} lines, ${count} documents, ${(text.length / 1024).toFixed(0)} KiB; ` +
    `yaml.parseAllDocuments (whole text): median ${ms(parseMedian)} of 10`);
  for (const debounce of count > 200 ? [0] : [0, 50]) {
    const r = await session(text, lines, debounce);
    const med = pct(r.times, 50);
    console.log(`  debounce ${debounce} ms: open -> diagnostics ${ms(r.openMs)} = ${(r.openMs / parseMedian).toFixed(2)}× parse (${r.findings} diagnostics); ` +
      `edit -> diagnostics over ${EDITS} edits: p50 ${ms(med)} = ${(med / parseMedian).toFixed(3)}× parse, p99 ${ms(pct(r.times, 99))} = ` +
      `${(pct(r.times, 99) / parseMedian).toFixed(3)}× parse, max ${ms(Math.max(...r.times))}`);
  }
}
