#!/usr/bin/env node
// End-to-end test of servelint's language server in headless Neovim (Debian's neovim 0.7, built-in LSP
// client, push diagnostics, incremental sync). Uses the shared scenario list; neovim-lsp.lua observes,
// this file asserts.
//
//   node test/e2e/neovim.e2e.mjs
//   SERVELINT_LSP_CMD='["node","/path/server.js","--stdio"]' node test/e2e/neovim.e2e.mjs   # another server
//
// Exit code 0 when every check passes; prints one line per check and 'N passed, N failed'.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT, MAIN_FIXTURE, FIXTURES_DIR, checkScenarios, fixtureText, perMillionFigure, scenarios } from './scenarios.mjs';
import { E2E_DIR, RESULTS, elapsed, languageServerCommand, makeRunDir, sandboxEnv } from './lib.mjs';

const T0 = Date.now();
const TIMEOUT_S = Number(process.env.SERVELINT_NVIM_TIMEOUT || 60);
const STEP_TIMEOUT_MS = Number(process.env.SERVELINT_NVIM_STEP_TIMEOUT_MS || 15000);

function byId(id) {
  const s = scenarios.find((x) => x.id === id);
  if (!s) throw new Error(`scenario ${id} missing from scenarios.mjs`);
  return s;
}

/** Build the plan neovim-lsp.lua follows from the shared scenarios. */
function makePlan(runDir, serverCmd) {
  const diag = byId('grace-period-diagnostic').expectDiagnostic;
  const hover = byId('replicas-hover').hover;
  const fix = byId('grace-period-quickfix').quickFix;
  const edit = byId('edit-replicas-updates-codelens').edit;
  const setting = byId('gpu-price-setting-updates-codelens').setting;
  const ws = join(runDir, 'workspace');
  mkdirSync(ws, { recursive: true });
  const file = join(ws, MAIN_FIXTURE);
  copyFileSync(join(FIXTURES_DIR, MAIN_FIXTURE), file);
  const hoverLine = fixtureText(MAIN_FIXTURE).split('\n')[hover.line - 1];
  // setting key 'servelint.gpuPrices' -> { servelint: { gpuPrices: value } }
  const settings = {};
  let node = settings;
  const parts = setting.key.split('.');
  parts.forEach((p, i) => { node[p] = i === parts.length - 1 ? setting.value : {}; node = node[p]; });
  return {
    file,
    root_dir: ws,
    server_cmd: serverCmd,
    server_env: null,
    timeout_ms: STEP_TIMEOUT_MS,
    code: diag.code,
    lens_marker: CONTRACT.codeLensMarker,
    hover_position: { line: hover.line - 1, character: hoverLine.indexOf(hover.word) + 1 },
    fix_prefix: fix.titleStartsWith,
    edit,
    settings,
  };
}

