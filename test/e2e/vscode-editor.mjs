// VS Code end-to-end steps for the onboarding and the rendered-folder features (issue #13 items 2-3), run by
// vscode.e2e.mjs after the shared scenarios, in the same code-server + Chromium session:
//   - the walkthrough opens from "Welcome: Open Walkthrough..." and its first button opens the example with its CodeLens
//   - "servelint: Create .servelint.yaml" writes the commented starter and opens it
//   - a kustomize overlay (real kubectl) gets the rendered findings on its own lines (squiggle + Problems panel)
//     and the base file on the base's lines
//   - "servelint: Lint Workspace" runs the bundled CLI as a task; the $servelint problem matcher files a finding
//     of a manifest that no editor has open
// Screenshots go to test-results/e2e/ through the driver's step(); client/README.md uses some of them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from './lib.mjs';

const DEPLOYMENT = readFileSync(join(ROOT, 'examples/vllm-default-grace.yaml'), 'utf8');
const KUSTOMIZE = {
  'kustomize/base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
  'kustomize/base/deploy.yaml': DEPLOYMENT,
  'kustomize/overlays/prod/kustomization.yaml': 'resources:\n- ../../base\npatches:\n- path: scale.yaml\n',
  'kustomize/overlays/prod/scale.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: llama-8b\n  namespace: inference\nspec:\n  replicas: 6\n  template:\n    spec:\n      terminationGracePeriodSeconds: 20\n',
  // Never opened in an editor: only the Lint Workspace task reports it.
  'unopened/tgi-recreate.yaml': readFileSync(join(ROOT, 'examples/tgi-recreate.yaml'), 'utf8'),
};

/**
 * Writes the kustomization and the unopened manifest into the workspace (before code-server starts). The workspace
 * also gets a `.git` folder, as a project checkout has: it lives under this repository's .cache/ (git-ignored), and
 * the CLI behind Lint Workspace honours .gitignore files up to the repository root, so without its own root it would
 * skip everything.
 */
export function prepareEditorWorkspace(ws) {
  mkdirSync(join(ws, '.git'), { recursive: true });
  for (const [p, text] of Object.entries(KUSTOMIZE)) {
    mkdirSync(dirname(join(ws, p)), { recursive: true });
    writeFileSync(join(ws, p), text);
  }
}

/**
 * d: { page, ws, step, poll, t, runCommand, squigglesOnLine, screenshot } from the driver.
 */
