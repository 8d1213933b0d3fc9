/**
 * Text edits that write the cost view's what-if overrides: into the manifest (servelint.io/* annotations on the
 * workload, the replicas value) or into a .servelint.yaml (gpus.prices.<gpu>, assumptions.*). The same manifest
 * edits make the what-if text the engine recomputes from (costWhatIf.ts), so a what-if and "write as annotation"
 * cannot disagree. Comments and formatting are kept: only the changed values and inserted lines are edited.
 */
import { isMap, isScalar, parseDocument, visit, type Document, type Pair, type YAMLMap } from 'yaml';
import { ANNOTATIONS } from '../engine/cost/annotations';
import { insertIntoMap, setKey } from '../engine/edits';
import type { WorkloadReport } from '../engine/api';
import type { TextEdit } from '../engine/types';
import type { DocModelRef } from '../engine/yaml/nodes';
import type { CostOverrides } from './protocol';
import { addAnnotationsEdit } from './suppressEdits';

/** The annotation each override is written as (replicas is the manifest's own field). */
export const OVERRIDE_ANNOTATIONS: Record<Exclude<keyof CostOverrides, 'replicas'>, string> = {
  gpu: ANNOTATIONS.gpu,
  utilization: ANNOTATIONS.utilization,
  concurrency: ANNOTATIONS.concurrency,
  inputTokens: ANNOTATIONS.inputTokens,
  outputTokens: ANNOTATIONS.outputTokens,
  usdPerGpuHour: ANNOTATIONS.pricePerGpuHour,
};

/** Overrides with a usable value only (finite positive numbers, a non-empty GPU id). */
export function cleanOverrides(o: unknown): CostOverrides {
  const out: CostOverrides = {};
  if (!o || typeof o !== 'object') return out;
  const src = o as Record<string, unknown>;
  if (typeof src.gpu === 'string' && /^[\w.\-]{1,64}$/.test(src.gpu.trim())) out.gpu = src.gpu.trim();
  for (const k of ['replicas', 'utilization', 'concurrency', 'inputTokens', 'outputTokens', 'usdPerGpuHour'] as const) {
    const v = src[k];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) continue;
    if (k === 'utilization' && (v <= 0 || v > 1)) continue;
    if (k !== 'usdPerGpuHour' && k !== 'utilization' && (!Number.isInteger(v) || (k !== 'replicas' && v < 1))) continue;
    out[k] = v;
  }
  return out;
}

const num = (v: number): string => String(Number(v.toPrecision(6)));

function parse(text: string): Document.Parsed {
  return parseDocument(text, { strict: false, uniqueKeys: false });
}

