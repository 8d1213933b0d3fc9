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
import { CONTRACT, MAIN_FIXTURE, FIXTURES_DIR, checkScenarios, fixtureText, perMillionFigure, scenarioFiles, scenariosFor } from './scenarios.mjs';
import { E2E_DIR, RESULTS, elapsed, languageServerCommand, makeRunDir, sandboxEnv } from './lib.mjs';

const T0 = Date.now();
const TIMEOUT_S = Number(process.env.SERVELINT_NVIM_TIMEOUT || 60);
const STEP_TIMEOUT_MS = Number(process.env.SERVELINT_NVIM_STEP_TIMEOUT_MS || 15000);

/** How neovim-lsp.lua runs a scenario (null: not something an LSP client does, e.g. clicking a CodeLens). */
function planStep(s, lines) {
  if (s.expectDiagnostic) return { id: s.id, kind: 'diagnostic' };
  if (s.expectCodeLens) return { id: s.id, kind: 'codelens' };
  if (s.hover) {
    const line = s.hover.line - 1;
    return { id: s.id, kind: 'hover', position: { line, character: lines[line].indexOf(s.hover.word) + 1 } };
  }
  if (s.quickFix) return { id: s.id, kind: 'quickfix', code: s.quickFix.code, fix_prefix: s.quickFix.titleStartsWith };
  if (s.edit) return { id: s.id, kind: 'edit', edit: s.edit };
  if (s.setting) {
    // setting key 'servelint.gpuPrices' -> { servelint: { gpuPrices: value } }
    const settings = {};
    let node = settings;
    const parts = s.setting.key.split('.');
    parts.forEach((p, i) => { node[p] = i === parts.length - 1 ? s.setting.value : {}; node = node[p]; });
    return { id: s.id, kind: 'setting', settings };
  }
  return null;
}

/** Build the plan neovim-lsp.lua follows from the shared scenarios: one entry per fixture file, in list order. */
function makePlan(runDir, serverCmd) {
  const ws = join(runDir, 'workspace');
  mkdirSync(ws, { recursive: true });
  const docs = scenarioFiles().map((name) => {
    const file = join(ws, name);
    copyFileSync(join(FIXTURES_DIR, name), file);
    const lines = fixtureText(name).split('\n');
    const own = scenariosFor(name);
    return {
      file,
      name,
      expect_codes: own.filter((s) => s.expectDiagnostic).map((s) => s.expectDiagnostic.code),
      scenarios: own.map((s) => planStep(s, lines)).filter(Boolean),
    };
  });
  return {
    docs,
    root_dir: ws,
    server_cmd: serverCmd,
    server_env: null,
    timeout_ms: STEP_TIMEOUT_MS,
    lens_marker: CONTRACT.codeLensMarker,
  };
}

