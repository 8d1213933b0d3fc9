#!/usr/bin/env node
// Bundles the VS Code extension with esbuild:
//   client/src/extension.ts  -> client/dist/extension.js  (external: vscode)
//   server/src/lsp/main.ts   -> client/dist/server.js     (the language server, all dependencies inlined)
// and copies schemas/servelint-config.schema.json -> client/schemas/ (for the yamlValidation contribution).
// With --tests also client/src/test/suite.ts -> client/out-test/suite.js (for client/src/test/runTest.mjs).
// Usage: node scripts/bundle.mjs [--minify] [--sourcemap] [--watch] [--tests]
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: args.has('--minify'),
  sourcemap: args.has('--sourcemap'),
  logLevel: 'info',
  absWorkingDir: root,
};

const targets = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/lsp/main.ts'], outfile: 'client/dist/server.js' },
];
if (args.has('--tests')) {
  targets.push({ ...common, entryPoints: ['client/src/test/suite.ts'], outfile: 'client/out-test/suite.js', external: ['vscode'] });
}

rmSync(join(root, 'client/dist'), { recursive: true, force: true });
mkdirSync(join(root, 'client/schemas'), { recursive: true });
copyFileSync(join(root, 'schemas/servelint-config.schema.json'), join(root, 'client/schemas/servelint-config.schema.json'));

if (args.has('--watch')) {
  for (const t of targets) await (await context(t)).watch();
} else {
  await Promise.all(targets.map((t) => build(t)));
}
