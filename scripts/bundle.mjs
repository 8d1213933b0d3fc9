#!/usr/bin/env node
// Bundles the VS Code extension with esbuild:
//   client/src/extension.ts  -> client/dist/extension.js  (external: vscode)
//   server/src/lsp/main.ts   -> client/dist/server.js     (the language server, all dependencies inlined)
//   server/src/cli/main.ts   -> client/dist/cli.js        (the CLI, run by the Lint Workspace task)
// and copies schemas/servelint-config.schema.json -> client/schemas/ (for the yamlValidation contribution).
// It also regenerates the `servelint.rules` / `servelint.assumptions` setting schemas in client/package.json
// from the config schema (rewriting the file only when they drifted; test/protocol/manifest.test.ts checks it).
// With --tests also client/src/test/suite.ts -> client/out-test/suite.js (for client/src/test/runTest.mjs).
// With --npm instead the npm package `servelint` (packages/servelint, see scripts/pack.mjs):
//   server/src/cli/main.ts -> packages/servelint/dist/servelint.js                  (the CLI)
//   server/src/lsp/main.ts -> packages/servelint/dist/servelint-language-server.js  (the same server as client/dist/server.js)
// both with every dependency, the catalogs (server/data/*.json) and the rule docs inlined, and a node shebang.
// With --cli only the repository's CLI: server/src/cli/main.ts -> server/dist/servelint.js, which server/bin/servelint.js
// runs (one file loads in about half the time of the compiled modules; its worker threads load it too). `npm run build`
// writes it after tsc.
// Usage: node scripts/bundle.mjs [--minify] [--sourcemap] [--watch] [--tests] [--npm] [--cli]
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = new Set(process.argv.slice(2));
// `yaml` from its ES-module build (the same code as its CommonJS build, which node's `require` loads): bundled as
// CommonJS, every call into it (isMap, isScalar, ... on each node) goes through an export getter; as an ES module
// esbuild binds the functions directly (about 5% of a CLI run's CPU, measured with --cpu-prof on 5,000 resources).
const yamlEsm = {
  name: 'yaml-esm',
  setup(b) {
    const pkg = createRequire(join(root, 'server', 'package.json')).resolve('yaml/package.json');
    b.onResolve({ filter: /^yaml$/ }, () => ({ path: join(dirname(pkg), 'browser', 'index.js') }));
  },
};
const common = {
  bundle: true,
  plugins: [yamlEsm],
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: args.has('--minify'),
  sourcemap: args.has('--sourcemap'),
  logLevel: 'info',
  absWorkingDir: root,
};

const SERVER_ENTRY = 'server/src/lsp/main.ts';
const NPM_DIST = 'packages/servelint/dist';
const shebang = { banner: { js: '#!/usr/bin/env node' } };
const npmTargets = [
  { ...common, ...shebang, entryPoints: ['server/src/cli/main.ts'], outfile: `${NPM_DIST}/servelint.js` },
  { ...common, ...shebang, entryPoints: [SERVER_ENTRY], outfile: `${NPM_DIST}/servelint-language-server.js` },
];
const cliTargets = [{ ...common, logLevel: 'warning', entryPoints: ['server/src/cli/main.ts'], outfile: 'server/dist/servelint.js' }];
const targets = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: [SERVER_ENTRY], outfile: 'client/dist/server.js' },
  // The CLI, for the "servelint: Lint Workspace" task (client/src/onboarding/commands.ts).
  { ...common, entryPoints: ['server/src/cli/main.ts'], outfile: 'client/dist/cli.js' },
];
if (args.has('--tests')) {
  targets.push({ ...common, entryPoints: ['client/src/test/suite.ts'], outfile: 'client/out-test/suite.js', external: ['vscode'] });
}

function syncManifest() {
  const schema = JSON.parse(readFileSync(join(root, 'schemas/servelint-config.schema.json'), 'utf8'));
  const file = join(root, 'client/package.json');
  const before = readFileSync(file, 'utf8');
  const pkg = JSON.parse(before);
  const props = pkg.contributes.configuration.properties;
  const severity = { type: 'string', enum: ['error', 'warning', 'info', 'off'] };
  const pick = (v) => Object.fromEntries(['type', 'description', 'markdownDescription', 'minimum', 'maximum', 'exclusiveMinimum', 'enum'].filter((k) => v[k] !== undefined).map((k) => [k, v[k]]));
  props['servelint.rules'].properties = Object.fromEntries(
    Object.entries(schema.properties.rules.properties).map(([id, v]) => [id, { ...severity, description: v.description }]),
  );
  props['servelint.assumptions'].properties = Object.fromEntries(Object.entries(schema.properties.assumptions.properties).map(([k, v]) => [k, pick(v)]));
  const after = JSON.stringify(pkg, null, 2) + '\n';
  if (after !== before) {
    writeFileSync(file, after);
    console.log('updated client/package.json settings from schemas/servelint-config.schema.json');
  }
}

if (args.has('--npm')) {
  rmSync(join(root, NPM_DIST), { recursive: true, force: true });
} else if (args.has('--cli')) {
  rmSync(join(root, 'server/dist'), { recursive: true, force: true });
} else {
  syncManifest();
  rmSync(join(root, 'client/dist'), { recursive: true, force: true });
  mkdirSync(join(root, 'client/schemas'), { recursive: true });
  copyFileSync(join(root, 'schemas/servelint-config.schema.json'), join(root, 'client/schemas/servelint-config.schema.json'));
}
const selected = args.has('--npm') ? npmTargets : args.has('--cli') ? cliTargets : targets;

if (args.has('--watch')) {
  for (const t of selected) await (await context(t)).watch();
} else {
  await Promise.all(selected.map((t) => build(t)));
}
