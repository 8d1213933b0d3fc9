// The ONE list of end-to-end scenarios, shared by every editor driver so they cannot drift:
//   test/e2e/vscode.e2e.mjs   (code-server + headless Chromium, the packaged .vsix)
//   test/e2e/neovim.e2e.mjs   (headless Neovim's built-in LSP client, the language server over stdio)
//   client/src/test/**        (@vscode/test-electron suite; load with `await import(<abs path of this file>)`)
//
// Conventions:
//   - `line` is 1-based, as the Problems panel prints it ("Ln 23"); LSP positions are line - 1.
//   - `lineContains` is text that must be on that line of the fixture: `checkScenarios()` verifies it, so
//     editing a fixture without updating its line numbers fails fast instead of flaking in an editor.
//   - Fixtures live in test/e2e/fixtures/ and are copied into a fresh workspace for every run.
//   - Scenarios run in the listed order. The drivers open each fixture once, when its first scenario comes up
//     (a new tab / buffer, the earlier ones stay open), so all scenarios of one file must be contiguous (checked
//     by `checkScenarios()`). Within a file, later scenarios see earlier edits (the quick fix inserts a line, so
//     everything after it locates lines by text, not by number); settings changes stay in force for later files.
//   - Every scenario `id` is unique: the drivers and their reports name checks after it.
//
// The extension contract these scenarios assume is in CONTRACT below; the report printed by
// `node test/e2e/scenarios.mjs` shows it.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

export const CONTRACT = {
  diagnosticSource: 'servelint',
  graceRule: 'grace-period-truncates-generations',
  codeLensMarker: '/ 1M tokens',            // the cost CodeLens title contains this ("≈ $0.60 / 1M tokens · …")
  codeLensCommand: 'servelint.showCostBreakdown',
  // Clicking the lens must show the breakdown as an editor tab (title matching breakdownTitle, or any
  // text editor whose text matches breakdownText) or as a notification matching breakdownText.
  breakdownTitle: /servelint|cost/i,
  breakdownText: /\$\/1M|1M tokens/,
  // The hover may word it '$0.44 / 1M tokens' or '$0.441 per 1M output tokens' (the language server's
  // replicas hover does the latter): what matters is a dollar figure per million tokens.
  hoverPattern: /\$\s*[\d.,]+\s*(?:\/|per)\s*1M\s+(?:output\s+)?tokens/,
  graceFixTitlePrefix: 'Set terminationGracePeriodSeconds',
  gpuPricesSetting: 'servelint.gpuPrices',  // object: GPU id -> $/GPU-hour
};

export const MAIN_FIXTURE = 'vllm-default-grace.yaml';
// An operator manifest: KServe LLMInferenceService (serving.kserve.io/v1alpha2), whose pods get the KServe
// preset's 60 s grace period and 15 s preStop when the manifest sets neither.
export const OPERATOR_FIXTURE = 'llmisvc-default-grace.yaml';

/** @type {Array<Record<string, any>>} */
export const scenarios = [
  {
    id: 'grace-period-diagnostic',
    file: MAIN_FIXTURE,
    expectDiagnostic: { code: CONTRACT.graceRule, line: 23, lineContains: '- name: vllm', source: CONTRACT.diagnosticSource, severity: 'error' },
  },
  {
    id: 'cost-codelens',
    file: MAIN_FIXTURE,
    // On the `kind:` line of the workload (engine: WorkloadReport.kindRange).
    expectCodeLens: { line: 4, lineContains: 'kind: Deployment', titleContains: CONTRACT.codeLensMarker, command: CONTRACT.codeLensCommand },
  },
  {
    id: 'cost-breakdown-command',
    file: MAIN_FIXTURE,
    clickCodeLens: { titleContains: CONTRACT.codeLensMarker, opensTitle: CONTRACT.breakdownTitle, opensText: CONTRACT.breakdownText },
  },
  {
    id: 'replicas-hover',
    file: MAIN_FIXTURE,
    // Hover over the word `replicas` (the key) of `replicas: 4`.
    hover: { line: 11, lineContains: 'replicas: 4', word: 'replicas', matches: CONTRACT.hoverPattern },
  },
  {
    id: 'grace-period-quickfix',
    file: MAIN_FIXTURE,
    quickFix: {
      code: CONTRACT.graceRule,
      atLineContaining: '- name: vllm',
      titleStartsWith: CONTRACT.graceFixTitlePrefix,
      expectLineAfter: /^\s*terminationGracePeriodSeconds:\s*\d+/,
      diagnosticGone: true,
    },
  },
  {
    id: 'edit-replicas-updates-codelens',
    file: MAIN_FIXTURE,
    // Replace the value on the `replicas: 4` line with 8; the cost CodeLens text must change
    // (e.g. the $/month figure). $/1M tokens may legitimately stay the same.
    edit: { lineContains: 'replicas: 4', from: '4', to: '8' },
    expectCodeLensChanges: { titleContains: CONTRACT.codeLensMarker },
  },
  {
    id: 'gpu-price-setting-updates-codelens',
    file: MAIN_FIXTURE,
    // The fixture's GPU is nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 -> GPU id 'H100-SXM'.
    // A new price must change the $ figure in front of '/ 1M tokens' without reopening the file.
    setting: { key: CONTRACT.gpuPricesSetting, value: { 'H100-SXM': 10 } },
    expectCodeLensChanges: { titleContains: CONTRACT.codeLensMarker, perMillionFigureChanges: true },
  },
  // ---- the operator manifest, opened in a second tab / buffer after the Deployment's scenarios
  {
    id: 'llmisvc-grace-period-diagnostic',
    file: OPERATOR_FIXTURE,
    // "terminationGracePeriodSeconds is 60 s (KServe LLMInferenceService v0.19+ default) but …"
    expectDiagnostic: { code: CONTRACT.graceRule, line: 22, lineContains: '- name: main', source: CONTRACT.diagnosticSource, severity: 'error' },
  },
  {
    id: 'llmisvc-replicas-hover',
    file: OPERATOR_FIXTURE,
    // spec.replicas of the LLMInferenceService; the GPU comes from spec.template.nodeSelector (H100-SXM).
    hover: { line: 13, lineContains: 'replicas: 2', word: 'replicas', matches: CONTRACT.hoverPattern },
  },
  {
    id: 'llmisvc-grace-period-quickfix',
    file: OPERATOR_FIXTURE,
    // "Set terminationGracePeriodSeconds to 150": inserted into spec.template (the pod spec), which overrides the preset.
    quickFix: {
      code: CONTRACT.graceRule,
      atLineContaining: '- name: main',
      titleStartsWith: CONTRACT.graceFixTitlePrefix,
      expectLineAfter: /^\s*terminationGracePeriodSeconds:\s*\d+/,
      diagnosticGone: true,
    },
  },
];