/** The replicas value node of the workload, found through the engine's `replicas` hover range. */
function replicasValue(doc: Document.Parsed, w: WorkloadReport): { start: number; end: number } | undefined {
  const hover = w.hovers.find((h) => h.topic === 'replicas');
  if (!hover) return undefined;
  const keyAt = hover.range.start - w.documentRange.start;
  let found: { start: number; end: number } | undefined;
  visit(doc, {
    Pair(_, pair) {
      const k = isScalar(pair.key) ? pair.key.range : undefined;
      if (k && k[0] === keyAt && isScalar(pair.value) && pair.value.range) {
        found = { start: pair.value.range[0], end: pair.value.range[1] };
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}

/** Whether the manifest writes the workload's replicas (the what-if can only change a value that is there). */
export function hasReplicasField(text: string, w: WorkloadReport): boolean {
  return !!replicasValue(parse(text.slice(w.documentRange.start, w.documentRange.end)), w);
}

/**
 * Edits writing `overrides` into the workload's YAML document: an annotation that is already set (on the workload
 * or its pod template, which wins) gets its value replaced everywhere it is set; the others are added to the
 * workload's metadata.annotations in one insertion.
 */
export function manifestEdits(text: string, w: WorkloadReport, overrides: CostOverrides): { edits: TextEdit[]; summary: string[] } {
  const base = w.documentRange.start;
  const doc = parse(text.slice(base, w.documentRange.end));
  const edits: TextEdit[] = [];
  const summary: string[] = [];
  const wanted = new Map<string, string>();
  for (const [k, key] of Object.entries(OVERRIDE_ANNOTATIONS) as [keyof typeof OVERRIDE_ANNOTATIONS, string][]) {
    const v = overrides[k];
    if (v !== undefined) wanted.set(key, typeof v === 'number' ? num(v) : v);
  }
  const present = new Set<string>();
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || String(pair.key.value) !== 'annotations' || !isMap(pair.value)) return undefined;
      for (const item of (pair.value as YAMLMap).items as Pair[]) {
        const key = isScalar(item.key) ? String(item.key.value) : '';
        const value = wanted.get(key);
        if (value === undefined || !isScalar(item.value) || !item.value.range) continue;
        present.add(key);
        edits.push({ start: base + item.value.range[0], end: base + item.value.range[1], newText: JSON.stringify(value) });
      }
      return visit.SKIP;
    },
  });
  const missing = [...wanted].filter(([k]) => !present.has(k));
  if (missing.length) {
    const add = addAnnotationsEdit(text, w.documentRange, missing.map(([k, v]) => `${k}: ${JSON.stringify(v)}`));
    if (add) edits.push(add);
  }
  for (const [k, v] of wanted) summary.push(`${k}: "${v}"`);
  if (overrides.replicas !== undefined) {
    const r = replicasValue(doc, w);
    if (r) {
      edits.push({ start: base + r.start, end: base + r.end, newText: String(overrides.replicas) });
      summary.push(`replicas: ${overrides.replicas}`);
    }
  }
  return { edits, summary };
}

/** `.servelint.yaml` paths the overrides can be written to (the others exist only as annotations). */
export function configSettings(overrides: CostOverrides, gpuId: string | null): [string[], string][] {
  const out: [string[], string][] = [];
  if (overrides.usdPerGpuHour !== undefined && gpuId) out.push([['gpus', 'prices', gpuId], num(overrides.usdPerGpuHour)]);
  if (overrides.utilization !== undefined) out.push([['assumptions', 'utilization'], num(overrides.utilization)]);
  if (overrides.inputTokens !== undefined) out.push([['assumptions', 'inputTokensPerRequest'], num(overrides.inputTokens)]);
  return out;
}

function nested(path: string[], value: string): string {
  return path.map((k, i) => `${'  '.repeat(i)}${k}:${i === path.length - 1 ? ` ${value}` : ''}`).join('\n');
}

/** One edit setting `path` (e.g. gpus.prices.H100-SXM) in a config file's text, creating the maps it needs. */
export function configPathEdit(text: string, path: string[], value: string): TextEdit | undefined {
  const doc = parse(text);
  const ref: DocModelRef = { base: 0, doc, text };
  let map: unknown = doc.contents;
  if (!isMap(map) || (map as YAMLMap).items.length === 0) {
    if (map !== null && !isMap(map)) return undefined;
    const sep = text.length && !text.endsWith('\n') ? '\n' : '';
    return { start: text.length, end: text.length, newText: `${sep}${nested(path, value)}\n` };
  }
  for (let i = 0; i < path.length; i++) {
    const m = map as YAMLMap;
    const key = path[i] as string;
    const toLoc = (e: { loc: { start: number; end: number }; newText: string } | undefined): TextEdit | undefined =>
      e ? { start: e.loc.start, end: e.loc.end, newText: e.newText } : undefined;
    if (i === path.length - 1) return toLoc(setKey(ref, m, key, value));
    const pair = m.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (!pair) return toLoc(insertIntoMap(ref, m, nested(path.slice(i), value)));
    if (!isMap(pair.value)) return undefined;
    map = pair.value;
  }
  return undefined;
}
