/** SARIF for GitHub code scanning: fingerprints, root-relative URIs, suppressions, rule metadata, schema. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { run } from '../../server/src/cli/run';
import { lint } from '../../server/src';
import { RULE_DOCS } from '../../server/src/cli/format/rule-docs';
import { validateSarif } from './helpers/sarif';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLE = fs.readFileSync(path.join(ROOT, 'examples', 'vllm-default-grace.yaml'), 'utf8');

interface Result {
  ruleId: string;
  level: string;
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: { startLine: number } } }[];
  partialFingerprints: Record<string, string>;
  suppressions?: { kind: string }[];
}

function sarif(args: string[], cwd: string): { code: number; log: any; results: Result[] } {
  let out = '';
  const code = run(['--format', 'sarif', ...args], { stdout: (s) => (out += s), stderr: () => undefined, readStdin: () => '', cwd });
  const log = JSON.parse(out);
  assert.deepEqual(validateSarif(log), [], 'schema-valid');
  return { code, log, results: log.runs[0].results };
}

/** A throwaway repository: <tmp>/.git and <tmp>/deploy/apps/m.yaml. */
function repo(text: string): { root: string; apps: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-sarif-')));
  fs.mkdirSync(path.join(root, '.git'));
  const apps = path.join(root, 'deploy', 'apps');
  fs.mkdirSync(apps, { recursive: true });
  fs.writeFileSync(path.join(apps, 'm.yaml'), text);
  return { root, apps };
}

const fingerprints = (results: Result[]): string[] => results.map((r) => `${r.ruleId} ${r.partialFingerprints['servelintFindingHash/v1']}`).sort();

test('SARIF: fingerprints do not change when lines are inserted above the findings', () => {
  const { apps } = repo(EXAMPLE);
  const before = sarif(['m.yaml'], apps).results;
  assert.equal(before.length, 3);
  for (const r of before) assert.match(r.partialFingerprints['servelintFindingHash/v1']!, /^[0-9a-f]{32}:1$/);
  const moved = '# a new comment\n# and another\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  A: "1"\n---\n' + EXAMPLE;
  fs.writeFileSync(path.join(apps, 'm.yaml'), moved);
  const after = sarif(['m.yaml'], apps).results;
  assert.notDeepEqual(
    after.map((r) => r.locations[0]!.physicalLocation.region.startLine),
    before.map((r) => r.locations[0]!.physicalLocation.region.startLine),
    'the lines did move',
  );
  assert.deepEqual(fingerprints(after), fingerprints(before));
  // Two findings of one rule on the same object and message still get distinct fingerprints (occurrence suffix),
  // and a different object is a different alert.
  fs.writeFileSync(path.join(apps, 'm.yaml'), EXAMPLE.replace('name: llama-8b\n  namespace', 'name: llama-8b-b\n  namespace'));
  const renamed = sarif(['m.yaml'], apps).results;
  assert.equal(new Set([...fingerprints(renamed), ...fingerprints(before)]).size, 6);
});

test('SARIF: artifact URIs are relative to the repository root (%SRCROOT%), whatever the working folder', () => {
  const { root, apps } = repo(EXAMPLE);
  for (const [cwd, arg] of [[apps, 'm.yaml'], [root, 'deploy'], [path.join(root, 'deploy'), 'apps/m.yaml']] as const) {
    const { log, results } = sarif([arg], cwd);
    for (const r of results) assert.deepEqual(r.locations[0]!.physicalLocation.artifactLocation, { uri: 'deploy/apps/m.yaml', uriBaseId: '%SRCROOT%' });
    assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(root).href + '/');
  }
  // Without a .git above the working folder, the working folder is the root.
  const plain = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-sarif-plain-')));
  fs.writeFileSync(path.join(plain, 'm.yaml'), EXAMPLE);
  const { log, results } = sarif(['m.yaml'], plain);
  assert.equal(results[0]!.locations[0]!.physicalLocation.artifactLocation.uri, 'm.yaml');
  assert.equal(log.runs[0].originalUriBaseIds['%SRCROOT%'].uri, pathToFileURL(plain).href + '/');
});

test('SARIF: findings silenced by # servelint-disable comments are suppressed results (kind inSource)', () => {
  const text = EXAMPLE.replace('        - name: vllm\n', '        # servelint-disable-next-line missing-prestop-drain\n        - name: vllm\n');
  const { apps } = repo(text);
  const { code, results } = sarif(['m.yaml'], apps);
  assert.equal(code, 1);
  assert.deepEqual(
    results.map((r) => [r.ruleId, r.suppressions ?? null]),
    [
      ['rollout-drops-capacity', null],
      ['grace-period-truncates-generations', null],
      ['missing-prestop-drain', [{ kind: 'inSource' }]],
    ],
  );
  // Other formats keep leaving them out.
  let out = '';
  run(['--format', 'json', 'm.yaml'], { stdout: (s) => (out += s), stderr: () => undefined, readStdin: () => '', cwd: apps });
  assert.deepEqual(JSON.parse(out).findings.map((f: { rule: string }) => f.rule), ['rollout-drops-capacity', 'grace-period-truncates-generations']);
});

test('engine: suppressed findings are returned separately, and the field is absent when nothing is suppressed', () => {
  assert.equal('suppressed' in lint(EXAMPLE), false);
  const r = lint(`# servelint-disable\n${EXAMPLE}`);
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.suppressed?.map((f) => f.rule).sort(), ['grace-period-truncates-generations', 'missing-prestop-drain', 'rollout-drops-capacity']);
});

test('SARIF: every rule has distinct short and full descriptions, help text and markdown from its docs page, tags', () => {
  const { log, code } = sarif(['examples/'], ROOT);
  const rules = log.runs[0].tool.driver.rules as {
    id: string;
    shortDescription: { text: string };
    fullDescription: { text: string };
    help: { text: string; markdown: string };
    helpUri: string;
    properties: { tags: string[] };
  }[];
  assert.equal(rules.length, Object.keys(RULE_DOCS).length);
  for (const r of rules) {
    assert.notEqual(r.shortDescription.text, r.fullDescription.text, r.id);
    assert.ok(r.help.markdown.startsWith(`# ${r.id}\n`), r.id);
    assert.ok(!r.help.text.includes('**'), r.id);
    assert.doesNotMatch(r.help.markdown, /\]\((?!https?:|#)/, `${r.id}: relative links are made absolute`);
    assert.match(r.helpUri, new RegExp(`/docs/rules/${r.id}\\.md$`));
    assert.ok(r.properties.tags.includes('kubernetes') && r.properties.tags.length >= 3, r.id);
  }
  assert.deepEqual(log.runs[0].invocations, [{ executionSuccessful: true, exitCode: code, toolExecutionNotifications: [] }]);
  assert.equal(code, 1);
  const missing = sarif(['nope.yaml'], ROOT);
  assert.equal(missing.log.runs[0].invocations[0].executionSuccessful, false);
  assert.equal(missing.log.runs[0].invocations[0].exitCode, 2);
  assert.match(missing.log.runs[0].invocations[0].toolExecutionNotifications[0].message.text, /nope\.yaml/);
});

test('the generated rule-docs module is current with docs/rules/*.md (npm run build regenerates it)', () => {
  const dir = path.join(ROOT, 'docs', 'rules');
  const docs = Object.fromEntries(
    fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => [f.slice(0, -3), fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
  assert.deepEqual({ ...RULE_DOCS }, docs);
});