/** The fixture files the scenarios use, in the order they are first used (= the order the drivers open them). */
export function scenarioFiles() {
  return [...new Set(scenarios.map((s) => s.file))];
}

/** The scenarios of one fixture file, in list order. */
export function scenariosFor(file) {
  return scenarios.filter((s) => s.file === file);
}

/** '≈ $0.60 / 1M tokens · …' -> 0.6 (null when there is no figure). */
export function perMillionFigure(title) {
  const m = /\$\s*([\d,]+(?:\.\d+)?)\s*\/\s*1M tokens/.exec(String(title).replace(/\u00a0/g, ' '));
  return m ? Number(m[1].replace(/,/g, '')) : null;
}

export function fixtureText(file) {
  return readFileSync(join(FIXTURES_DIR, file), 'utf8');
}

/** 0-based index of the first line containing `text` (-1 if none). */
export function findLine(source, text) {
  return source.split('\n').findIndex((l) => l.includes(text));
}

/** Throws if a scenario's `line`/`lineContains` pair no longer matches its fixture. */
export function checkScenarios() {
  const problems = [];
  const ids = new Set();
  for (const s of scenarios) {
    if (ids.has(s.id)) problems.push(`${s.id}: duplicate scenario id`);
    ids.add(s.id);
  }
  // Each file's scenarios must be contiguous: the drivers open a file once and run its scenarios together.
  scenarios.forEach((s, i) => {
    if (i > 0 && scenarios[i - 1].file !== s.file && scenarios.slice(0, i).some((x) => x.file === s.file)) {
      problems.push(`${s.id}: scenarios of ${s.file} are not contiguous (the drivers open each file once)`);
    }
  });
  for (const s of scenarios) {
    const lines = fixtureText(s.file).split('\n');
    for (const part of Object.values(s)) {
      if (part && typeof part === 'object' && typeof part.line === 'number' && part.lineContains) {
        const got = lines[part.line - 1] ?? '';
        if (!got.includes(part.lineContains)) problems.push(`${s.id}: line ${part.line} of ${s.file} is ${JSON.stringify(got)}, expected it to contain ${JSON.stringify(part.lineContains)}`);
      }
    }
    for (const key of ['atLineContaining', 'lineContains']) {
      for (const part of Object.values(s)) {
        if (part && typeof part === 'object' && typeof part[key] === 'string' && findLine(lines.join('\n'), part[key]) < 0) problems.push(`${s.id}: no line of ${s.file} contains ${JSON.stringify(part[key])}`);
      }
    }
  }
  if (problems.length) throw new Error('scenario/fixture drift:\n  ' + problems.join('\n  '));
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  checkScenarios();
  console.log(`${scenarios.length} scenarios OK against fixtures in ${FIXTURES_DIR} (files, in order: ${scenarioFiles().join(', ')})`);
  for (const s of scenarios) console.log(`  - ${s.id} (${s.file})`);
  console.log('contract:', CONTRACT);
}
