/**
 * `servelint/costWhatIf` and `servelint/costWhatIfEdit`: the cost view's figures with what-if overrides, and the
 * WorkspaceEdit that writes them. A what-if is not a second cost model: the overrides are written into a copy of
 * the manifest as the `servelint.io/*` annotations a user would write (costWhatIfEdits.ts), and that text is linted
 * by the engine with the document's own config, so every figure, source and problem is the engine's.
 */
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Connection, WorkspaceEdit } from 'vscode-languageserver/node';
import { applyEdits, createLinter } from '..';
import type { WorkloadReport } from '../engine/api';
import { buildGpuCatalog, validateGpuEntries } from '../engine/cost';
import { guard, type ServerContext } from './context';
import { workspaceEdit } from './codeActions';
import { isModelServer } from './codeLens';
import { toOffset } from './convert';
import { cleanOverrides, configPathEdit, configSettings, hasReplicasField, manifestEdits } from './costWhatIfEdits';
import { breakdownMarkdown, workloadName } from './format';
import type { LintEntry } from './lintService';
import { fsPathOf } from './settings';
import {
  COST_WHAT_IF_EDIT_REQUEST,
  COST_WHAT_IF_REQUEST,
  type CostControl,
  type CostOverrides,
  type CostWhatIfEditParams,
  type CostWhatIfEditResult,
  type CostWhatIfParams,
  type CostWhatIfResult,
  type GpuComparison,
} from './protocol';

/** No rules: a what-if needs the workload reports only, and its texts stay out of the main linter's cache. */
const whatIfLinter = createLinter([]);

/** The requested model-server workload: by index, else the one whose YAML document holds `position`, else the first. */
function pickWorkload(e: LintEntry, p: Pick<CostWhatIfParams, 'index' | 'position'>): number | undefined {
  const servers = e.result.workloads.map((w, i) => [w, i] as const).filter(([w]) => isModelServer(w));
  if (typeof p.index === 'number' && p.index >= 0) return servers.find(([, i]) => i === p.index)?.[1];
  if (p.position && typeof p.position.line === 'number' && typeof p.position.character === 'number') {
    const at = toOffset(e, p.position);
    const hit = servers.find(([w]) => w.documentRange.start <= at && at <= w.documentRange.end);
    if (hit) return hit[1];
  }
  return servers[0]?.[1];
}

/** The workload's report with the overrides written into the manifest text (the document itself is not touched). */
function whatIfReport(e: LintEntry, index: number, overrides: CostOverrides): WorkloadReport | undefined {
  const w = e.result.workloads[index];
  if (!w || !Object.keys(overrides).length) return w;
  const text = applyEdits(e.text, manifestEdits(e.text, w, overrides).edits);
  return whatIfLinter.lint(text, { config: e.config, fileName: e.uri }).workloads[index];
}

const CONTROLS: { key: keyof CostOverrides; assumption: string; label: string; unit?: string; min?: number; max?: number; step?: number }[] = [
  { key: 'gpu', assumption: 'gpu', label: 'GPU' },
  { key: 'replicas', assumption: 'replicas', label: 'Replicas', min: 0, step: 1 },
  { key: 'utilization', assumption: 'utilization', label: 'Average utilization', min: 0.01, max: 1, step: 0.01 },
  { key: 'concurrency', assumption: 'concurrency', label: 'Concurrent sequences per replica', min: 1, step: 1 },
  { key: 'inputTokens', assumption: 'inputTokens', label: 'Input tokens per request', unit: 'tokens', min: 1, step: 1 },
  { key: 'outputTokens', assumption: 'outputTokens', label: 'Output tokens per request', unit: 'tokens', min: 1, step: 1 },
  { key: 'usdPerGpuHour', assumption: 'usdPerGpuHour', label: 'Price per GPU-hour', unit: '$/GPU-hr', min: 0, step: 0.01 },
];

