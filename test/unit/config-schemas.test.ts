import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import Ajv from 'ajv';
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_SCHEMA, parseConfig, validateConfigObject } from '../../server/src/engine/config';
import { validateSarif } from './helpers/sarif';
import gpuCatalogSchema from '../../schemas/gpu-catalog.schema.json';
import modelCatalogSchema from '../../schemas/model-catalog.schema.json';
import gpusJson from '../../server/data/gpus.json';
import modelsJson from '../../server/data/models.json';

type Obj = { required?: string[]; properties?: Record<string, unknown> };
const defs = CONFIG_SCHEMA.definitions as Record<string, Obj>;

test('gpus.extra and models items accept the same keys as the catalog schemas (drift check)', () => {
  const pairs: [string, Obj, Obj][] = [
    ['gpu', defs.gpu!, (gpuCatalogSchema.definitions as Record<string, Obj>).gpu!],
    ['model', defs.model!, (modelCatalogSchema.definitions as Record<string, Obj>).model!],
  ];
  for (const [name, mine, theirs] of pairs) {
    assert.deepEqual(Object.keys(mine.properties ?? {}).sort(), Object.keys(theirs.properties ?? {}).sort(), `${name} properties`);
    assert.deepEqual([...(mine.required ?? [])].sort(), [...(theirs.required ?? [])].sort(), `${name} required`);
  }
});

test('catalog entries from server/data validate as gpus.extra / models entries', () => {
  const ajv = new Ajv({ strict: false });
  const gpus = gpusJson as unknown as { gpus: unknown[] };
  const models = modelsJson as unknown as { models: unknown[] };
  const validate = ajv.compile(CONFIG_SCHEMA);
  assert.ok(validate({ gpus: { extra: gpus.gpus } }), JSON.stringify(validate.errors?.slice(0, 3)));
  assert.ok(validate({ models: models.models }), JSON.stringify(validate.errors?.slice(0, 3)));
});

test('the config schema is valid draft-07 and its examples validate', () => {
  const ajv = new Ajv({ strict: true, allErrors: true });
  ajv.addVocabulary(['markdownDescription']);
  const validate = ajv.compile(CONFIG_SCHEMA);
  for (const example of (CONFIG_SCHEMA.examples as unknown[]) ?? []) assert.ok(validate(example), JSON.stringify(validate.errors));
  assert.ok(!validate({ rules: { nope: 'error' } }));
});

test('the config schema describes every property (for editor completion)', () => {
  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') return;
    const props = (node as { properties?: Record<string, Record<string, unknown>> }).properties;
    for (const [k, v] of Object.entries(props ?? {})) {
      assert.ok(typeof v.description === 'string' || typeof v.$ref === 'string', `${where}.${k} has no description`);
      walk(v, `${where}.${k}`);
    }
  };
  walk(CONFIG_SCHEMA, '');
  walk(CONFIG_SCHEMA.definitions, 'definitions');
});

test('the vendored SARIF 2.1.0 schema accepts a minimal log and rejects broken ones', () => {
  const log = {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [{
      tool: { driver: { name: 'servelint', informationUri: 'https://example.com', rules: [{ id: 'missing-readiness-probe', shortDescription: { text: 'x' } }] } },
      results: [{
        ruleId: 'missing-readiness-probe', ruleIndex: 0, level: 'warning', message: { text: 'No readinessProbe.' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'deploy.yaml' }, region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 9 } } }],
      }],
    }],
  };
  assert.deepEqual(validateSarif(log), []);
  assert.ok(validateSarif({ runs: [] }).some((e) => e.includes('version')));
  const badLevel = structuredClone(log);
  (badLevel.runs[0]!.results[0] as { level: string }).level = 'warn';
  assert.ok(validateSarif(badLevel).length > 0);
  const noMessage = structuredClone(log) as { runs: { results: Record<string, unknown>[] }[] };
  delete noMessage.runs[0]!.results[0]!.message;
  assert.ok(validateSarif(noMessage).some((e) => e.includes('message')));
  const badRegion = structuredClone(log);
  badRegion.runs[0]!.results[0]!.locations[0]!.physicalLocation.region.startLine = 0;
  assert.ok(validateSarif(badRegion).length > 0);
});

test('parseConfig positions are usable as LSP ranges (0-based = 1-based - 1)', () => {
  const text = 'assumptions:\n  utilization: 7\n';
  const [e] = parseConfig(text).errors;
  const lines = text.split('\n');
  assert.equal(lines[e!.line - 1]!.slice(e!.column - 1, e!.endColumn - 1), '7');
});

test('every config example in docs/configuration.md is valid', () => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'docs', 'configuration.md')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  const md = fs.readFileSync(path.join(dir, 'docs', 'configuration.md'), 'utf8');
  const blocks = [...md.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => !/^metadata:/m.test(b));
  assert.ok(blocks.length >= 6);
  for (const b of blocks) assert.deepEqual(parseConfig(b).errors, [], b);
});

test('an empty config (the editor defaults) is accepted without compiling the schema, as the schema itself accepts it', () => {
  const validate = new Ajv({ strict: false }).compile(CONFIG_SCHEMA);
  assert.ok(validate({}));
  assert.deepEqual(validateConfigObject({}), { config: {}, errors: [] });
  assert.deepEqual(parseConfig('{}\n').errors, []);
});