export async function editorSteps(d) {
  const { page, ws, step, poll, t, runCommand, squigglesOnLine, screenshot } = d;
  const norm = (s) => String(s ?? '').replace(/\u00a0/g, ' ');
  const escape = async (n = 3) => { for (let i = 0; i < n; i++) await page.keyboard.press('Escape'); };

  /** The driver's squigglesOnLine, none while the editor is being swapped in (no .monaco-editor yet). */
  const squiggles = (lineText) => squigglesOnLine(lineText).catch((e) => ({ rendered: false, kinds: [], error: String(e.message ?? e).split('\n')[0] }));

  async function quickOpen(path, lineText) {
    await escape();
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: t(15000) });
    await page.keyboard.type(path);
    const name = path.split('/').pop();
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: t(15000) });
    await page.keyboard.press('Enter');
    await page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: t(30000) });
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: lineText }).first().waitFor({ timeout: t(30000) });
  }

  /**
   * Problems panel rows containing every one of `parts` (opens the panel and leaves it open). `filter`: typed into
   * the panel's filter box first (the list renders only the rows in view).
   */
  async function problemRow(parts, timeout, filter = '') {
    // Ctrl+Shift+M does not reach the workbench while a terminal has the focus; F1 does.
    await runCommand('Focus on Problems View', 'Focus on Problems View');
    await page.mouse.move(700, 300); // no tab hover left over the list
    await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: t(5000) });
    const box = page.locator('.part.panel .viewpane-filter textarea, .part.panel .viewpane-filter input').first();
    // The view re-renders its title bar as it takes the focus: retry. focus(), not click(): a click may land on the
    // 'Showing 1 of 18' badge over the box.
    let focused = false;
    for (let i = 0; i < 4 && !focused && (filter || (await box.isVisible().catch(() => false))); i++) {
      focused = await box.focus({ timeout: t(3000) }).then(() => true, () => false);
      if (!focused) await page.waitForTimeout(500);
    }
    if (filter && !focused) throw new Error('the Problems filter box could not be focused');
    if (focused) {
      await page.keyboard.press('Control+A');
      if (filter) await page.keyboard.type(filter);
      else await page.keyboard.press('Backspace');
    }
    const r = await poll(`a Problems row with ${JSON.stringify(parts.map(String))}`, async () => {
      const rows = (await page.locator('.markers-panel .monaco-list-row').allTextContents()).map(norm);
      const hit = rows.find((row) => parts.every((p) => (p instanceof RegExp ? p.test(row) : row.includes(p))));
      return { ok: !!hit, hit, rows, why: `rows: ${JSON.stringify(rows.slice(0, 12))}` };
    }, timeout);
    return r;
  }
  const closePanel = async () => {
    await page.keyboard.press('Control+J');
    await page.locator('.markers-panel').first().waitFor({ state: 'hidden', timeout: t(5000) }).catch(() => {});
  };

  await step('walkthrough "Get started with servelint" opens', async () => {
    await escape();
    // One editor group, full width: the walkthrough hides its media pane when narrow (the cost breakdown may
    // still sit in a second group).
    await runCommand('View: Single Column Editor Layout', 'Single Column Editor Layout');
    await escape();
    await runCommand('Welcome: Open Walkthrough', 'Open Walkthrough');
    await page.locator('.quick-input-widget').waitFor({ state: 'visible', timeout: t(10000) });
    await page.keyboard.type('servelint');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with servelint' }).first().waitFor({ timeout: t(15000) });
    await page.keyboard.press('Enter');
    const container = page.locator('.gettingStartedContainer').first();
    await container.locator('text=Open an example manifest').first().waitFor({ timeout: t(20000) });
    const steps = await container.locator('.step-title').allTextContents();
    const want = ['Open an example manifest', 'See the cost CodeLens', 'Set your GPU price', 'Add the CI step'];
    const missing = want.filter((w) => !steps.some((s) => norm(s).includes(w)));
    if (missing.length) throw new Error(`steps missing: ${JSON.stringify(missing)}; shown: ${JSON.stringify(steps)}`);
    // The first step's markdown media (media/walkthrough/open-example.md) renders beside the steps, in a webview frame.
    const media = await poll('the step\'s markdown rendered in a webview frame', async () => {
      for (const f of page.frames()) {
        const text = await f.evaluate(() => document.body?.innerText ?? '').catch(() => '');
        if (text.includes('The example is a vLLM Deployment')) return { ok: true, text };
      }
      return { ok: false, why: `${page.frames().length} frames, none with the markdown` };
    }, t(20000));
    return `steps ${JSON.stringify(steps.map(norm))}; media: ${JSON.stringify(norm(media.text).trim().slice(0, 60))}`;
  });

  await step('walkthrough button "Open the example" opens the example with its cost CodeLens', async () => {
    const container = page.locator('.gettingStartedContainer').first();
    await container.locator('text=Open the example').first().click();
    const lens = page.locator('.editor-instance .monaco-editor .codelens-decoration', { hasText: '/ 1M tokens' }).first();
    // P1: the lens comes while the editor is focused; the new untitled editor has the focus.
    await lens.waitFor({ timeout: t(45000) });
    const sq = await poll('an error squiggle on the example\'s `- name: vllm`', async () => {
      const s = await squiggles('- name: vllm');
      return { ok: s.kinds.includes('squiggly-error'), why: JSON.stringify(s), s };
    }, t(30000));
    return `${JSON.stringify(norm(await lens.textContent()))}; squiggles ${sq.s.kinds.join(',')}`;
  });

  await step('command "servelint: Create .servelint.yaml" writes the commented starter and opens it', async () => {
    const file = join(ws, '.servelint.yaml');
    if (existsSync(file)) throw new Error('.servelint.yaml exists before the command');
    await escape();
    await runCommand('servelint: Create .servelint.yaml', 'Create .servelint.yaml');
    await page.locator('.tabs-container .tab.active', { hasText: '.servelint.yaml' }).first().waitFor({ timeout: t(15000) });
    await page.locator('.editor-instance .monaco-editor .view-line', { hasText: 'maxOutputTokens' }).first().waitFor({ timeout: t(10000) });
    await poll('.servelint.yaml on disk', async () => ({ ok: existsSync(file) }), t(5000));
    const text = readFileSync(file, 'utf8');
    if (!/^# servelint configuration/.test(text) || !/prices: \{\}/.test(text)) throw new Error(`unexpected content: ${text.slice(0, 200)}`);
    // Its one-time hint: the Red Hat YAML extension (not installed here) gives the file completion.
    const hint = await page.locator('.notifications-toasts .notification-toast', { hasText: 'Red Hat YAML' }).first()
      .waitFor({ timeout: t(5000) }).then(() => 'the Red Hat YAML recommendation showed', () => 'no YAML recommendation toast seen');
    return `${text.split('\n').length} lines; ${hint}`;
  });

  await step('kustomize overlay: the rendered findings squiggle the overlay patch lines (real kubectl)', async () => {
    await quickOpen('kustomize/overlays/prod/scale.yaml', 'terminationGracePeriodSeconds: 20');
    const r = await poll('an error squiggle on `terminationGracePeriodSeconds: 20`', async () => {
      const s = await squiggles('terminationGracePeriodSeconds: 20');
      return { ok: s.kinds.includes('squiggly-error'), why: JSON.stringify(s), s };
    }, t(60000));
    const replicas = await squiggles('replicas: 6');
    if (!replicas.kinds.includes('squiggly-warning')) throw new Error(`no warning on replicas: 6 (rollout-drops-capacity): ${JSON.stringify(replicas)}`);
    return `grace line ${r.s.kinds.join(',')}; replicas line ${replicas.kinds.join(',')}`;
  });

  await step('kustomize overlay: Problems lists grace-period-truncates-generations at Ln 10 of scale.yaml, tagged [kustomize prod]', async () => {
    const { hit } = await problemRow(['grace-period-truncates-generations', '[kustomize prod]', /\[Ln 10, Col 7\]/], t(20000));
    return JSON.stringify(hit.slice(0, 200));
  });

  await step('kustomize base: missing-prestop-drain on the base file\'s container line', async () => {
    await closePanel();
    await quickOpen('kustomize/base/deploy.yaml', '- name: vllm');
    const r = await poll('a warning squiggle on `- name: vllm` of the base', async () => {
      const s = await squiggles('- name: vllm');
      return { ok: s.kinds.includes('squiggly-warning'), why: JSON.stringify(s), s };
    }, t(60000));
    const { hit } = await problemRow(['missing-prestop-drain', /\[kustomize (prod, base|base, prod)\]/, /\[Ln 22, Col 9\]/], t(20000));
    await closePanel();
    return `squiggles ${r.s.kinds.join(',')}; ${JSON.stringify(hit.slice(0, 200))}`;
  });

  await step('command "servelint: Lint Workspace": the task\'s $servelint matcher files a finding of an unopened manifest', async () => {
    await escape();
    const count = () => page.locator('#status\\.problems').getAttribute('aria-label').catch(() => null);
    const before = await count();
    await runCommand('servelint: Lint Workspace', 'Lint Workspace');
    // The task reveals its terminal as it starts: wait for its findings (the status bar's problem count) before
    // bringing the Problems view to the front, or the terminal takes the panel back.
    await poll('the problem count in the status bar to change', async () => {
      const now = await count();
      return { ok: now !== null && now !== before, why: `still ${now}` };
    }, t(60000));
    await page.waitForTimeout(1000);
    // Filtered on the rule: only the task reports it (no editor has tgi-recreate.yaml open).
    const { hit, rows } = await problemRow(['recreate-causes-downtime'], t(60000), 'recreate-causes-downtime');
    const file = { hit: rows.find((x) => x.includes('tgi-recreate.yaml')) ?? '' };
    if (!file.hit) throw new Error(`no tgi-recreate.yaml file row: ${JSON.stringify(rows)}`);
    await screenshot('lint-workspace-problems-filtered');
    await problemRow([], t(5000), ''); // clear the filter
    return `${JSON.stringify(file.hit.slice(0, 80))}; ${JSON.stringify(hit.slice(0, 160))}`;
  });
}
