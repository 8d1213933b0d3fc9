import { test } from 'node:test';
import assert from 'node:assert/strict';
import gpus from '../../server/data/gpus.json';
import models from '../../server/data/models.json';
import { defaultGpuCatalog, findGpuById, validateGpuCatalog, validateGpuEntries, validateModelCatalog, validateModelEntries } from '../../server/src/engine/cost';

const IDS = ['H100-SXM', 'H100-PCIe', 'H100-NVL', 'H200', 'B200', 'GB200', 'A100-SXM-80GB', 'A100-SXM-40GB', 'A100-PCIe-80GB', 'A100-PCIe-40GB',
  'L40S', 'L40', 'L4', 'A10G', 'A10', 'T4', 'V100', 'RTX-A6000', 'RTX-6000-Ada', 'MI250X', 'MI300X', 'MI325X', 'Gaudi2', 'Gaudi3',
  'RTX-PRO-6000-Blackwell', 'A40', 'RTX-4090', 'L20', 'B300', 'MI355X', 'TPU-v5e', 'TPU-v5p', 'TPU-v6e'];

test('embedded catalogs validate against their schemas', () => {
  assert.deepEqual(validateGpuCatalog(gpus), []);
  assert.deepEqual(validateModelCatalog(models), []);
});

test('GPU catalog has exactly the required ids, sourced prices and valid instance types', () => {
  const c = defaultGpuCatalog();
  assert.deepEqual(c.gpus.map((g) => g.id), IDS);
  for (const g of c.gpus) {
    assert.ok(g.priceSource, `${g.id} priceSource`);
    if (g.usdPerGpuHour === null) assert.equal(g.priceVerified, false, `${g.id} null price must be marked unverified`);
  }
  for (const t of c.instanceTypes) {
    assert.ok(findGpuById(t.gpu, c), `${t.name} -> ${t.gpu}`);
    if (t.usdPerHour !== null) assert.ok(t.priceSource && c.sources[t.priceSource.split(' ')[0]], `${t.name} source`);
  }
  assert.equal(new Set(c.instanceTypes.map((t) => t.name)).size, c.instanceTypes.length);
});

test('user-supplied entries are validated', () => {
  const g = validateGpuEntries([{ id: 'X1', name: 'X', memoryGB: 10, memoryBandwidthTBs: 1 }, { id: 'X2', memoryGB: -1 }]);
  assert.equal(g.valid.length, 1);
  assert.ok(g.errors.length > 0 && g.errors.every((e) => e.startsWith('gpus.extra[1]')));
  const m = validateModelEntries([{ id: 'a/b', totalParamsB: 7 }, { id: 'c/d', totalParamsB: 'seven' }]);
  assert.equal(m.valid.length, 1);
  assert.ok(m.errors[0].startsWith('models[1]'));
  assert.deepEqual(validateGpuEntries(undefined), { valid: [], errors: [] });
  assert.deepEqual(validateModelEntries('nope').errors, ['models must be a list']);
});