const results = [];
function check(name, ok, detail) {
  results.push({ name, ok: !!ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} nvim: ${name}${detail ? ` — ${detail}` : ''}`);
}

async function main() {
  checkScenarios();
  const { cmd: serverCmd, real } = languageServerCommand();
  const runDir = makeRunDir('nvim');
  const plan = makePlan(runDir, serverCmd);
  const planFile = join(runDir, 'plan.json');
  const outFile = join(runDir, 'result.json');
  writeFileSync(planFile, JSON.stringify(plan, null, 2));
  console.log(`[nvim] server: ${serverCmd.join(' ')}${real ? '' : '  (override from SERVELINT_LSP_CMD)'}`);
  console.log(`[nvim] run dir: ${runDir}`);

  const env = sandboxEnv(runDir, { PLAN: planFile, OUT: outFile });
  const args = [String(TIMEOUT_S), 'nvim', '--headless', '-u', 'NONE', '-i', 'NONE', '-n', '-c', `luafile ${join(E2E_DIR, 'neovim-lsp.lua')}`];
  // Own process group, so whatever nvim started can be ended by this group id if it outlives the run.
  const child = spawn('timeout', args, { cwd: plan.root_dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stdout = '', stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise((r) => child.on('exit', (c, sig) => r(c ?? sig)));
  try { process.kill(-child.pid, 'SIGKILL'); } catch { /* group already gone */ }
  writeFileSync(join(runDir, 'nvim.stdout.txt'), stdout);
  writeFileSync(join(runDir, 'nvim.stderr.txt'), stderr);
  if (code === 124) check('nvim finished within the timeout', false, `killed by timeout ${TIMEOUT_S}s`);
  if (!existsSync(outFile)) {
    check('nvim wrote a result', false, `exit ${code}; stderr: ${stderr.slice(-2000)} stdout: ${stdout.slice(-2000)}`);
    return runDir;
  }
  const r = JSON.parse(readFileSync(outFile, 'utf8'));
  mkdirSync(RESULTS, { recursive: true });
  writeFileSync(join(RESULTS, 'neovim-result.json'), JSON.stringify(r, null, 2));
  console.log(`[nvim] Neovim ${r.nvim}, lua part took ${r.total_ms} ms; events: ${(r.events || []).map((e) => `${e.name}@${e.t}ms`).join(' ')}`);
  if (r.error) check('lua script ran without error', false, r.error);
  const lspLog = join(runDir, 'cache', 'nvim', 'lsp.log');
  const serverStderr = () => (existsSync(lspLog) ? readFileSync(lspLog, 'utf8') : '').split('\n').filter((l) => /"stderr"/.test(l))
    .map((l) => l.replace(/^.*"stderr"\t/, '').replace(/\\n/g, '\n    ')).join('\n    ').slice(-3000);
  if (r.server_exited_early) {
    check('language server stays up', false, `it exited right after start; its stderr (from ${lspLog}):\n    ${serverStderr()}`);
    return runDir;
  }
  const diagOk = (r.diagnostics || []).length > 0;
  if (!diagOk) console.log(`[nvim] no diagnostics at all; server stderr (${lspLog}):\n    ${serverStderr() || '(none)'}`);

  // --- grace-period-diagnostic
  const want = byId('grace-period-diagnostic').expectDiagnostic;
  const d = (r.diagnostics || []).find((x) => x.code === want.code);
  check(`diagnostic ${want.code} pushed`, d, d ? `"${d.message}"` : `got ${JSON.stringify(r.diagnostics)}`);
  if (d) {
    check(`diagnostic on line ${want.line} (${want.lineContains})`, d.line === want.line - 1, `got line ${d.line + 1}`);
    check(`diagnostic source ${want.source}`, d.source === want.source, `got ${d.source}`);
  }
  const vd = (r.vim_diagnostics || []).find((x) => x.code === want.code);
  check('vim.diagnostic.get() shows it too', vd && vd.lnum === want.line - 1, vd ? `lnum ${vd.lnum + 1}` : 'missing');

  // --- cost-codelens
  const lensWant = byId('cost-codelens').expectCodeLens;
  const lens = (r.codelens || []).find((l) => l.title.includes(lensWant.titleContains));
  check(`CodeLens contains "${lensWant.titleContains}"`, lens, lens ? `"${lens.title}"` : `got ${JSON.stringify(r.codelens)}`);
  if (lens) {
    check(`CodeLens on line ${lensWant.line} (${lensWant.lineContains})`, lens.line === lensWant.line - 1, `got line ${lens.line + 1}`);
    check(`CodeLens command ${lensWant.command}`, lens.command === lensWant.command, `got ${lens.command}`);
  }

  // --- replicas-hover
  const hv = byId('replicas-hover').hover;
  check(`hover on "${hv.word}" matches ${hv.matches}`, hv.matches.test(r.hover || ''), JSON.stringify((r.hover || '').slice(0, 200)));

  // --- grace-period-quickfix
  const qf = byId('grace-period-quickfix').quickFix;
  const titles = (r.code_actions || []).map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`);
  check(`quick fix "${qf.titleStartsWith}…" offered`, r.applied_fix && r.applied_fix.startsWith(qf.titleStartsWith), `actions: ${JSON.stringify(titles)}`);
  const inserted = (r.lines_after_fix || []).find((l) => qf.expectLineAfter.test(l));
  check('applying its WorkspaceEdit inserts the field', inserted, inserted ? JSON.stringify(inserted.trim()) : 'no such line after apply_workspace_edit');
  check('diagnostic disappears after the fix', r.diagnostic_gone === true, `diagnostics now: ${JSON.stringify((r.diagnostics_after_fix || []).map((x) => x.code))}`);

  // --- edit-replicas-updates-codelens
  check('editing replicas changes the CodeLens', r.lens_changed_after_edit === true, `${JSON.stringify(r.lens_before_edit)} -> ${JSON.stringify(r.lens_after_edit)} (edited: ${JSON.stringify(r.edited_line)})`);

  // --- gpu-price-setting-updates-codelens
  check(`setting ${CONTRACT.gpuPricesSetting} changes the CodeLens`, r.lens_changed_after_setting === true, `${JSON.stringify(r.lens_before_setting)} -> ${JSON.stringify(r.lens_after_setting)}`);
  if (byId('gpu-price-setting-updates-codelens').expectCodeLensChanges.perMillionFigureChanges) {
    const a = perMillionFigure(r.lens_before_setting), b = perMillionFigure(r.lens_after_setting);
    check('… and its $ / 1M tokens figure changes', a !== null && b !== null && a !== b, `${a} -> ${b}`);
  }
  return runDir;
}

let runDir;
try {
  runDir = await main();
} catch (e) {
  check('neovim e2e driver', false, e && e.stack ? e.stack : String(e));
}
const failed = results.filter((x) => !x.ok).length;
const passed = results.length - failed;
console.log(`[nvim] total wall time ${elapsed(T0)}${runDir ? `; logs in ${runDir}` : ''}`);
console.log(`neovim: ${passed} passed, ${failed} failed`);
process.exit(failed || results.length === 0 ? 1 : 0);
