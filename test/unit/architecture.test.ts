/**
 * The layout the project depends on (docs/architecture.md): imports point down (cli / lsp → engine, rules →
 * engine, engine never → rules / cli / lsp / fs / vscode), only kind adapters know workload kinds, only server
 * profiles know model servers, no source file over 400 lines, every adapter and profile file is registered, no
 * object literal adds members after a leading spread (a slow path in V8).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import ts from 'typescript';
import { KIND_ADAPTERS, SERVER_PROFILES } from '../../server/src';

const ROOT = path.join(__dirname, '..', '..', '..');

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    return e.isDirectory() ? sources(rel) : /\.ts$/.test(e.name) ? [rel] : [];
  });
}

const imports = (file: string): string[] => [...fs.readFileSync(path.join(ROOT, file), 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);

test('the engine imports neither rules, CLI, language server, fs nor vscode', () => {
  for (const file of sources('server/src/engine')) {
    for (const spec of imports(file)) {
      const resolved = spec.startsWith('.') ? path.normalize(path.join(path.dirname(file), spec)) : spec;
      assert.ok(!/server\/src\/(rules|cli|lsp|config)(\/|$)/.test(resolved), `${file} imports ${spec}`);
      assert.ok(!/^(fs|node:fs|path|node:path|child_process|vscode|vscode-languageserver.*)$/.test(spec), `${file} imports ${spec}`);
    }
  }
});

test('rules import the engine only (never the CLI or the language server)', () => {
  for (const file of sources('server/src/rules')) {
    for (const spec of imports(file)) assert.ok(!/\/(cli|lsp)(\/|$)/.test(spec), `${file} imports ${spec}`);
  }
});

test('only engine/kinds switches on workload kinds, only engine/servers on model servers', () => {
  const kindSwitch = /\bkind\s*[!=]==\s*'|case\s+'(Deployment|StatefulSet|Rollout|LeaderWorkerSet|ReplicaSet)'/;
  const serverSwitch = /case\s+'(vllm|tgi|sglang|triton|trtllm|nim|ollama|llamacpp|jetstream)'|\.kind\s*[!=]==\s*'(vllm|tgi|sglang|triton|trtllm|nim|ollama|llamacpp|jetstream)'/;
  for (const file of sources('server/src')) {
    const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
    if (!file.includes(`engine${path.sep}kinds${path.sep}`)) assert.ok(!kindSwitch.test(text), `${file} switches on a kind: ${kindSwitch.exec(text)?.[0]}`);
    if (!file.includes(`engine${path.sep}servers${path.sep}`)) assert.ok(!serverSwitch.test(text), `${file} switches on a model server: ${serverSwitch.exec(text)?.[0]}`);
  }
});

test('no source file is over 400 lines', () => {
  for (const file of [...sources('server/src'), ...sources('client/src')]) {
    const lines = fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').length;
    assert.ok(lines <= 400, `${file} has ${lines} lines`);
  }
});

/**
 * `{ ...base, more }`: on Node 20 (V8 11.3) every property added to an object made by a leading spread takes a slow
 * path, ~0.75 µs each (measured: `{ ...o, p1, p2, p3 }` 2.4 µs against 0.15 µs for `Object.assign({}, o, { p1, p2,
 * p3 })`), and the engine makes such objects per workload, flag and assumption. Object.assign({}, …) has the same
 * result (own enumerable properties in the same order; getters read once).
 */
test('no object literal adds members after a leading spread (use Object.assign({}, base, { … }))', () => {
  const found: string[] = [];
  for (const file of sources('server/src')) {
    const src = ts.createSourceFile(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isObjectLiteralExpression(node) && node.properties.length > 1 && ts.isSpreadAssignment(node.properties[0]!)) {
        found.push(`${file}:${src.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(src);
  }
  assert.deepEqual(found, []);
});

test('every adapter file in engine/kinds and profile file in engine/servers is registered', () => {
  // One file per kind; servingruntime.ts holds the namespaced and the cluster-scoped runtime (one shape).
  const kindFiles = fs.readdirSync(path.join(ROOT, 'server/src/engine/kinds')).filter((f) => !['index.ts', 'types.ts', 'shared.ts', 'operator-defaults.ts', 'kserve.ts'].includes(f));
  const registered = new Set(KIND_ADAPTERS.map((a) => a.kind.toLowerCase().replace(/^cluster/, '')));
  assert.equal(kindFiles.length, registered.size, `kind files ${kindFiles.join(', ')} vs ${[...registered].join(', ')}`);
  const serverFiles = fs.readdirSync(path.join(ROOT, 'server/src/engine/servers')).filter((f) => !['index.ts', 'types.ts', 'unknown.ts'].includes(f));
  assert.equal(serverFiles.length, SERVER_PROFILES.length, `server files ${serverFiles.join(', ')}`);
});
