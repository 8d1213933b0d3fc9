#!/usr/bin/env node
// Runs client/src/test/suite.ts inside a real VS Code (@vscode/test-electron) against the development
// extension. VS Code is downloaded at run time; when that is impossible (offline, no cached copy and no
// VSCODE_EXECUTABLE) this prints "skipped: VS Code cannot be downloaded here" and exits 0.
//   node client/src/test/runTest.mjs            (npm run test:vscode -w client)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLIENT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const ROOT = join(CLIENT, '..');
const SCENARIOS = join(ROOT, 'test', 'e2e', 'scenarios.mjs');
const skip = (why) => {
  console.log(`skipped: VS Code cannot be downloaded here (${why})`);
  process.exit(0);
};

async function online() {
  try {
    const res = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(5000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** An already-downloaded VS Code under client/.vscode-test (test-electron's cache), if any. */
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
  skip('@vscode/test-electron is not installed');
}
if (!existsSync(SCENARIOS)) skip(`no shared scenarios at ${SCENARIOS}`);

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE || cachedExecutable();
if (!vscodeExecutablePath) {
  if (!(await online())) skip('no network and no cached copy; set VSCODE_EXECUTABLE to use an installed VS Code');
  try {
    vscodeExecutablePath = await testElectron.downloadAndUnzipVSCode({ version: 'stable', cachePath: join(CLIENT, '.vscode-test') });
  } catch (e) {
    skip(String(e instanceof Error ? e.message : e));
  }
}

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
