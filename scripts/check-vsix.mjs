#!/usr/bin/env node
// Packages the VS Code extension (scripts/bundle.mjs --minify, then client/'s `npm run package`: vsce) and fails when vsce
// prints a warning, the .vsix is 1 MB or more, it holds files outside the expected list, the manifest lacks what the
// marketplace shows (icon, license, repository, bugs, homepage), or the packaged README points at an image or link
// that does not resolve outside the repository (vsce rewrites relative ones from `repository`; they must exist here).
// Run by `npm run test:pack` (CI). Usage: node scripts/check-vsix.mjs [--no-bundle]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const client = join(root, 'client');
const MAX_BYTES = 1024 * 1024;
const EXPECTED = [
  'LICENSE.txt', 'changelog.md', 'package.json', 'readme.md', 'dist/cli.js', 'dist/extension.js', 'dist/server.js', 'media/icon.png',
  'media/walkthrough/ci.md', 'media/walkthrough/codelens.md', 'media/walkthrough/example.yaml', 'media/walkthrough/gpu-price.md',
  'media/walkthrough/open-example.md', 'schemas/servelint-config.schema.json',
  // The cost view's page and the codicons it uses (CC BY 4.0: its LICENSE ships with it).
  'media/costView/main.js', 'media/costView/main.css', 'media/costView/codicons/codicon.ttf', 'media/costView/codicons/codicon.css',
  'media/costView/codicons/README.md', 'media/costView/codicons/LICENSE',
];
const problems = [];
const run = (cmd, args, opts) => spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

if (!process.argv.includes('--no-bundle')) {
  const b = run(process.execPath, [join(root, 'scripts/bundle.mjs'), '--minify'], { cwd: root });
  if (b.status !== 0) {
    console.error(b.stdout + b.stderr);
    process.exit(1);
  }
}
// The client's own `package` script (its --baseContentUrl / --baseImagesUrl are part of what is checked).
const pkg = JSON.parse(readFileSync(join(client, 'package.json'), 'utf8'));
const vsix = join(client, `servelint-${pkg.version}.vsix`);
rmSync(vsix, { force: true });
const p = run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '--silent', 'package', '-w', 'client'], { cwd: root });
const out = `${p.stdout}\n${p.stderr}`;
if (p.status !== 0) problems.push(`vsce package failed (exit ${p.status}):\n${out}`);
for (const line of out.split('\n')) if (/\bWARN(ING)?\b|deprecated/i.test(line)) problems.push(`vsce: ${line.trim()}`);

if (existsSync(vsix)) {
  const size = statSync(vsix).size;
  if (size >= MAX_BYTES) problems.push(`the .vsix is ${(size / 1024).toFixed(0)} KB, over 1 MB`);
  const list = run('unzip', ['-Z1', vsix]).stdout.split('\n').filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length)).filter((f) => f && !f.endsWith('/'));
  const extra = list.filter((f) => !EXPECTED.includes(f));
  const missing = EXPECTED.filter((f) => !list.includes(f));
  if (extra.length) problems.push(`unexpected files in the .vsix: ${extra.join(', ')} (client/.vscodeignore)`);
  if (missing.length) problems.push(`missing from the .vsix: ${missing.join(', ')}`);
  const readme = run('unzip', ['-p', vsix, 'extension/readme.md']).stdout;
  const inRepo = /^https:\/\/github\.com\/servelint\/servelint\/(?:raw|blob)\/HEAD\/(.+)$/;
  for (const [, , target] of readme.matchAll(/!?\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g)) {
    if (/^(https:|#)/.test(target) === false) problems.push(`packaged README: link not absolute: ${target}`);
    // A relative link rewritten by vsce: it must name an existing file of this repository.
    const local = inRepo.exec(target)?.[1]?.replace(/#.*$/, '');
    if (local && !existsSync(join(root, local))) problems.push(`packaged README: ${target} names ${local}, which does not exist in the repository`);
    if (/\.svg$/i.test(target) && !/shields\.io|badge/.test(target)) problems.push(`packaged README: SVG image ${target} (the marketplace rejects them)`);
  }
  console.log(`servelint .vsix: ${(size / 1024).toFixed(0)} KB, ${list.length} files`);
}
for (const k of ['icon', 'license', 'repository', 'bugs', 'homepage', 'publisher', 'displayName', 'description']) if (!pkg[k]) problems.push(`client/package.json has no "${k}"`);
if (pkg.icon && !existsSync(join(client, pkg.icon))) problems.push(`client/package.json icon ${pkg.icon} does not exist`);
if (!existsSync(join(client, 'LICENSE'))) problems.push('client/LICENSE is missing');
if (problems.length) {
  console.error(`check-vsix: ${problems.length} problem(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('check-vsix: vsce package without warnings, under 1 MB');