/** `original`: the workload in the document as linted; `w`: the same with the what-ifs. */
function controlsFor(e: LintEntry, original: WorkloadReport, w: WorkloadReport, overrides: CostOverrides, gpuIds: string[]): CostControl[] {
  const c = w.cost;
  const replicasWritable = hasReplicasField(e.text, original);
  return CONTROLS.map((def) => {
    const a = c?.assumptions.find((x) => x.key === def.assumption);
    const overridden = overrides[def.key] !== undefined;
    const base: CostControl = { key: def.key, label: a?.label ?? def.label, value: a?.value ?? null, unit: a?.unit ?? def.unit, source: a?.source ?? 'unknown',
      detail: a ? [a.detail, `override: ${a.override}`].filter(Boolean).join('; ') : undefined, writable: true, min: def.min, max: def.max, step: def.step };
    if (def.key === 'gpu') {
      base.value = c?.gpu.id ?? null;
      base.options = gpuIds;
      base.detail = c?.gpu.source ?? base.detail;
    }
    if (def.key === 'replicas') {
      base.value = c?.replicas ?? w.replicas ?? null;
      base.source = 'manifest';
      base.writable = replicasWritable;
      base.detail = replicasWritable ? 'spec replicas in the manifest' : 'not written in the manifest (the default or an autoscaler decides): no what-if';
    }
    if (overridden) {
      base.source = 'what-if';
      base.value = overrides[def.key] ?? base.value;
    }
    return base;
  });
}

/** Comparisons are kept per document version, settings and the overrides they depend on (not the GPU, price or replicas). */
const comparisons = new Map<string, GpuComparison[]>();
const COMPARISONS_KEPT = 16;
/** Stands for the GPU id in the edits made once for the whole comparison (a GPU id never contains `~`). */
const GPU_SLOT = '~gpu~';

/**
 * $/1M tokens on each catalog GPU of the same vendor that the model fits on (at the manifest's GPUs per replica), at
 * that GPU's own price. The manifest edits are made once, with a slot for the GPU id (parsing YAML is the costly part).
 */
function compareGpus(e: LintEntry, index: number, overrides: CostOverrides, gpuIds: string[]): GpuComparison[] {
  const { usdPerGpuHour: _price, replicas: _replicas, gpu: _gpu, ...rest } = overrides;
  const key = JSON.stringify([e.uri, e.version, e.generation, index, rest, gpuIds]);
  const hit = comparisons.get(key);
  if (hit) return hit;
  const w = e.result.workloads[index];
  if (!w) return [];
  const edits = manifestEdits(e.text, w, Object.assign({}, rest, { gpu: GPU_SLOT })).edits;
  const out: GpuComparison[] = [];
  for (const gpu of gpuIds) {
    const text = applyEdits(e.text, edits.map((x) => (Object.assign({}, x, { newText: x.newText.split(GPU_SLOT).join(gpu) }))));
    const c = whatIfLinter.lint(text, { config: e.config, fileName: e.uri }).workloads[index]?.cost;
    const fit = c?.memoryFit as { fits?: boolean } | null | undefined;
    if (!c || fit?.fits === false || !c.usdPerMillionTokens || c.usdPerGpuHour === null || !c.tokensPerSecond) continue;
    out.push({ gpu, usdPerGpuHour: c.usdPerGpuHour, tokensPerSecond: c.tokensPerSecond, usdPerMillionTokens: c.usdPerMillionTokens });
  }
  out.sort((a, b) => a.usdPerMillionTokens - b.usdPerMillionTokens);
  comparisons.set(key, out);
  if (comparisons.size > COMPARISONS_KEPT) comparisons.delete(comparisons.keys().next().value as string);
  return out;
}

/** Catalog GPU ids (with gpus.extra), of the current GPU's vendor when it is known. */
function gpuChoices(e: LintEntry, current: string | null): string[] {
  const catalog = buildGpuCatalog(validateGpuEntries(e.config.gpus?.extra).valid);
  const vendor = catalog.gpus.find((g) => g.id === current)?.vendor;
  return catalog.gpus.filter((g) => !vendor || !g.vendor || g.vendor === vendor).map((g) => g.id);
}

