#!/usr/bin/env node
// Runs client/src/test/suite.ts inside an installed desktop VS Code (@vscode/test-electron, which only launches it)
// against the development extension. Nothing is downloaded: point VSCODE_EXECUTABLE at a VS Code binary, or keep one
// under client/.vscode-test/. Without one this fails with a message saying so. CI does not run it: CI's real-editor
// test is `npm run test:e2e` (the packaged .vsix in code-server, and Neovim), which runs the same scenarios.
//   VSCODE_EXECUTABLE=/usr/bin/code node client/src/test/runTest.mjs       (npm run test:vscode)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT = join(CLIENT, '..');
const SCENARIOS = join(ROOT, 'test', 'e2e', 'scenarios.mjs');
const fail = (why) => {
  console.error(`test:vscode cannot run: ${why}`);
  process.exit(1);
};

/** A VS Code kept under client/.vscode-test (test-electron's cache layout), if any. */
function cachedExecutable() {
  const dir = join(CLIENT, '.vscode-test');
  if (!existsSync(dir)) return undefined;
  for (const d of readdirSync(dir).filter((x) => x.startsWith('vscode-'))) {
    for (const exe of ['code', 'Code', 'VSCode-linux-x64/code']) if (existsSync(join(dir, d, exe))) return join(dir, d, exe);
  }
  return undefined;
}

let testElectron;
try {
  testElectron = await import('@vscode/test-electron');
} catch {
  fail('@vscode/test-electron is not installed (npm ci)');
}
if (!existsSync(SCENARIOS)) fail(`no shared scenarios at ${SCENARIOS}`);

const vscodeExecutablePath = process.env.VSCODE_EXECUTABLE || cachedExecutable();
if (!vscodeExecutablePath) {
  fail('no VS Code: set VSCODE_EXECUTABLE to an installed VS Code binary (nothing is downloaded). ' +
    'For the real-editor tests that run anywhere, use `npm run test:e2e` (code-server + Neovim).');
}
if (!existsSync(vscodeExecutablePath)) fail(`VSCODE_EXECUTABLE=${vscodeExecutablePath} does not exist`);

const bundle = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--tests'], { stdio: 'inherit' });
if (bundle.status !== 0) process.exit(bundle.status ?? 1);

const workspace = mkdtempSync(join(tmpdir(), 'servelint-vscode-test-'));
cpSync(join(ROOT, 'test', 'e2e', 'fixtures'), workspace, { recursive: true });
try {
  await testElectron.runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: CLIENT,
    extensionTestsPath: join(CLIENT, 'out-test', 'suite.js'),
    extensionTestsEnv: { SERVELINT_SCENARIOS: SCENARIOS },
    launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`VS Code tests failed: ${String(e)}`);
  process.exit(1);
}
