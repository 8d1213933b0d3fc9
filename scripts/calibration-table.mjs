#!/usr/bin/env node
// Prints the calibration tables of docs/cost-model.md (error by slice, every row with its source) from
// server/data/calibration.json and the current throughput model. Run after `npx tsc -p tsconfig.json`.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const h = require('../out/test/unit/helpers/calibration.js');

const results = h.CALIBRATION_ROWS.map((r) => h.evaluateRow(r));
const stats = h.sliceStats(results);
const pct = (x) => `${x}%`;
const fmt = (x) => x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3);
const out = ['| Slice | Fit rows | Fit median | Fit max | Held-out rows | Held-out median | Held-out max |', '|---|---:|---:|---:|---:|---:|---:|'];
for (const s of h.SLICES) {
  const f = stats.find((x) => x.split === 'fit' && x.slice === s.name);
  const o = stats.find((x) => x.split === 'held-out' && x.slice === s.name);
  out.push(`| ${s.name} | ${f?.rows ?? 0} | ${f ? pct(f.medianApe) : '–'} | ${f ? pct(f.maxApe) : '–'} | ${o?.rows ?? 0} | ${o ? pct(o.medianApe) : '–'} | ${o ? pct(o.maxApe) : '–'} |`);
}
out.push('', '| Split | Row | Engine | GPUs | In / out | Conc. | Measured | Estimated | Error | Source (quote) |', '|---|---|---|---|---|---:|---:|---:|---:|---|');
const order = [...results].sort((a, b) => a.row.split.localeCompare(b.row.split) || a.row.batch - b.row.batch || h.CALIBRATION_ROWS.indexOf(a.row) - h.CALIBRATION_ROWS.indexOf(b.row));
for (const r of order) {
  const row = r.row;
  const src = row.source;
  const where = src.url ? `[page](${src.url})` : `${src.repo} \`${src.path}\` @ ${src.commit.slice(0, 8)}`;
  const quote = src.quote.replace(/\|/g, '\\|').slice(0, 80);
  const conc = row.concurrency ?? `∞ → ${r.concurrency}`;
  const run = row.prompts ? ` (${row.prompts} prompts${row.dataset === 'sharegpt' ? ', ShareGPT' : ''})` : '';
  const err = `${r.error >= 0 ? '+' : ''}${Math.round(r.error * 100)}%`;
  out.push(`| ${row.split} | \`${row.id}\` | ${row.engine ?? '?'} | ${row.gpus}x ${row.gpu} | ${row.inputTokens} / ${row.outputTokens} | ${conc}${run} | ${fmt(row.outputTokensPerSecond)} | ${fmt(r.estimate)} | ${err} | ${where} "${quote}" |`);
}
console.log(out.join('\n'));
