// The cost view in code-server (issue #13 item 1), run by vscode.e2e.mjs after the main fixture's scenarios:
//   1. the cost CodeLens opens a rendered webview panel (no dirty editor);
//   2. choosing another GPU in the panel changes its $/1M tokens figure (a what-if through the language server);
//   3. "Write as annotation" edits the manifest (servelint.io/gpu) and the cost CodeLens follows;
//   4. Ctrl+Z undoes it (and the CodeLens goes back);
//   5. "Open as Markdown" shows the same data rendered and read-only (Markdown preview, no untitled editor).
// The webview's DOM sits in nested iframes; the page's controls are found in whichever frame has them.
// Each step takes a screenshot (vscode-NN-cost-view-*.png in test-results/e2e/).

/**
 * @param {object} h the driver's helpers: page, step, poll, t, sleep, norm, lensLocator, lensText,
 *   activateManifestTab, focusEditorAt, allDocumentLines, marker (the cost lens text), tag
 */
export async function costViewSteps(h) {
  const { page, step, poll, t, sleep, norm, marker } = h;
  const state = { before: null, gpu: null, lensBefore: null };

  /** The frame (nested iframes of the webview) whose document has `selector`. */
  async function frameWith(selector, what, timeout = t(30000)) {
    const got = await poll(what, async () => {
      for (const f of page.frames()) {
        try {
          if (await f.locator(selector).count()) return { ok: true, f };
        } catch { /* frame detached while looking */ }
      }
      return { ok: false, why: `${page.frames().length} frames, none with ${selector}` };
    }, timeout, 300);
    return got.f;
  }
  /** The manifest editor focused at its first line (the panel had the focus: keys must not go to its controls). */
  async function focusManifestTop() {
    await h.activateManifestTab();
    await page.keyboard.press('Control+Home');
    await sleep(150);
    await h.focusEditorAt('apiVersion:', 'apiVersion');
  }
  const figure = async (f) => norm(await f.locator('#fig-per-million').textContent()).trim();
  const dirtyTabs = () => page.locator('.tabs-container .tab.dirty').allInnerTexts();

  await step('cost view: the CodeLens opens a rendered panel, no dirty editor', async () => {
    await focusManifestTop();
    const dirtyBefore = await dirtyTabs();
    // As in the CodeLens click scenario: a lens being re-provided drops the click; click again, like a person.
    let f;
    for (let n = 1; ; n++) {
      await h.lensLocator(marker).locator('a', { hasText: marker }).first().click();
      try {
        f = await frameWith('#fig-per-million', 'the cost view panel', t(n < 3 ? 8000 : 30000));
        break;
      } catch (e) {
        if (n >= 3) throw e;
      }
    }
    await poll('a $ figure in the panel', async () => ({ ok: /\$[\d.,]+/.test(await figure(f)), why: await figure(f) }), t(15000));
    const tab = page.locator('.tabs-container .tab', { hasText: 'servelint cost' }).first();
    await tab.waitFor({ timeout: t(10000) });
    const dirtyAfter = await dirtyTabs();
    if (dirtyAfter.length > dirtyBefore.length) throw new Error(`a new dirty editor: ${JSON.stringify(dirtyAfter)}`);
    const rows = await f.locator('table.assumptions tbody tr').count();
    const bars = await f.locator('svg.chart .bar').count();
    if (rows < 7) throw new Error(`${rows} assumption rows, expected the 7 controls`);
    state.before = await figure(f);
    state.gpu = await f.locator('#ctl-gpu').inputValue();
    return `tab ${JSON.stringify(norm(await tab.innerText()).split('\n')[0])}; $/1M ${state.before} on ${state.gpu}; ${rows} assumption rows; ${bars} GPU bars`;
  });

  await step('cost view: $/1M tokens across the GPUs the model fits, and the rollout cost', async () => {
    const f = await frameWith('svg.chart .bar', 'the GPU chart');
    const bars = await f.locator('svg.chart .bar-row').count();
    const current = await f.locator('svg.chart .bar-row.current').getAttribute('data-gpu');
    if (bars < 2 || current !== state.gpu) throw new Error(`${bars} bars, current ${current} (the panel says ${state.gpu})`);
    // Scrolled so the screenshot shows both charts.
    await f.locator('h2', { hasText: 'GPUs the model fits' }).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    const rollout = await f.locator('figcaption').first().textContent().catch(() => null);
    return `${bars} GPUs, ${current} highlighted; rollout: ${JSON.stringify(rollout)}`;
  });

  await step('cost view: choosing another GPU changes $/1M tokens', async () => {
    const f = await frameWith('#ctl-gpu', 'the GPU control');
    await f.locator('#ctl-gpu').scrollIntoViewIfNeeded();
    const options = await f.locator('#ctl-gpu option').evaluateAll((os) => os.map((o) => o.value));
    const next = ['A100-SXM-80GB', 'L40S', 'H200'].find((g) => g !== state.gpu && options.includes(g)) ?? options.find((g) => g && g !== state.gpu);
    if (!next) throw new Error(`no other GPU to choose: ${JSON.stringify(options)}`);
    // Keyboard, as a person without a mouse would: focus the select, choose, and it recomputes on change.
    await f.locator('#ctl-gpu').focus();
    await f.locator('#ctl-gpu').selectOption(next);
    const got = await poll('the $/1M figure to change', async () => {
      const now = await figure(f).catch(() => null);
      return { ok: now !== null && now !== state.before && /\$[\d.,]+/.test(now), now, why: `still ${now}` };
    }, t(20000));
    await f.locator('#status', { hasText: 'What-if' }).waitFor({ timeout: t(5000) });
    state.gpu = next;
    return `${state.before} -> ${got.now} on ${next}`;
  });

  await step('cost view: "Write as annotation" edits the manifest and the CodeLens follows', async () => {
    state.lensBefore = await h.lensText(marker);
    const f = await frameWith('#write-annotation', 'the write button');
    await f.locator('#write-annotation').click();
    const want = `servelint.io/gpu: "${state.gpu}"`;
    await focusManifestTop();
    const line = await poll(`the manifest to contain ${want}`, async () => {
      const lines = await h.allDocumentLines();
      const hit = lines.find((l) => l.includes(want));
      return { ok: !!hit, hit, why: 'not yet' };
    }, t(15000), 500);
    await h.focusEditorAt('apiVersion:', 'apiVersion'); // a focused editor refetches its lenses (P1)
    const lens = await poll('the CodeLens to name the new GPU', async () => {
      const now = await h.lensText(marker, t(2000)).catch(() => null);
      return { ok: !!now && now !== state.lensBefore && now.includes(state.gpu), now, why: `still ${JSON.stringify(now)}` };
    }, t(20000));
    const after = await frameWith('#status', 'the panel after writing');
    await after.locator('#status', { hasText: 'Figures from the manifest' }).waitFor({ timeout: t(10000) });
    return `inserted ${JSON.stringify(line.hit.trim())}; lens ${JSON.stringify(state.lensBefore)} -> ${JSON.stringify(lens.now)}`;
  });

  await step('cost view: Ctrl+Z in the manifest undoes the annotation, the CodeLens goes back', async () => {
    await focusManifestTop();
    const withAnnotation = await h.lensText(marker);
    await page.keyboard.press('Control+Z');
    const lens = await poll('the CodeLens to drop the what-if GPU', async () => {
      const now = await h.lensText(marker, t(2000)).catch(() => null);
      return { ok: !!now && now !== withAnnotation && !now.includes(state.gpu), now, why: `still ${JSON.stringify(now)}` };
    }, t(20000));
    const lines = await h.allDocumentLines();
    if (lines.some((l) => l.includes('servelint.io/gpu'))) throw new Error('the annotation is still in the manifest');
    // Redo, so the panel's last steps see the written manifest again.
    await focusManifestTop();
    await page.keyboard.press('Control+Shift+Z');
    await poll('the annotation back (redo)', async () => ({ ok: (await h.allDocumentLines()).some((l) => l.includes('servelint.io/gpu')) }), t(10000), 500);
    return `lens ${JSON.stringify(withAnnotation.slice(0, 60))}… -> ${JSON.stringify(lens.now.slice(0, 60))}…, then redone`;
  });

  await step('cost view: "Open as Markdown" renders it read-only', async () => {
    const f = await frameWith('#open-markdown', 'the Markdown button');
    const dirtyBefore = await dirtyTabs();
    await f.locator('#open-markdown').click();
    const tab = page.locator('.tabs-container .tab', { hasText: 'cost.md' }).first();
    await tab.waitFor({ timeout: t(20000) });
    // The preview's own webview: a rendered heading, not '# servelint ...' source text.
    const md = await frameWith('h1:has-text("servelint cost breakdown")', 'the rendered Markdown preview');
    const text = norm(await md.locator('body').innerText());
    if (!/1M tokens/.test(text)) throw new Error(`preview text: ${text.slice(0, 200)}`);
    const dirtyAfter = await dirtyTabs();
    if (dirtyAfter.length > dirtyBefore.length) throw new Error(`a new dirty editor: ${JSON.stringify(dirtyAfter)}`);
    return `tab ${JSON.stringify(norm(await tab.innerText()).split('\n')[0])}; ${text.length} characters rendered`;
  });

  await step('cost view: close the panel and the preview', async () => {
    for (const label of ['cost.md', 'servelint cost']) {
      const tab = page.locator('.tabs-container .tab', { hasText: label }).first();
      if (!(await tab.count())) continue;
      await tab.click();
      await tab.locator('.tab-actions .action-label').first().click();
      await tab.waitFor({ state: 'detached', timeout: t(5000) });
    }
    await sleep(200);
    await focusManifestTop();
  });
}
