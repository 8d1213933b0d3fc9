#!/usr/bin/env node
// Latency benchmark for the language server (npm run bench; not a test). Builds ~10,000- and ~50,000-line manifests
// of 200 / 1,000 vLLM Deployments and, over stdio with a client like VS Code's (pull diagnostics, lazy CodeLens):
//   open      didOpen -> the first full textDocument/diagnostic report
//   edit      30 one-character edits inside one YAML document (incremental didChange) -> its diagnostic report
//   newline   10 edits that add or remove a line break in that document (every later diagnostic moves a line)
//   hover     a hover on the edited document's `replicas:` value
//   CodeLens  textDocument/codeLens after an edit (the first, cold one computes every workload's cost)
//   RSS       the server's peak resident memory (VmHWM) after all that
// each as a ratio to one whole-file `yaml` parseAllDocuments in this process (median of 10) and, for RSS, to the peak
// RSS of a process that only reads and parses the file. yaml-language-server (a devDependency, for this comparison
// only) opens the same file: its open -> publishDiagnostics includes a fixed 200 ms validation delay
// (yamlSettings.validationDelayMs), reported with and without it. No schema is configured for it (schema store off).
//   npm run build && node scripts/bench-lsp.mjs [--server=path/to/main.js] [--cpu-prof[=dir]] [--sizes=200,1000 (Deployments)]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'server', 'package.json'));
const { createProtocolConnection, StreamMessageReader, StreamMessageWriter } = require('vscode-languageserver-protocol/node');
const { parseAllDocuments } = require('yaml');
const serverArg = process.argv.find((a) => a.startsWith('--server='));
// The server users run: the extension's bundle (client/dist/server.js, `node scripts/bundle.mjs`; the npm package ships
// the same build), else the compiled modules.
const BUNDLE = join(ROOT, 'client', 'dist', 'server.js');
const SERVER = serverArg ? resolve(serverArg.slice(9)) : existsSync(BUNDLE) ? BUNDLE : join(ROOT, 'out', 'server', 'src', 'lsp', 'main.js');
const YLS = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const YLS_DELAY_MS = 200;
const EDITS = 30;
const NEWLINES = 10;
const HOVERS = 20;
const LENSES = 10;
// --cpu-prof[=dir]: the servelint server writes a V8 CPU profile per session (open, then the edits) to dir (default ./bench-profiles).
const profArg = process.argv.find((a) => a.startsWith('--cpu-prof'));
const PROFILE_DIR = profArg ? resolve(profArg.includes('=') ? profArg.split('=')[1] : 'bench-profiles') : undefined;

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
const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;

/** Peak and current resident memory of a process, in KiB (Linux /proc; undefined elsewhere). */
function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1]);
    return { peak: kb('VmHWM'), now: kb('VmRSS') };
  } catch {
    return undefined;
  }
}

function connect(args, onConfiguration) {
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  conn.onRequest('workspace/configuration', (p) => p.items.map((i) => onConfiguration(i.section)));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/codeLens/refresh', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.onNotification('window/logMessage', () => {});
  conn.listen();
  return { child, conn };
}

async function close({ child, conn }) {
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
  conn.dispose();
}

async function servelintSession(text, lines, uri) {
  const s = connect([...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), SERVER, '--stdio'], () => ({}));
  const { conn } = s;
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: {
      workspace: { configuration: true, diagnostics: { refreshSupport: true }, codeLens: { refreshSupport: true } },
      textDocument: { diagnostic: { dynamicRegistration: false }, codeLens: { resolveSupport: { properties: ['command'] } }, hover: { contentFormat: ['markdown'] } },
    },
    initializationOptions: { debounceMs: 0 },
  });
  await conn.sendNotification('initialized', {});
  let resultId;
  const diagnostics = async () => {
    const r = await conn.sendRequest('textDocument/diagnostic', { textDocument: { uri }, previousResultId: resultId });
    resultId = r.resultId;
    return r;
  };
  let t0 = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const first = await diagnostics();
  const openMs = performance.now() - t0;
  // Edit document #100 / #500: toggle one character at the end of its `tier: inference` label value.
  const docLines = text.split('\n');
  const target = docLines.findIndex((l, i) => i > lines / 2 && l === '    tier: inference');
  const col = docLines[target].length;
  const replicasLine = docLines.findIndex((l, i) => i > target && l.startsWith('  replicas: '));
  let version = 1;
  const change = (range, newText) => conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: ++version }, contentChanges: [{ range, text: newText }] });
  const at = (line, character) => ({ line, character });
  const toggle = async (i, insert, del) => {
    t0 = performance.now();
    await (i % 2 === 0 ? change({ start: at(target, col), end: at(target, col) }, insert) : change(del, ''));
    return t0;
  };
  const edits = [];
  for (let i = 0; i < EDITS; i++) {
    const start = await toggle(i, 'x', { start: at(target, col), end: at(target, col + 1) });
    await diagnostics();
    edits.push(performance.now() - start);
  }
  const newlines = [];
  for (let i = 0; i < NEWLINES; i++) {
    const start = await toggle(i, '\n', { start: at(target, col), end: at(target + 1, 0) });
    const r = await diagnostics();
    if (r.kind !== 'full') throw new Error('a line break moves later diagnostics: expected a full report');
    newlines.push(performance.now() - start);
  }
  const hovers = [];
  for (let i = 0; i < HOVERS; i++) {
    t0 = performance.now();
    const h = await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: at(replicasLine, 12) });
    if (!h) throw new Error('no hover on replicas');
    hovers.push(performance.now() - t0);
  }
  t0 = performance.now();
  const lenses = await conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
  await conn.sendRequest('codeLens/resolve', lenses[0]);
  const coldLensMs = performance.now() - t0;
  const lensTimes = [];
  for (let i = 0; i < LENSES; i++) {
    const start = await toggle(i, 'x', { start: at(target, col), end: at(target, col + 1) });
    const l = await conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    await conn.sendRequest('codeLens/resolve', l[0]);
    lensTimes.push(performance.now() - start);
  }
  const memory = memoryOf(s.child.pid);
  await close(s);
  return { openMs, findings: first.items.length, edits, newlines, hovers, coldLensMs, lensTimes, memory };
}

