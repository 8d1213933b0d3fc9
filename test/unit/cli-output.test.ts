// The CLI's streaming, multi-threaded pipeline (lint-file.ts, pool.ts, report-store.ts, the formats writing file by
// file) prints exactly what linting every file on one thread and formatting it all at once prints: the JSON report
// against a reference built here straight from the engine (the CLI's pipeline before it streamed), and every format
// on worker threads with reports spilled to a temporary file against one thread with reports in memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { run } from '../../server/src/cli/run';
import { collectFiles } from '../../server/src/cli/files';
import { configFor } from '../../server/src/cli/config';
import { createLinter, LineIndex } from '../../server/src';
import { decodeText, oneLine, readBytes } from '../../server/src/io/text';

const ROOT = path.resolve(__dirname, '../../..');
const INPUTS = ['examples', 'test/kinds', 'test/rules'];

function cli(args: string[], threads: number, spillBytes?: number): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const env = { ...process.env, SERVELINT_THREADS: String(threads) };
  const code = run(args, { stdout: (s) => (out += s), stderr: (s) => (err += s), readStdin: () => '', cwd: ROOT, env }, { spillBytes });
  return { code, out, err };
}

/** `servelint -f json` as one in-memory pass: every file linted in order, then one JSON.stringify. */
function referenceJson(paths: string[]): string {
  const collected = collectFiles(paths.map((p) => path.resolve(ROOT, p)), { cwd: ROOT });
  assert.equal(collected.renders.length, 0, 'the reference does not render folders');
  const errors = [...collected.errors];
  const linter = createLinter();
  const findings: unknown[] = [];
  const workloads: unknown[] = [];
  for (const file of collected.files) {
    const display = path.relative(ROOT, file) || file;
    let text: string;
    try {
      text = decodeText(readBytes(file)).text;
    } catch (e) {
      errors.push(`${display}: ${oneLine(e)}`);
      continue;
    }
    const cfg = configFor(path.dirname(file));
    for (const e of cfg.errors) if (!errors.includes(e)) errors.push(e);
    const result = linter.lint(text, { config: cfg.config, fileName: display });
    const index = new LineIndex(text);
    const at = (o: number): { line: number; character: number } => index.position(o);
    for (const x of result.findings) {
      const s = at(x.range.start);
      const e = at(x.range.end);
      findings.push({
        rule: x.rule, severity: x.severity, message: x.message, file: display,
        line: s.line + 1, column: s.character + 1, endLine: e.line + 1, endColumn: e.character + 1,
        object: x.object ?? null, docsUrl: x.docsUrl, fixable: Boolean(x.fixes?.some((fx) => fx.isPreferred)),
      });
    }
    for (const w of result.workloads) {
      workloads.push({
        file: display, line: at(w.kindRange.start).line + 1, kind: w.object.kind, name: w.object.name ?? null,
        namespace: w.object.namespace ?? null, modelServer: w.modelServer, model: w.model, replicas: w.replicas,
        gpusPerPod: w.gpusPerPod, ...(w.cost ? { cost: w.cost } : {}), ...(w.rollout ? { rollout: w.rollout } : {}),
      });
    }
  }
  return JSON.stringify({ version: 1, findings, workloads, errors }, null, 2) + '\n';
}

test('JSON on the examples and fixtures: worker threads and a spilled report print the single-pass reference byte for byte', () => {
  const expected = referenceJson(INPUTS);
  const parallel = cli(['-f', 'json', ...INPUTS], 2, 0);
  assert.ok(parallel.out.length > 100_000, 'the fixtures give a large report');
  assert.ok(parallel.out === expected, 'worker threads + spilled reports differ from the reference');
  const single = cli(['-f', 'json', ...INPUTS], 1);
  assert.ok(single.out === expected, 'one thread differs from the reference');
  assert.equal(parallel.code, single.code);
  assert.equal(parallel.err, single.err);
});

test('every format: worker threads with spilled reports print what one thread with reports in memory prints', () => {
  for (const format of ['text', 'sarif', 'junit', 'markdown', 'github']) {
    const args = ['-f', format, '--report-unused-disable-directives', ...INPUTS];
    const single = cli(args, 1);
    const parallel = cli(args, 2, 0);
    assert.ok(single.out.length > 1000, `${format}: a report`);
    assert.ok(parallel.out === single.out, `${format}: the outputs differ`);
    assert.equal(parallel.err, single.err, format);
    assert.equal(parallel.code, single.code, format);
  }
});
