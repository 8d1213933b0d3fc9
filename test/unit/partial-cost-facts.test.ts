/**
 * The weightLoad and memoryFit facts are computed without the throughput model (cost-bridge weightLoadFor,
 * memoryFitOf): they must equal what the full cost analysis carries, on every workload of the examples and fixtures.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { Inventory } from '../../server/src';
import { analyzeWorkload } from '../../server/src/engine/analyze';
import { costFor, memoryFitOf, weightLoadFor } from '../../server/src/engine/cost-bridge';
import { Lookups } from '../../server/src/engine/lookups';
import { parseDocumentText } from '../../server/src/engine/parse';
import { splitDocuments } from '../../server/src/engine/yaml/split';

const ROOT = path.join(__dirname, '..', '..', '..');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const n of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (fs.statSync(p).isDirectory()) yamlFiles(p, out);
    else if (/\.ya?ml$/.test(n)) out.push(p);
  }
  return out;
}

test('weightLoad and memoryFit without the throughput model equal the cost analysis figures on every example and fixture workload', () => {
  let compared = 0;
  let estimated = 0;
  let fits = 0;
  const configs = [{}, { assumptions: { weightLoadGbps: 0.5, startupSeconds: 30 } }];
  for (const file of ['examples', 'test/rules', 'test/kinds'].flatMap((d) => yamlFiles(path.join(ROOT, d)))) {
    const docs = splitDocuments(fs.readFileSync(file, 'utf8')).map((c) => parseDocumentText(c.text));
    const inventory = new Inventory(docs.flatMap((d) => d.objects), docs.flatMap((d) => d.workloads));
    for (const w of inventory.workloads) {
      for (const config of configs) {
        const a = analyzeWorkload(w, config, new Lookups(inventory));
        if (!a) continue;
        const where = `${path.relative(ROOT, file)} ${w.kind}/${w.name}`;
        const full = costFor(a, config);
        const alone = weightLoadFor(a, config);
        assert.deepEqual(alone, full.weightLoad, where);
        const fit = memoryFitOf(a, config);
        const r = full.report;
        assert.deepEqual(fit, r && { memoryFit: r.memoryFit, model: r.model, gpu: r.gpu, gpusPerReplica: r.gpusPerReplica }, where);
        compared++;
        if (alone) estimated++;
        if (fit?.memoryFit) fits++;
      }
    }
  }
  assert.ok(compared > 300 && estimated > 150 && fits > 50, `${compared} compared, ${estimated} with a weight-load estimate, ${fits} with a memory fit`);
});