async function costWhatIf(ctx: ServerContext, p: CostWhatIfParams): Promise<CostWhatIfResult | null> {
  if (!p || typeof p.uri !== 'string') return null;
  const e = await ctx.lints.lint(p.uri);
  if (!e) return null;
  const index = pickWorkload(e, p);
  if (index === undefined) return null;
  const overrides = cleanOverrides(p.overrides);
  const w = whatIfReport(e, index, overrides);
  if (!w) return null;
  const original = e.result.workloads[index]!;
  const gpuIds = gpuChoices(e, original.cost?.gpu.id ?? null);
  const r = w.rollout;
  const servers = e.result.workloads.map((x, i) => ({ x, i })).filter(({ x }) => isModelServer(x));
  const note = Object.keys(overrides).length
    ? `\n> What-if (not in the manifest): ${Object.entries(overrides).map(([k, v]) => `${k} = ${v}`).join(', ')}\n`
    : '';
  return {
    uri: e.uri,
    index,
    version: e.version,
    title: workloadName(w),
    workloads: servers.map(({ x, i }) => ({ index: i, title: workloadName(x), usdPerHour: x.cost?.usdPerHour ?? null })),
    fileUsdPerHour: servers.every(({ x }) => typeof x.cost?.usdPerHour === 'number') && typeof w.cost?.usdPerHour === 'number'
      ? servers.reduce((sum, { x, i }) => sum + (i === index ? (w.cost!.usdPerHour as number) : (x.cost!.usdPerHour as number)), 0)
      : null,
    overrides,
    cost: w.cost ? (JSON.parse(JSON.stringify(w.cost)) as Record<string, unknown>) : null,
    rollout: r ? { strategy: r.strategy, totalSeconds: r.totalSeconds, steps: r.steps, stepSeconds: r.stepSeconds, maxSurge: r.maxSurge, surgeGpus: r.surgeGpus, summary: r.summary } : null,
    controls: controlsFor(e, original, w, overrides, gpuIds),
    gpuComparison: p.compareGpus === false ? [] : compareGpus(e, index, overrides, gpuIds),
    markdown: breakdownMarkdown(w).replace(/\n/, `\n${note}`),
  };
}

/** The edit for a .servelint.yaml: the nearest one (open in the editor or on disk), else a new one next to the manifest. */
async function configEdit(ctx: ServerContext, e: LintEntry, settings: [string[], string][]): Promise<WorkspaceEdit | null> {
  const file = fsPathOf(e.uri);
  if (!file) return null;
  const existing = (await ctx.settings.forDocument(e.uri)).configFile;
  const target = existing ?? path.join(path.dirname(file), '.servelint.yaml');
  const uri = pathToFileURL(target).toString();
  const open = ctx.documents.get(uri);
  let text = open?.getText() ?? (existing && fs.existsSync(existing) ? fs.readFileSync(existing, 'utf8') : '');
  const original = text;
  // Each path edit sees the text after the previous ones: settings may share maps (assumptions.*).
  for (const [keys, value] of settings) {
    const edit = configPathEdit(text, keys, value);
    if (!edit) return null;
    text = applyEdits(text, [edit]);
  }
  const lines = original.split('\n');
  const end = { line: lines.length - 1, character: (lines[lines.length - 1] ?? '').length };
  const replaceAll = { range: { start: { line: 0, character: 0 }, end }, newText: text };
  if (existing || open) return { documentChanges: [{ textDocument: { uri, version: open?.version ?? null }, edits: [replaceAll] }] };
  return { documentChanges: [{ kind: 'create', uri, options: { ignoreIfExists: true } }, { textDocument: { uri, version: null }, edits: [replaceAll] }] };
}

async function costWhatIfEdit(ctx: ServerContext, p: CostWhatIfEditParams): Promise<CostWhatIfEditResult> {
  const none = (why: string): CostWhatIfEditResult => ({ edit: null, summary: [why] });
  if (!p || typeof p.uri !== 'string') return none('no document');
  const e = await ctx.lints.lint(p.uri);
  const index = e ? pickWorkload(e, p) : undefined;
  const w = e && index !== undefined ? e.result.workloads[index] : undefined;
  if (!e || !w) return none('no model-server workload');
  const overrides = cleanOverrides(p.overrides);
  if (p.target === 'config') {
    const gpuId = overrides.gpu ?? w.cost?.gpu.id ?? null;
    const settings = configSettings(overrides, gpuId);
    if (!settings.length) return none('none of these what-ifs has a .servelint.yaml setting (only the GPU price, utilization and input tokens do)');
    const edit = await configEdit(ctx, e, settings);
    return edit ? { edit, summary: settings.map(([k, v]) => `${k.join('.')}: ${v}`) } : none('the .servelint.yaml could not be edited safely');
  }
  const { edits, summary } = manifestEdits(e.text, w, overrides);
  if (!edits.length) return none('nothing to write');
  return { edit: workspaceEdit(ctx, e, edits), summary };
}

export function registerCostWhatIf(ctx: ServerContext, connection: Connection): void {
  connection.onRequest(COST_WHAT_IF_REQUEST, (p: CostWhatIfParams) => guard(ctx, COST_WHAT_IF_REQUEST, null, () => costWhatIf(ctx, p)));
  connection.onRequest(COST_WHAT_IF_EDIT_REQUEST, (p: CostWhatIfEditParams) =>
    guard(ctx, COST_WHAT_IF_EDIT_REQUEST, { edit: null, summary: ['internal error'] } as CostWhatIfEditResult, () => costWhatIfEdit(ctx, p)));
}