async function ylsSession(text, uri) {
  const s = connect([YLS, '--stdio'], (section) => (section === 'yaml' ? { validate: true, hover: true, completion: true, format: { enable: false }, schemaStore: { enable: false }, schemas: {} } : {}));
  const { conn } = s;
  const published = [];
  let waiting;
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    published.push(p);
    waiting?.(p);
  });
  await conn.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
  await conn.sendNotification('initialized', {});
  // Let it take its settings before the document arrives.
  await new Promise((r) => setTimeout(r, 500));
  const got = new Promise((r) => (waiting = r));
  const t0 = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const p = await got;
  const openMs = performance.now() - t0;
  const memory = memoryOf(s.child.pid);
  await close(s);
  return { openMs, diagnostics: p.diagnostics.length, memory };
}

/** Peak RSS of a process that reads the file and parses it with parseAllDocuments (the memory floor). */
async function parseFloorMemory(file) {
  const script = `const { parseAllDocuments } = require(${JSON.stringify(require.resolve('yaml'))}); const t = require('fs').readFileSync(${JSON.stringify(file)}, 'utf8'); const d = parseAllDocuments(t); const s = require('fs').readFileSync('/proc/self/status', 'utf8'); console.log(/VmHWM:\\s+(\\d+)/.exec(s)?.[1] ?? '', d.length);`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (b) => (out += b));
  await new Promise((r) => child.on('exit', r));
  const kb = Number(out.split(' ')[0]);
  return Number.isFinite(kb) && kb > 0 ? kb : undefined;
}

const os = await import('node:os');
console.log(`servelint language server benchmark: ${os.cpus().length} cores, node ${process.version}; server ${SERVER}`);
const dir = mkdtempSync(join(tmpdir(), 'servelint-bench-lsp-'));
// 200 Deployments make ~10,000 lines; 1,000 make ~50,000.
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
for (const count of sizesArg ? sizesArg.slice(8).split(',').map(Number) : [200, 1000]) {
  const text = Array.from({ length: count }, (_, i) => deployment(i)).join('---\n');
  const lines = text.split('\n').length;
  const file = join(dir, `fleet-${count}.yaml`);
  writeFileSync(file, text);
  const uri = pathToFileURL(file).href;
  const parseTimes = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    parseAllDocuments(text);
    parseTimes.push(performance.now() - t0);
  }
  const floor = pct(parseTimes, 50);
  const floorKb = await parseFloorMemory(file);
  const x = (t) => `${(t / floor).toFixed(3)}×`;
  console.log(`\nmanifest: ${lines} lines, ${count} documents, ${(text.length / 1024).toFixed(0)} KiB; parse floor (yaml.parseAllDocuments, whole text): median ${ms(floor)} of 10` +
    `${floorKb ? `; a process that only parses it peaks at ${mb(floorKb)} RSS` : ''}`);
  const r = await servelintSession(text, lines, uri);
  const y = await ylsSession(text, uri);
  const row = (name, xs) => `  ${name.padEnd(34)} p50 ${ms(pct(xs, 50)).padStart(9)} = ${x(pct(xs, 50)).padStart(7)} parse   p99 ${ms(pct(xs, 99)).padStart(9)} = ${x(pct(xs, 99)).padStart(7)} parse`;
  console.log(`  servelint open -> diagnostics      ${ms(r.openMs).padStart(9)} = ${x(r.openMs)} parse (${r.findings} diagnostics)`);
  const ylsValidation = Math.max(0, y.openMs - YLS_DELAY_MS);
  console.log(`  yaml-language-server open -> publishDiagnostics ${ms(y.openMs)} = ${x(y.openMs)} parse (${y.diagnostics} diagnostics); without its ${YLS_DELAY_MS} ms delay ${ms(ylsValidation)} = ${x(ylsValidation)} parse`);
  console.log(`  servelint open / yaml-language-server open: ${(r.openMs / y.openMs).toFixed(2)} (${(r.openMs / Math.max(1, ylsValidation)).toFixed(2)} against its validation alone)`);
  console.log(row(`edit -> diagnostics (${EDITS} edits)`, r.edits));
  console.log(row(`line break -> diagnostics (${NEWLINES})`, r.newlines));
  console.log(row(`hover (${HOVERS})`, r.hovers));
  console.log(`  CodeLens, first (every workload's cost) ${ms(r.coldLensMs)} = ${x(r.coldLensMs)} parse`);
  console.log(row(`edit -> CodeLens (${LENSES})`, r.lensTimes));
  if (r.memory) console.log(`  servelint peak RSS ${mb(r.memory.peak)}${floorKb ? ` = ${(r.memory.peak / floorKb).toFixed(2)}× the parse-only process` : ''} (now ${mb(r.memory.now)}); yaml-language-server peak ${y.memory ? mb(y.memory.peak) : 'n/a'}`);
}
rmSync(dir, { recursive: true, force: true });
