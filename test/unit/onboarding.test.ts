/**
 * The extension's onboarding contributions (client/package.json, client/media, client/src/onboarding): the starter
 * .servelint.yaml is valid, the walkthrough's media are packaged, and the `$servelint` problem matcher reads the
 * CLI's text output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { parseConfigSafe } from '../../server/src/config/load';
import { run } from '../../server/src/cli/run';
import { STARTER_CONFIG } from '../../client/src/onboarding/starter';

const ROOT = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'client/package.json'), 'utf8'));

test('the starter .servelint.yaml is valid against the config schema and sets no price', () => {
  const { config, errors } = parseConfigSafe(STARTER_CONFIG, '.servelint.yaml');
  assert.deepEqual(errors, []);
  assert.deepEqual(config.gpus?.prices ?? {}, {});
  assert.equal(config.assumptions?.maxOutputTokens, 4096);
});

test('walkthrough: every step has packaged markdown media and links only to contributed or built-in commands', () => {
  const ignore = fs.readFileSync(path.join(ROOT, 'client/.vscodeignore'), 'utf8');
  const contributed = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
  const [walk] = pkg.contributes.walkthroughs;
  assert.deepEqual(walk.steps.map((s: { id: string }) => s.id), ['openExample', 'seeCodeLens', 'setGpuPrice', 'addCi']);
  for (const step of walk.steps) {
    const md = step.media.markdown as string;
    assert.ok(fs.existsSync(path.join(ROOT, 'client', md)), `${md} is missing`);
    assert.ok(ignore.includes(`!${path.dirname(md)}/*.md`), `${md} is not packaged (client/.vscodeignore)`);
    for (const [, cmd] of (step.description as string).matchAll(/\(command:([\w.]+)/g)) assert.ok(contributed.has(cmd) || cmd!.startsWith('workbench.'), `${step.id} links to ${cmd}`);
  }
  assert.equal(fs.readFileSync(path.join(ROOT, 'client/media/walkthrough/example.yaml'), 'utf8'), fs.readFileSync(path.join(ROOT, 'examples/vllm-default-grace.yaml'), 'utf8'), 'the walkthrough example is a copy of examples/vllm-default-grace.yaml');
});

test('the $servelint problem matcher reads every finding line of the CLI text output', () => {
  const [matcher] = pkg.contributes.problemMatchers;
  const re = new RegExp(matcher.pattern.regexp);
  let out = '';
  run(['--no-cost', '--no-color', 'examples/vllm-default-grace.yaml'], { stdout: (s) => (out += s), stderr: () => undefined, readStdin: () => '', cwd: ROOT });
  const hits = out.split('\n').map((l) => re.exec(l)).filter((m) => m !== null);
  assert.deepEqual(
    hits.map((m) => `${m[matcher.pattern.file]}:${m[matcher.pattern.line]}:${m[matcher.pattern.column]} ${m[matcher.pattern.severity]} ${m[matcher.pattern.code]}`),
    [
      'examples/vllm-default-grace.yaml:10:3 warning rollout-drops-capacity',
      'examples/vllm-default-grace.yaml:22:17 error grace-period-truncates-generations',
      'examples/vllm-default-grace.yaml:22:17 warning missing-prestop-drain',
    ],
  );
  assert.ok(hits.every((m) => m[matcher.pattern.message]!.length > 20));
  assert.equal(pkg.contributes.taskDefinitions[0].type, 'servelint');
});