const results = [];
function check(name, ok, detail) {
  results.push({ name, ok: !!ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} nvim: ${name}${detail ? ` — ${detail}` : ''}`);
}

/** Judges what neovim-lsp.lua recorded for one scenario (`got`: its record, undefined if it never ran). */
function assertScenario(s, got, doc, tag) {
  const ran = (what) => {
    if (got) return true;
    check(`${s.id}${tag}: ${what} ran`, false, `no record (diagnostics ${doc.diagnostics_ok ? 'arrived' : 'never arrived'}: ${JSON.stringify((doc.diagnostics || []).map((x) => x.code))})`);
    return false;
  };
  if (s.expectDiagnostic) {
    const want = s.expectDiagnostic;
    const pushed = got ? got.diagnostics : doc.diagnostics;
    const d = (pushed || []).find((x) => x.code === want.code);
    check(`diagnostic ${want.code} pushed${tag}`, d, d ? `"${d.message}"` : `got ${JSON.stringify(pushed)}`);
    if (d) {
      check(`diagnostic on line ${want.line} (${want.lineContains})${tag}`, d.line === want.line - 1, `got line ${d.line + 1}`);
      check(`diagnostic source ${want.source}${tag}`, d.source === want.source, `got ${d.source}`);
    }
    const vd = ((got ? got.vim_diagnostics : doc.vim_diagnostics) || []).find((x) => x.code === want.code);
    check(`vim.diagnostic.get() shows it too${tag}`, vd && vd.lnum === want.line - 1, vd ? `lnum ${vd.lnum + 1}` : 'missing');
  } else if (s.expectCodeLens) {
    const lensWant = s.expectCodeLens;
    if (!ran('CodeLens request')) return;
    const lens = (got.codelens || []).find((l) => l.title.includes(lensWant.titleContains));
    check(`CodeLens contains "${lensWant.titleContains}"${tag}`, lens, lens ? `"${lens.title}"` : `got ${JSON.stringify(got.codelens)}`);
    if (lens) {
      check(`CodeLens on line ${lensWant.line} (${lensWant.lineContains})${tag}`, lens.line === lensWant.line - 1, `got line ${lens.line + 1}`);
      check(`CodeLens command ${lensWant.command}${tag}`, lens.command === lensWant.command, `got ${lens.command}`);
    }
  } else if (s.hover) {
    const hv = s.hover;
    if (!ran('hover')) return;
    check(`hover on "${hv.word}" matches ${hv.matches}${tag}`, hv.matches.test(got.hover || ''), JSON.stringify((got.hover || '').slice(0, 200)));
  } else if (s.quickFix) {
    const qf = s.quickFix;
    if (!ran('quick fix')) return;
    const titles = (got.code_actions || []).map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`);
    check(`quick fix "${qf.titleStartsWith}…" offered${tag}`, got.applied_fix && got.applied_fix.startsWith(qf.titleStartsWith),
      `${got.applied_fix ? `applied "${got.applied_fix}"; ` : ''}actions: ${JSON.stringify(titles)}${got.error ? `; ${got.error}` : ''}`);
    const inserted = (got.lines_after_fix || []).find((l) => qf.expectLineAfter.test(l));
    check(`applying its WorkspaceEdit inserts the field${tag}`, inserted, inserted ? JSON.stringify(inserted.trim()) : 'no such line after apply_workspace_edit');
    if (qf.diagnosticGone) {
      check(`diagnostic disappears after the fix${tag}`, got.diagnostic_gone === true, `diagnostics now: ${JSON.stringify((got.diagnostics_after_fix || []).map((x) => x.code))}`);
    }
  } else if (s.edit) {
    if (!ran('edit')) return;
    check(`editing replicas changes the CodeLens${tag}`, got.changed === true, `${JSON.stringify(got.lens_before)} -> ${JSON.stringify(got.lens_after)} (edited: ${JSON.stringify(got.edited_line)})`);
  } else if (s.setting) {
    if (!ran('setting')) return;
    check(`setting ${s.setting.key} changes the CodeLens${tag}`, got.changed === true, `${JSON.stringify(got.lens_before)} -> ${JSON.stringify(got.lens_after)}`);
    if (s.expectCodeLensChanges && s.expectCodeLensChanges.perMillionFigureChanges) {
      const a = perMillionFigure(got.lens_before), b = perMillionFigure(got.lens_after);
      check(`… and its $ / 1M tokens figure changes${tag}`, a !== null && b !== null && a !== b, `${a} -> ${b}`);
    }
  }
  // clickCodeLens: clicking is a VS Code concern (neovim-lsp.lua only lists the lenses).
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
  for (const name of scenarioFiles()) {
    const doc = (r.docs || []).find((x) => x.file.endsWith(`/${name}`));
    // Checks on the main fixture keep their names; the others say which file they are about.
    const tag = name === MAIN_FIXTURE ? '' : ` [${name}]`;
    if (!doc) { check(`${name} was opened and checked`, false, `neovim-lsp.lua stopped before it (events: ${(r.events || []).map((e) => e.name).join(' ')})`); continue; }
    if (!(doc.diagnostics || []).length) console.log(`[nvim] no diagnostics at all for ${name}; server stderr (${lspLog}):\n    ${serverStderr() || '(none)'}`);
    for (const s of scenariosFor(name)) assertScenario(s, (doc.scenarios || {})[s.id], doc, tag);
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
