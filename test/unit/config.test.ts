import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CONFIG_RULE_IDS, mergeConfig, parseConfig, validateConfigObject, type ConfigError } from '../../server/src/engine/config';
import { clearConfigCache, findConfigFile, loadConfigFile, loadConfigFor } from '../../server/src/config/load';
import { allRules } from '../../server/src';
import { editorSettingsToConfig } from '../../server/src/lsp/settings';

const VALID = `# servelint config
rules:
  missing-readiness-probe: error
  canary-without-analysis: off
assumptions:
  maxOutputTokens: 4096
  secondsPerOutputToken: 0.02
  ttftSeconds: 0.5
  weightLoadSeconds: 180
  weightLoadGbps: 2
  startupSeconds: 30
  utilization: 0.5
  gpuMemoryUtilization: 0.9
  inputTokensPerRequest: 1000
gpus:
  default: h100-80gb
  prices:
    h100-80gb: 2.49
  extra:
    - id: mi300x
      name: AMD Instinct MI300X
      memoryGB: 192
      memoryBandwidthTBs: 5.3
      usdPerGpuHour: 3.5
      vendor: amd
models:
  - id: acme/finetune-70b
    totalParamsB: 70
    nativeDtype: bf16
hostedApi:
  name: gpt-4o-mini
  inputPerMillion: 0.15
  outputPerMillion: 0.6
docsBaseUrl: https://example.com/docs/rules
`;

function only(errors: ConfigError[], pathPrefix: string): ConfigError {
  const found = errors.filter((e) => e.path === pathPrefix);
  assert.equal(found.length, 1, `expected one error at ${pathPrefix}, got ${JSON.stringify(errors, null, 1)}`);
  return found[0]!;
}

test('valid config parses without errors', () => {
  const { config, errors } = parseConfig(VALID);
  assert.deepEqual(errors, []);
  assert.equal(config.rules?.['canary-without-analysis'], 'off');
  assert.equal(config.assumptions?.utilization, 0.5);
  assert.equal(config.gpus?.prices?.['h100-80gb'], 2.49);
  assert.equal(config.gpus?.extra?.length, 1);
  assert.equal(config.hostedApi?.outputPerMillion, 0.6);
  assert.equal(config.docsBaseUrl, 'https://example.com/docs/rules');
});

test('empty and comment-only files are an empty config', () => {
  assert.deepEqual(parseConfig(''), { config: {}, errors: [] });
  assert.deepEqual(parseConfig('# nothing yet\n'), { config: {}, errors: [] });
});

test('sections whose entries are all commented out count as absent', () => {
  assert.deepEqual(parseConfig('rules:\n  # missing-prestop-drain: off\ngpus:\n  prices:\n').errors, []);
  assert.deepEqual(parseConfig('rules:\n  # missing-prestop-drain: off\n').config, {});
});

test('wrong types are reported at the value, with 1-based line/column', () => {
  const text = 'assumptions:\n  utilization: 1.5\n  maxOutputTokens: "lots"\ngpus:\n  prices:\n    h100-80gb: cheap\n';
  const { config, errors } = parseConfig(text, '.servelint.yaml');
  const u = only(errors, '/assumptions/utilization');
  assert.deepEqual([u.line, u.column, u.endLine, u.endColumn], [2, 16, 2, 19]);
  assert.match(u.message, /^\.servelint\.yaml: assumptions\.utilization must be <= 1/);
  const m = only(errors, '/assumptions/maxOutputTokens');
  assert.deepEqual([m.line, m.column, m.endLine, m.endColumn], [3, 20, 3, 26]);
  assert.match(m.message, /must be an integer \(got string "lots"\)/);
  const p = only(errors, '/gpus/prices/h100-80gb');
  assert.deepEqual([p.line, p.column], [6, 16]);
  assert.ok(errors.every((e) => e.severity === 'error'));
  // Invalid values are dropped, so the returned config still matches ServelintConfig.
  assert.deepEqual(config, { assumptions: {}, gpus: { prices: {} } });
});

test('utilization must be > 0 and a mapping where a mapping is expected', () => {
  const { errors } = parseConfig('assumptions:\n  utilization: 0\nmodels: {}\n');
  assert.match(only(errors, '/assumptions/utilization').message, /must be > 0/);
  const models = only(errors, '/models');
  assert.match(models.message, /models must be a list \(got a mapping\)/);
  assert.deepEqual([models.line, models.column, models.endColumn], [3, 1, 7]); // the key `models`
});

test('unknown rule id names the key and suggests the closest rule', () => {
  const { config, errors } = parseConfig('rules:\n  missing-readines-probe: off\n  missing-prestop-drain: warning\n');
  const e = only(errors, '/rules/missing-readines-probe');
  assert.deepEqual([e.line, e.column, e.endLine, e.endColumn], [2, 3, 2, 25]);
  assert.match(e.message, /Unknown rule id "missing-readines-probe"\. Did you mean "missing-readiness-probe"\?/);
  assert.deepEqual(config, { rules: { 'missing-prestop-drain': 'warning' } });
});

