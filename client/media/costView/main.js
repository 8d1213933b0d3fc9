// servelint cost view (webview page). Renders the language server's servelint/costWhatIf result: the figures, every
// assumption with its source and a control, and two inline SVG charts. No framework, no remote resource; the
// extension (client/src/costView/panel.ts) recomputes every what-if through the language server.
// @ts-check
(function () {
  // eslint-disable-next-line no-undef
  const vscode = acquireVsCodeApi();
  const app = /** @type {HTMLElement} */ (document.getElementById('app'));
  const SVG = 'http://www.w3.org/2000/svg';
  /** @type {any} */
  let data = null;
  /** @type {Record<string, number | string>} */
  let overrides = {};
  /** The control that had the focus before a re-render (so Tab / typing continue where they were). */
  let focusId = null;

  const money = (x, digits = 2) => (x === null || x === undefined ? '—' : `$${Number(x).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`);
  const perMillion = (x) => (x === null || x === undefined ? '—' : x > 0 && x < 0.01 ? `$${Number(x.toPrecision(2))}` : money(x));
  const num = (x, d = 0) => (x === null || x === undefined ? '—' : Number(x).toLocaleString('en-US', { maximumFractionDigits: d }));

  /** @returns {HTMLElement} */
  function el(tag, attrs = {}, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'text') e.textContent = String(v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  /** @returns {SVGElement} */
  function svg(tag, attrs = {}, ...children) {
    const e = document.createElementNS(SVG, tag);
    for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) e.setAttribute(k, String(v));
    for (const c of children.flat()) if (c !== null && c !== undefined) e.append(c);
    return e;
  }

  function whatIf(next) {
    overrides = next;
    vscode.setState({ overrides });
    vscode.postMessage({ type: 'whatIf', overrides });
  }

  function setOverride(key, value) {
    const next = { ...overrides };
    if (value === undefined || value === '' || (typeof value === 'number' && !Number.isFinite(value))) delete next[key];
    else next[key] = value;
    // A price belongs to a GPU: another GPU starts from its own (catalog or configured) price.
    if (key === 'gpu') delete next.usdPerGpuHour;
    whatIf(next);
  }

  /** A codicon (font from media/costView/codicons), decorative: the text next to it says what it means. */
  const icon = (name) => el('span', { class: `codicon codicon-${name}`, 'aria-hidden': 'true' });

  function figure(id, label, value, sub) {
    return el('div', { class: 'figure' }, el('div', { class: 'figure-label', id: `${id}-label`, text: label }),
      el('div', { class: 'figure-value', id, 'aria-labelledby': `${id}-label ${id}`, text: value }), sub ? el('div', { class: 'figure-sub', text: sub }) : null);
  }

  function sourceBadge(source) {
    return el('span', { class: `badge badge-${String(source).replace(/[^a-z-]/g, '')}`, text: source });
  }

  function control(c) {
    const id = `ctl-${c.key}`;
    const disabled = !c.writable;
    let input;
    if (c.key === 'gpu') {
      const options = [...(c.options || [])];
      if (c.value && !options.includes(c.value)) options.unshift(c.value);
      input = el('select', { id, disabled, 'aria-describedby': `${id}-detail`, onchange: (e) => setOverride('gpu', e.target.value) },
        c.value ? null : el('option', { value: '', text: '(none named)', selected: true }),
        options.map((g) => el('option', { value: g, text: g, selected: g === c.value })));
    } else {
      input = el('input', {
        // 4 decimals at most on screen ($3.430875 / GPU-hr reads as 3.4309); the engine keeps its own figure.
        id, type: 'number', value: typeof c.value === 'number' ? Number(c.value.toFixed(4)) : c.value ?? '', min: c.min, max: c.max, step: c.step ?? 'any', disabled, 'aria-describedby': `${id}-detail`,
        // change: Enter or leaving the field (not every keystroke).
        onchange: (e) => {
          const v = e.target.value === '' ? undefined : Number(e.target.value);
          // Range only: a configured 0.725 is a fine utilization even if the arrows step by 0.01.
          const bad = e.target.validity.badInput || (v !== undefined && ((c.min !== undefined && v < c.min) || (c.max !== undefined && v > c.max)));
          e.target.setAttribute('aria-invalid', bad ? 'true' : 'false');
          if (bad) return;
          setOverride(c.key, v);
        },
      });
    }
    return el('tr', {},
      el('th', { scope: 'row' }, el('label', { for: id, text: `${c.label}${c.unit ? ` (${c.unit})` : ''}` })),
      el('td', {}, input),
      el('td', {}, sourceBadge(c.source)),
      el('td', { id: `${id}-detail`, class: 'detail', text: c.detail || '' }));
  }

  /** Horizontal bars: $/1M tokens on each GPU the model fits on; the current GPU highlighted; a bar is a button. */
  function gpuChart(rows, current) {
    if (!rows.length) return el('p', { class: 'muted', text: 'No other catalog GPU with a price fits this model at this many GPUs per replica.' });
    const barH = 22, gap = 6, labelW = 130, valueW = 70, width = 520;
    const max = Math.max(...rows.map((r) => r.usdPerMillionTokens));
    const plotW = width - labelW - valueW;
    const height = rows.length * (barH + gap);
    const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'list', 'aria-label': '$ per 1M output tokens by GPU', class: 'chart' });
    rows.forEach((r, i) => {
      const y = i * (barH + gap);
      const w = Math.max(2, (r.usdPerMillionTokens / max) * plotW);
      const isCurrent = r.gpu === current;
      const label = `${r.gpu}: ${perMillion(r.usdPerMillionTokens)} per 1M tokens at ${money(r.usdPerGpuHour)}/GPU-hr, ${num(r.tokensPerSecond)} tok/s per replica${isCurrent ? ' (current)' : ''}`;
      const g = svg('g', { role: 'listitem', tabindex: '0', 'aria-label': `${label}. Press Enter to try this GPU.`, class: `bar-row${isCurrent ? ' current' : ''}`, 'data-gpu': r.gpu },
        svg('title', {}, label),
        svg('text', { x: labelW - 8, y: y + barH / 2, class: 'bar-label', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, r.gpu),
        svg('rect', { x: labelW, y, width: w, height: barH, rx: 2, class: 'bar' }),
        svg('text', { x: labelW + w + 6, y: y + barH / 2, class: 'bar-value', 'dominant-baseline': 'middle' }, perMillion(r.usdPerMillionTokens)));
      const pick = () => { if (!isCurrent) setOverride('gpu', r.gpu); };
      g.addEventListener('click', pick);
      g.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
      chart.append(g);
    });
    return chart;
  }

  /** $/hr over the rollout: the fleet, plus the surge pods (rolling) or a second fleet (blue-green) while it runs. */
  function rolloutChart(cost, rollout) {
    const extra = cost.rollout || {};
    const base = cost.usdPerHour;
    if (!rollout || base === null || base === undefined || !(rollout.totalSeconds > 0)) return null;
    const blueGreen = extra.cutoverUsd !== undefined;
    const extraPerHour = blueGreen ? base : extra.surgeGpus && cost.usdPerGpuHour ? extra.surgeGpus * cost.usdPerGpuHour : 0;
    const extraUsd = blueGreen ? extra.cutoverUsd : extra.surgeUsd;
    if (!extraPerHour) return el('p', { class: 'muted', text: `${rollout.summary}: no extra GPUs during the rollout.` });
    const width = 520, height = 150, left = 60, bottom = 24, top = 10, right = 10;
    const seconds = rollout.totalSeconds;
    const span = seconds * 1.5; // some steady state before and after
    const x = (s) => left + (s / span) * (width - left - right);
    const yMax = (base + extraPerHour) * 1.1;
    const y = (v) => top + (1 - v / yMax) * (height - top - bottom);
    const t0 = seconds * 0.25, t1 = t0 + seconds;
    const pts = [[0, base], [t0, base], [t0, base + extraPerHour], [t1, base + extraPerHour], [t1, base], [span, base]];
    const d = pts.map(([s, v], i) => `${i ? 'L' : 'M'}${x(s).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    const area = `${d} L${x(span).toFixed(1)},${y(0).toFixed(1)} L${x(0).toFixed(1)},${y(0).toFixed(1)} Z`;
    const what = blueGreen ? 'a second full fleet (blue-green)' : `${extra.surgeGpus} surge GPU(s)`;
    const summary = `Fleet ${money(base)}/hr; during the ${Math.round(seconds / 60)}-minute rollout ${what} add ${money(extraPerHour)}/hr: about ${money(extraUsd)} per rollout.`;
    return el('figure', {},
      svg('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img', 'aria-label': summary, class: 'chart' },
        svg('path', { d: area, class: 'area' }),
        svg('path', { d, class: 'line' }),
        svg('line', { x1: left, x2: width - right, y1: y(0), y2: y(0), class: 'axis' }),
        svg('line', { x1: left, x2: left, y1: top, y2: y(0), class: 'axis' }),
        svg('text', { x: left - 6, y: y(base), class: 'tick', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, `${money(base, 0)}/hr`),
        svg('text', { x: left - 6, y: y(base + extraPerHour), class: 'tick', 'text-anchor': 'end', 'dominant-baseline': 'middle' }, `${money(base + extraPerHour, 0)}`),
        svg('text', { x: x(t0), y: height - 6, class: 'tick', 'text-anchor': 'middle' }, 'rollout starts'),
        svg('text', { x: x(t1), y: height - 6, class: 'tick', 'text-anchor': 'middle' }, `+${Math.round(seconds / 60)} min`)),
      el('figcaption', { text: summary }));
  }

  function render() {
    if (!data) return;
    const c = data.cost;
    const active = document.activeElement;
    focusId = active && active.id ? active.id : focusId;
    const pending = Object.keys(overrides).length > 0;
    const controlKeys = new Set(data.controls.map((x) => x.key));
    const others = c ? c.assumptions.filter((a) => !controlKeys.has(a.key) && a.key !== 'gpusPerReplica') : [];
    const header = el('header', {},
      el('h1', { text: data.title }),
      data.workloads.length > 1
        ? el('label', { class: 'workload-pick' }, 'Workload ', el('select', { id: 'workload', onchange: (e) => vscode.postMessage({ type: 'workload', index: Number(e.target.value) }) },
          data.workloads.map((w) => el('option', { value: w.index, text: `${w.title}${w.usdPerHour !== null ? ` — ${money(w.usdPerHour)}/hr` : ''}`, selected: w.index === data.index }))),
          data.fileUsdPerHour !== null ? el('span', { id: 'file-total', class: 'muted', text: ` File: ${data.workloads.length} workloads, ${money(data.fileUsdPerHour)}/hr` }) : null)
        : null);
    const regime = c && c.tokensPerSecondRegime ? ` (${c.tokensPerSecondRegime})` : c && c.tokensPerSecondSource === 'measured' ? ' (measured)' : '';
    const figures = c
      ? el('section', { class: 'figures', 'aria-label': 'Cost figures' },
        figure('fig-per-million', '$ / 1M output tokens', perMillion(c.usdPerMillionTokens), c.tokensPerSecondSource === 'measured' ? 'measured throughput' : 'estimate'),
        figure('fig-per-hour', '$ / hour (fleet)', c.usdPerHour === null ? '—' : `${money(c.usdPerHour)}`, `${c.replicas} × ${c.gpusPerReplica}× ${c.gpu.id ?? 'GPU'}`),
        figure('fig-per-month', '$ / month', money(c.usdPerMonth, 0), `${c.hoursPerMonth ?? 730} h`),
        figure('fig-tps', 'tokens/s per replica', num(c.tokensPerSecond), regime.replace(/^ \(|\)$/g, '')))
      : el('p', { text: 'No cost report for this workload.' });
    const actions = el('div', { class: 'actions', role: 'toolbar', 'aria-label': 'What-if actions' },
      el('button', { id: 'write-annotation', disabled: !pending, title: 'Add / update servelint.io/* annotations (and replicas) on the workload: an undoable edit of the manifest', onclick: () => vscode.postMessage({ type: 'write', target: 'annotation', overrides }) }, icon('edit'), 'Write as annotation'),
      el('button', { id: 'write-config', class: 'secondary', disabled: !pending, title: 'Write the GPU price (gpus.prices), utilization and input tokens to the nearest .servelint.yaml', onclick: () => vscode.postMessage({ type: 'write', target: 'config', overrides }) }, icon('gear'), 'Write to .servelint.yaml'),
      el('button', { id: 'reset', class: 'secondary', disabled: !pending, onclick: () => whatIf({}) }, icon('discard'), 'Reset what-ifs'),
      el('button', { id: 'open-markdown', class: 'secondary', onclick: () => vscode.postMessage({ type: 'markdown', overrides }) }, icon('markdown'), 'Open as Markdown'));
    const status = el('p', { id: 'status', class: pending ? 'what-if' : 'muted', role: 'status' }, icon(pending ? 'beaker' : 'info'), ' ',
      pending ? `What-if: ${Object.entries(overrides).map(([k, v]) => `${k} = ${v}`).join(', ')} — not in the manifest until you write it.` : 'Figures from the manifest and its settings. Change an assumption to try a what-if.');
    const table = el('table', { class: 'assumptions' },
      el('caption', { text: 'Assumptions (change one to recompute)' }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Assumption' }), el('th', { scope: 'col', text: 'Value' }), el('th', { scope: 'col', text: 'Source' }), el('th', { scope: 'col', text: 'Where it comes from' }))),
      el('tbody', {}, data.controls.map(control)));
    const otherTable = others.length
      ? el('details', {}, el('summary', { text: `Other assumptions (${others.length})` }),
        el('table', { class: 'assumptions' }, el('tbody', {}, others.map((a) => el('tr', {},
          el('th', { scope: 'row', text: a.label }), el('td', { text: `${a.value}${a.unit ? ` ${a.unit}` : ''}` }), el('td', {}, sourceBadge(a.source)),
          el('td', { class: 'detail', text: [a.detail, a.override ? `override: ${a.override}` : ''].filter(Boolean).join('; ') }))))))
      : null;
    const problems = c && c.problems.length ? el('section', { 'aria-label': 'Problems' }, el('h2', { text: 'What is missing' }), el('ul', {}, c.problems.map((p) => el('li', { text: p })))) : null;
    const charts = el('section', { class: 'charts' },
      el('h2', {}, icon('graph'), ' $ / 1M tokens on the GPUs the model fits'),
      gpuChart(data.gpuComparison, c ? c.gpu.id : null),
      data.rollout ? el('h2', {}, icon('history'), ' Cost over a rollout') : null,
      data.rollout && c ? rolloutChart(c, data.rollout) : null);
    app.replaceChildren(header, figures, status, actions, table, otherTable || '', problems || '', charts);
    app.setAttribute('aria-busy', 'false');
    if (focusId && document.hasFocus()) {
      const f = document.getElementById(focusId);
      if (f) f.focus();
    }
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    if (m.type === 'busy') app.setAttribute('aria-busy', 'true');
    else if (m.type === 'data') {
      data = m.data;
      overrides = { ...(data.overrides || {}) };
      vscode.setState({ overrides });
      render();
    } else if (m.type === 'error') {
      app.setAttribute('aria-busy', 'false');
      app.replaceChildren(el('p', { class: 'error', role: 'alert', text: m.message }));
    }
  });

  vscode.postMessage({ type: 'ready' });
})();
