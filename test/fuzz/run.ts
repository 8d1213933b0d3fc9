/**
 * The long fuzz run: `npm run fuzz -- --cases 100000 [--seed N] [--out dir] [--no-corpus]`. Mutates the repository's
 * manifests (and ../shared/corpus when present), checks every property of test/fuzz/properties.ts, and writes each
 * failure, shrunk by fast-check to a minimal mutation list, as `<out>/failure-<n>.yaml` with its problems in a header.
 * Exit code 1 when anything failed. It prints the cases run, the time and the seed (to reproduce a run exactly).
 */
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { createLinter } from '../../server/src';
import { checkInput, injectedValues, mutate, mutationArb, seeds } from './properties';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? (process.argv[i + 1] as string) : fallback;
}

const cases = Number(arg('cases', '2000'));
const seed = Number(arg('seed', String(Date.now() % 2_147_483_647)));
const out = path.resolve(arg('out', 'test-results/fuzz'));
const seedList = seeds(!process.argv.includes('--no-corpus'));
const linter = createLinter();
const started = Date.now();
let slowest = { ms: 0, name: '' };
let checked = 0;
const failures: { text: string; problems: string[]; name: string; mutations: unknown }[] = [];

const prop = fc.property(fc.nat(seedList.length - 1), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (i, mutations) => {
  const s = seedList[i]!;
  const text = mutate(s.text, mutations);
  if (++checked % 10_000 === 0) console.log(`  ${checked} cases checked, ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const t0 = Date.now();
  const problems = checkInput(text, linter, injectedValues(mutations));
  const ms = Date.now() - t0;
  if (ms > slowest.ms) slowest = { ms, name: `${s.name} + ${JSON.stringify(mutations)}` };
  if (problems.length) {
    failures.push({ text, problems, name: s.name, mutations });
    return false;
  }
  return true;
});

// One failure is shrunk (fast-check stops at the first); the run then goes on with a new seed until `cases` are done.
let done = 0;
let round = 0;
while (done < cases) {
  const details = fc.check(prop, { numRuns: cases - done, seed: seed + round, endOnFailure: false });
  done += details.numRuns;
  round++;
  if (!details.failed) break;
  const [i, mutations] = details.counterexample as [number, unknown[]];
  const s = seedList[i]!;
  const text = mutate(s.text, mutations as Parameters<typeof mutate>[1]);
  const problems = checkInput(text, linter, injectedValues(mutations as Parameters<typeof mutate>[1]));
  fs.mkdirSync(out, { recursive: true });
  const file = path.join(out, `failure-${round}.yaml`);
  fs.writeFileSync(file, `${problems.map((p) => `# ${p.replace(/\n/g, ' ')}`).join('\n')}\n# seed manifest: ${s.name}\n# mutations: ${JSON.stringify(mutations)}\n${text}`);
  console.log(`FAIL (shrunk) → ${path.relative(process.cwd(), file)}\n  ${problems.slice(0, 3).join('\n  ')}`);
  if (round > 50) break;
}
const seconds = (Date.now() - started) / 1000;
const failed = round > 1 || failures.length > 0 ? Math.max(0, round - 1) : 0;
console.log(`fuzz: ${done} cases in ${seconds.toFixed(1)} s (${seedList.length} seed manifests), seed ${seed}; slowest case ${slowest.ms} ms`);
console.log(`${done - failed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
