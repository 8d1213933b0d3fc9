#!/usr/bin/env node
/**
 * Writes everything the engine reports for a set of files (findings with fixes, workloads with cost, rollout and
 * hovers) as one JSON document, so that a refactor can be checked to change nothing:
 *   node scripts/snapshot.mjs ../shared/corpus examples > before.json   (then again after, and diff)
 * Uses the compiled engine under out/ (npm run build first).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
// The composed linter (engine + rules); before the rules moved out of the engine, the engine's own Linter.
const composed = path.join(root, 'out/server/src/index.js');
const makeLinter = fs.existsSync(composed)
  ? () => require(composed).createLinter()
  : () => new (require(path.join(root, 'out/server/src/engine/index.js')).Linter)();

function walk(p, out) {
  const st = fs.statSync(p);
  if (st.isDirectory()) for (const n of fs.readdirSync(p).sort()) walk(path.join(p, n), out);
  else if (/\.ya?ml$/i.test(p)) out.push(p);
  return out;
}

const files = process.argv.slice(2).flatMap((p) => walk(p, []));
const linter = makeLinter();
const snapshot = {};
for (const f of files) {
  const text = fs.readFileSync(f, 'utf8');
  const r = linter.lint(text, { config: {} });
  snapshot[f] = {
    findings: r.findings,
    workloads: r.workloads.map((w) => ({ ...w, hovers: w.hovers, cost: w.cost, rollout: w.rollout })),
  };
}
process.stdout.write(JSON.stringify(snapshot, null, 1) + '\n');
