#!/usr/bin/env node
// CLI benchmark (npm run bench; not a test). Builds 1k / 5k / 50k-resource trees and one large single file from the
// repository's own examples and fixtures (examples/, test/kinds, test/rules: LLM workloads of every kind plus the
// Services, ConfigMaps, HPAs, PDBs... they carry) with names made unique per copy, then measures the CLI
// (`servelint --no-cost -f json`) and a floor that only reads the same files and runs yaml's parseAllDocuments on one
// thread. Wall, CPU (user+sys) and peak RSS come from /usr/bin/time; they are printed as ratios to the floor of the
// same run, with the machine's core count; the CLI uses every core (SERVELINT_THREADS=1 in the environment: one).
// Each command runs --runs times (default 3), in turns with the other, and the run of median wall time is reported.
// With a 5k tree and a larger one it also prints how the larger scales: wall per resource and peak RSS against 5k.
//   npm run build && node scripts/bench-cli.mjs [--sizes=1000,5000,50000] [--runs=3] [--keep]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const sizesArg = process.argv.find((a) => a.startsWith('--sizes='));
const SIZES = sizesArg ? sizesArg.slice(8).split(',').map(Number) : [1000, 5000, 50000];
const runsArg = process.argv.find((a) => a.startsWith('--runs='));
/** Runs of each command per input (the medians are reported). */
const RUNS = runsArg ? Math.max(1, Number(runsArg.slice(7)) || 1) : 3;
const CLI = join(ROOT, 'server', 'bin', 'servelint.js');

function walk(p, out) {
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const n of fs.readdirSync(p).sort()) walk(join(p, n), out);
  else if (/\.ya?ml$/.test(p) && !/\.fixed\.ya?ml$/.test(p)) out.push(p);
  return out;
}

/** Every document of the examples and fixtures that has a kind (fixtures of invalid YAML are left out). */
function pool() {
  const docs = [];
  for (const f of ['examples', 'test/kinds', 'test/rules'].flatMap((d) => walk(join(ROOT, d), []))) {
    for (const d of fs.readFileSync(f, 'utf8').split(/^---[^\n]*\n/m)) {
      if (/^kind:\s*\S/m.test(d) && /^metadata:/m.test(d) && !d.includes("{{")) docs.push(d.trimEnd() + '\n');
    }
  }
  return docs;
}

/** Copy `i` of a document: every `name: x` and `app: x` value gets a suffix, so copies do not collide. */
const copy = (doc, i) => doc.replace(/^(\s*(?:-\s+)?(?:name|app|claimName):\s*)([A-Za-z0-9][\w.-]*)\s*$/gm, `$1$2-c${i}`);

function buildTree(dir, resources, docs) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  let file = 0;
  while (n < resources) {
    const parts = [];
    for (let k = 0; k < 5 && n < resources; k++, n++) parts.push(copy(docs[n % docs.length], Math.floor(n / docs.length)));
    const sub = join(dir, `team-${file % 20}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(join(sub, `app-${file}.yaml`), parts.join('---\n'));
    file++;
  }
  return file;
}

function buildFile(path, resources, docs) {
  const parts = [];
  for (let n = 0; n < resources; n++) parts.push(copy(docs[n % docs.length], Math.floor(n / docs.length)));
  fs.writeFileSync(path, parts.join('---\n'));
}

const FLOOR = `
const fs = require('fs'); const path = require('path');
const { parseAllDocuments } = require(${JSON.stringify(join(ROOT, 'server', 'node_modules', 'yaml'))});
function walk(p) { const st = fs.statSync(p); if (st.isDirectory()) { for (const n of fs.readdirSync(p).sort()) walk(path.join(p, n)); } else { parseAllDocuments(fs.readFileSync(p, 'utf8')); } }
walk(process.argv[1]);`;

function yamlPath() {
  for (const p of [join(ROOT, 'server', 'node_modules', 'yaml'), join(ROOT, 'node_modules', 'yaml')]) if (fs.existsSync(p)) return p;
  throw new Error('yaml is not installed (npm ci)');
}

/** Wall seconds, CPU seconds and peak RSS (MiB) of a node command. */
function measure(args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  if (last.length !== 4 || last.some((x) => Number.isNaN(x))) throw new Error(`measure failed: ${r.stderr.slice(-500)}`);
  return { wall: last[0], cpu: last[1] + last[2], rss: last[3] / 1024 };
}

const floorScript = FLOOR.replace(JSON.stringify(join(ROOT, 'server', 'node_modules', 'yaml')), JSON.stringify(yamlPath()));
const docs = pool();
const tmp = fs.mkdtempSync(join(os.tmpdir(), 'servelint-bench-'));
console.log(`servelint CLI benchmark: ${os.cpus().length} cores, node ${process.version}, ${docs.length} distinct documents from the repository; median of ${RUNS} runs each`);
console.log('input                    | floor wall  cpu   rss   | CLI wall ×  cpu ×  rss ×');
const rows = [];
const cases = [
  ...SIZES.map((n) => ({ name: `tree ${n} resources`, make: (p) => buildTree(p, n, docs), path: join(tmp, `tree-${n}`) })),
  { name: 'file 5000 resources', make: (p) => buildFile(p, 5000, docs), path: join(tmp, 'one-5000.yaml') },
];
/** The run with the median wall time of each command, run in turns (floor, CLI, floor, CLI, ...): one slow moment of a busy machine moves one sample, not the ratio. */
function medianRuns(commands, runs) {
  const samples = commands.map(() => []);
  for (let r = 0; r < runs; r++) commands.forEach((args, i) => samples[i].push(measure(args)));
  return samples.map((s) => s.sort((a, b) => a.wall - b.wall)[Math.floor(s.length / 2)]);
}

for (const c of cases) {
  c.make(c.path);
  const [floor, cli] = medianRuns([['-e', floorScript, c.path], [CLI, '--no-cost', '-f', 'json', '-o', join(tmp, 'out.json'), c.path]], RUNS);
  const row = { input: c.name, floor, cli, wall: cli.wall / floor.wall, cpu: cli.cpu / floor.cpu, rss: cli.rss / floor.rss };
  rows.push(row);
  console.log(
    `${c.name.padEnd(24)} | ${floor.wall.toFixed(2).padStart(5)}s ${floor.cpu.toFixed(2).padStart(5)}s ${floor.rss.toFixed(0).padStart(4)}M | ` +
      `${row.wall.toFixed(2).padStart(6)} ${row.cpu.toFixed(2).padStart(6)} ${row.rss.toFixed(2).padStart(6)}`,
  );
}
const base = rows.find((r) => r.input === 'tree 5000 resources');
for (const r of rows.filter((x) => x.input.startsWith('tree ') && x !== base && Number(x.input.split(' ')[1]) > 5000)) {
  if (!base) break;
  const k = Number(r.input.split(' ')[1]) / 5000;
  console.log(
    `${r.input} against 5000: CLI wall per resource ${(r.cli.wall / k / base.cli.wall).toFixed(2)}×, CPU per resource ${(r.cli.cpu / k / base.cli.cpu).toFixed(2)}×, ` +
      `peak RSS ${(r.cli.rss / base.cli.rss).toFixed(2)}× (floor: wall per resource ${(r.floor.wall / k / base.floor.wall).toFixed(2)}×, RSS ${(r.floor.rss / base.floor.rss).toFixed(2)}×)`,
  );
}
if (!process.argv.includes('--keep')) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`inputs kept in ${tmp}`);