test('bad severity lists the allowed values', () => {
  const e = only(parseConfig('rules:\n  missing-prestop-drain: warn\n').errors, '/rules/missing-prestop-drain');
  assert.match(e.message, /must be one of: error, warning, info, off \(got "warn"\)/);
  assert.deepEqual([e.line, e.column], [2, 26]);
});

test('unknown top-level and nested keys are reported at the key', () => {
  const { errors } = parseConfig('asumptions:\n  utilization: 0.5\nhostedApi:\n  inputPerMillion: 1\n  outputPerMillion: 2\n  currency: EUR\n');
  const top = only(errors, '/asumptions');
  assert.deepEqual([top.line, top.column, top.endColumn], [1, 1, 11]);
  assert.match(top.message, /Unknown key "asumptions" at the top level\. Did you mean "assumptions"\?/);
  const nested = only(errors, '/hostedApi/currency');
  assert.deepEqual([nested.line, nested.column], [6, 3]);
});

test('model entries use the catalog keys: dtype suggests nativeDtype', () => {
  const { errors, config } = parseConfig('models:\n  - id: acme/x\n    totalParamsB: 7\n    dtype: bf16\n');
  const e = only(errors, '/models/0/dtype');
  assert.match(e.message, /Unknown key "dtype" in models\[0\]\. Did you mean "nativeDtype"\?/);
  assert.deepEqual([e.line, e.column], [4, 5]);
  assert.deepEqual(config, { models: [{ id: 'acme/x', totalParamsB: 7 }] });
});

test('missing required keys point at the parent key or list item', () => {
  const { errors, config } = parseConfig('hostedApi:\n  inputPerMillion: 1\ngpus:\n  extra:\n    - id: x\n      name: X\n');
  const h = only(errors, '/hostedApi');
  assert.match(h.message, /hostedApi is missing the required key "outputPerMillion"/);
  assert.deepEqual([h.line, h.column], [1, 1]);
  const extra = errors.filter((e) => e.path === '/gpus/extra/0');
  assert.deepEqual(extra.map((e) => e.message.replace(/.*key /, '')), ['"memoryGB".', '"memoryBandwidthTBs".']);
  assert.deepEqual([extra[0]!.line, extra[0]!.column, extra[0]!.endLine], [5, 7, 5]);
  assert.deepEqual(config, { gpus: { extra: [] } });
});

test('YAML syntax errors are reported with a position', () => {
  const { config, errors } = parseConfig('rules:\n  a: [1,\nb: 2\n');
  assert.ok(errors.length >= 1);
  assert.match(errors[0]!.message, /^YAML syntax error: /);
  assert.ok(errors[0]!.line >= 2);
  assert.deepEqual(config, {});
  const dup = parseConfig('docsBaseUrl: https://a\ndocsBaseUrl: https://b\n').errors;
  assert.equal(dup[0]!.line, 2);
});

test('a non-mapping document is reported', () => {
  const { config, errors } = parseConfig('- 1\n');
  assert.deepEqual(config, {});
  assert.equal(errors[0]!.path, '');
  assert.match(errors[0]!.message, /must be a mapping \(got a list\)/);
});

test('mergeConfig: later layers win, deep for rules/assumptions/prices, arrays concatenated', () => {
  const a = { rules: { 'missing-prestop-drain': 'error' as const, 'recreate-causes-downtime': 'info' as const }, assumptions: { utilization: 0.5, maxOutputTokens: 1000 }, gpus: { default: 'l4', prices: { l4: 0.7, a10g: 1 }, extra: [{ id: 'x' }] }, models: [{ id: 'm1' }], hostedApi: { name: 'A', inputPerMillion: 1, outputPerMillion: 2 }, docsBaseUrl: 'https://a' };
  const b = { rules: { 'missing-prestop-drain': 'off' as const }, assumptions: { utilization: 0.8, ttftSeconds: undefined }, gpus: { prices: { l4: 0.5 }, extra: [{ id: 'y' }] }, models: [{ id: 'm2' }], hostedApi: { inputPerMillion: 3, outputPerMillion: 4 } };
  const snapshot = JSON.stringify(a);
  const m = mergeConfig(a, undefined, b);
  assert.deepEqual(m, {
    rules: { 'missing-prestop-drain': 'off', 'recreate-causes-downtime': 'info' },
    assumptions: { utilization: 0.8, maxOutputTokens: 1000 },
    gpus: { default: 'l4', prices: { l4: 0.5, a10g: 1 }, extra: [{ id: 'x' }, { id: 'y' }] },
    models: [{ id: 'm1' }, { id: 'm2' }],
    hostedApi: { inputPerMillion: 3, outputPerMillion: 4 },
    docsBaseUrl: 'https://a',
  });
  assert.equal(JSON.stringify(a), snapshot, 'inputs are not mutated');
  assert.deepEqual(mergeConfig(), {});
  assert.deepEqual(mergeConfig({ gpus: { default: 'h100-80gb' } }, { gpus: { default: 'l4' } }), { gpus: { default: 'l4' } });
});

