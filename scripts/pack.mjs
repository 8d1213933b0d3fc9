#!/usr/bin/env node
// Builds the npm package `servelint` in packages/servelint and packs it:
//   scripts/gen-rule-docs.mjs                 (docs/rules/*.md -> the module the SARIF help comes from)
//   scripts/bundle.mjs --npm --minify         (dist/servelint.js + dist/servelint-language-server.js, no dependencies)
//   LICENSE -> packages/servelint/LICENSE, version synced from server/package.json
//   npm pack -> packages/servelint/servelint-<version>.tgz (path printed on the last line)
// With --check it then proves the tarball works the way a user gets it: `npm install --offline ./servelint-x.tgz`
// into an empty temporary folder, `servelint --version`, `npx servelint examples/` (exit 1 and the summary line),
// an LSP initialize handshake with `servelint-language-server --stdio`; and the repository root packed and
// installed globally the way pre-commit's `language: node` does. Any failure exits 1 with what went wrong.
// Usage: node scripts/pack.mjs [--check] [--keep]
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'packages/servelint');
const args = new Set(process.argv.slice(2));
const started = Date.now();
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function fail(message) {
  console.error(`\npack check FAILED: ${message}`);
  process.exit(1);
}

function sh(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', ...opts });
  if (r.error) fail(`${cmd} ${argv.join(' ')}: ${r.error.message}`);
  return r;
}

function must(cmd, argv, opts = {}) {
  const r = sh(cmd, argv, opts);
  if (r.status !== 0) fail(`${cmd} ${argv.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// 1. Build.
must(process.execPath, [join(root, 'scripts/gen-rule-docs.mjs')], { stdio: 'inherit' });
must(process.execPath, [join(root, 'scripts/bundle.mjs'), '--npm', '--minify']);
copyFileSync(join(root, 'LICENSE'), join(pkgDir, 'LICENSE'));
const version = JSON.parse(readFileSync(join(root, 'server/package.json'), 'utf8')).version;
const manifestFile = join(pkgDir, 'package.json');
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
if (manifest.version !== version) {
  manifest.version = version;
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  console.log(`packages/servelint/package.json: version set to ${version} (server/package.json)`);
}
if (manifest.dependencies && Object.keys(manifest.dependencies).length) fail('the bundle inlines everything: packages/servelint must have no dependencies');

// 2. Pack.
const packed = JSON.parse(must(npm, ['pack', '--json', '--pack-destination', pkgDir], { cwd: pkgDir }))[0];
const tarball = join(pkgDir, packed.filename);
const files = packed.files.map((f) => f.path).sort();
const expected = ['LICENSE', 'README.md', 'dist/servelint-language-server.js', 'dist/servelint.js', 'package.json'];
if (JSON.stringify(files) !== JSON.stringify(expected)) fail(`unexpected files in the tarball: ${files.join(', ')} (expected ${expected.join(', ')})`);
console.log(`packed ${packed.filename}: ${files.length} files, ${(packed.size / 1024).toFixed(0)} kB`);

if (!args.has('--check')) {
  console.log(tarball);
  process.exit(0);
}

// 3. Install into an empty folder, offline (no registry: the package has no dependencies), and run it.
const tmp = mkdtempSync(join(tmpdir(), 'servelint-pack-'));
const npmEnv = { ...process.env, npm_config_cache: join(tmp, '.npm-cache'), npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
const app = join(tmp, 'app');
cpSync(join(root, 'examples'), join(app, 'examples'), { recursive: true });
must(npm, ['install', '--offline', '--no-package-lock', tarball], { cwd: app, env: npmEnv });

const bin = join(app, 'node_modules/.bin/servelint');
const v = must(bin, ['--version'], { cwd: app }).trim();
if (v !== version) fail(`node_modules/.bin/servelint --version printed "${v}", expected ${version}`);
console.log(`ok  node_modules/.bin/servelint --version -> ${v}`);

const lint = sh(npm, ['exec', '--offline', '--no', '--', 'servelint', 'examples/'], { cwd: app, env: npmEnv });
if (lint.status !== 1) fail(`npx servelint examples/ exited ${lint.status} (expected 1: the examples have errors)\n${lint.stdout}\n${lint.stderr}`);
const summary = /^✖ \d+ problems .* in 4 files, 4 model-serving workloads$/m.exec(lint.stdout);
if (!summary) fail(`npx servelint examples/ printed no summary line:\n${lint.stdout}\n${lint.stderr}`);
if (!/\$\/1M tokens/.test(lint.stdout)) fail('npx servelint examples/ printed no cost table (catalogs missing from the bundle?)');
console.log(`ok  npx servelint examples/ -> exit 1, ${summary[0]}`);

const sarif = JSON.parse(must(bin, ['--format', 'sarif', '--no-cost', 'examples/vllm-clean.yaml'], { cwd: app }));
const help = sarif.runs[0].tool.driver.rules.find((r) => r.id === 'missing-prestop-drain')?.help?.markdown ?? '';
if (!help.includes('# missing-prestop-drain')) fail('the bundled CLI has no rule docs for SARIF help');
console.log('ok  servelint --format sarif carries the rule docs');

await lspHandshake(join(app, 'node_modules/.bin/servelint-language-server'));
console.log('ok  servelint-language-server --stdio answers initialize');

// 4. The repository root as pre-commit's `language: node` installs it: npm pack the root, npm install -g the tarball.
const rootPacked = JSON.parse(must(npm, ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], { cwd: root, env: npmEnv }))[0];
const prefix = join(tmp, 'global');
must(npm, ['install', '-g', '--offline', '--prefix', prefix, join(tmp, rootPacked.filename)], { cwd: tmp, env: npmEnv });
const hook = sh(join(prefix, 'bin/servelint'), ['--no-cost', 'examples/vllm-clean.yaml'], { cwd: app });
if (hook.status !== 0 || !/✓ no problems/.test(hook.stdout)) fail(`the root package (pre-commit install) does not run: exit ${hook.status}\n${hook.stdout}\n${hook.stderr}`);
console.log('ok  npm pack of the repository root + npm install -g (pre-commit language: node) runs servelint');

if (!args.has('--keep')) rmSync(tmp, { recursive: true, force: true });
else console.log(`kept ${tmp}`);
console.log(`pack check passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

function lspHandshake(file) {
  return new Promise((resolve) => {
    const child = spawn(file, ['--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buf = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill();
      fail(`servelint-language-server did not answer initialize within 10 s\n${stderr}`);
    }, 10_000);
    const send = (msg) => {
      const body = JSON.stringify({ jsonrpc: '2.0', ...msg });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    };
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (e) => fail(`servelint-language-server: ${e.message}`));
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /Content-Length: (\d+)\r\n\r\n/.exec(buf);
      if (!m || buf.length < m.index + m[0].length + Number(m[1])) return;
      const msg = JSON.parse(buf.slice(m.index + m[0].length, m.index + m[0].length + Number(m[1])));
      buf = buf.slice(m.index + m[0].length + Number(m[1]));
      if (msg.id === 1) {
        if (msg.result?.serverInfo?.name !== 'servelint' || msg.result.serverInfo.version !== version) fail(`unexpected initialize result: ${JSON.stringify(msg).slice(0, 300)}`);
        send({ id: 2, method: 'shutdown' });
      } else if (msg.id === 2) {
        send({ method: 'exit' });
        clearTimeout(timer);
        child.on('exit', () => resolve());
      }
    });
    send({ id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
  });
}