test('the schema knows every registered rule', () => {
  const ids = allRules().map((r) => r.id);
  for (const id of ids) assert.ok(CONFIG_RULE_IDS.includes(id), `rule ${id} missing from schemas/servelint-config.schema.json`);
  for (const id of CONFIG_RULE_IDS) assert.ok(ids.includes(id), `schema names ${id}, which is not a rule`);
});

test('every registered rule has a docs page and a row in the README', () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
  for (const { id } of allRules()) {
    const page = path.join(__dirname, '..', '..', '..', 'docs', 'rules', `${id}.md`);
    assert.ok(fs.existsSync(page), `docs/rules/${id}.md is missing`);
    assert.match(fs.readFileSync(page, 'utf8'), new RegExp(`^# ${id}\n`), `docs/rules/${id}.md has no "# ${id}" title`);
    assert.ok(readme.includes(`[${id}](docs/rules/${id}.md)`), `README's rule table has no row for ${id}`);
  }
});

test('findConfigFile walks up to the nearest .servelint.yaml / .yml', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-config-'));
  try {
    const deep = path.join(root, 'a', 'b', 'c');
    fs.mkdirSync(deep, { recursive: true });
    const manifest = path.join(deep, 'deploy.yaml');
    fs.writeFileSync(manifest, 'kind: Deployment\n');
    fs.writeFileSync(path.join(root, '.servelint.yml'), 'assumptions:\n  utilization: 0.4\n');
    assert.equal(findConfigFile(deep), path.join(root, '.servelint.yml'));
    assert.equal(findConfigFile(manifest), path.join(root, '.servelint.yml'), 'a file path uses its folder');
    fs.writeFileSync(path.join(root, 'a', '.servelint.yaml'), 'assumptions:\n  utilization: 0.6\n');
    fs.writeFileSync(path.join(root, 'a', '.servelint.yml'), 'assumptions:\n  utilization: 0.7\n');
    assert.equal(findConfigFile(deep), path.join(root, 'a', '.servelint.yaml'), 'nearest wins, .yaml before .yml');
    assert.equal(loadConfigFor(deep)?.config.assumptions?.utilization, 0.6);
    fs.mkdirSync(path.join(root, 'a', 'b', '.servelint.yaml')); // a folder with that name is not a config file
    assert.equal(findConfigFile(deep), path.join(root, 'a', '.servelint.yaml'));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('loadConfigFile reports I/O errors and parse errors, and re-reads changed files', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-config-'));
  try {
    const missing = loadConfigFile(path.join(root, 'nope.yaml'));
    assert.deepEqual(missing.config, {});
    assert.equal(missing.errors.length, 1);
    assert.match(missing.errors[0]!.message, /Cannot read config file/);

    const file = path.join(root, '.servelint.yaml');
    fs.writeFileSync(file, 'assumptions:\n  utilization: 2\n');
    const bad = loadConfigFile(file);
    assert.equal(bad.path, file);
    assert.equal(bad.errors[0]!.line, 2);
    assert.match(bad.errors[0]!.message, /^\.servelint\.yaml: /);
    assert.equal(loadConfigFile(file), bad, 'unchanged file is served from the cache');

    fs.writeFileSync(file, 'assumptions:\n  utilization: 0.25\n');
    const t = new Date(Date.now() + 5000);
    fs.utimesSync(file, t, t);
    assert.equal(loadConfigFile(file).config.assumptions?.utilization, 0.25);
    clearConfigCache();
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('editor settings are validated like .servelint.yaml: out-of-range values are dropped, the rest kept', () => {
  const cfg = editorSettingsToConfig({ assumptions: { utilization: 5, maxOutputTokens: 2048 }, gpuPrices: { L4: 1.2 }, rules: { 'missing-prestop-drain': 'off' } } as never);
  assert.equal(cfg.assumptions?.utilization, undefined);
  assert.equal(cfg.assumptions?.maxOutputTokens, 2048);
  assert.deepEqual(cfg.gpus?.prices, { L4: 1.2 });
  assert.equal(cfg.rules?.['missing-prestop-drain'], 'off');
  assert.equal(validateConfigObject({ assumptions: { utilization: 0.5 } }).errors.length, 0);
  assert.match(validateConfigObject({ assumptions: { utilization: 5 } }).errors.join(' '), /utilization/);
});
