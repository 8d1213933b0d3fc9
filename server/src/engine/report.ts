/**
 * What the engine reports per model-server workload (WorkloadReport, in absolute offsets). The cost report, the
 * rollout summary and the hovers are computed when first read (a hover, a CodeLens, the CLI's cost table or JSON),
 * never for a lint that only wants findings.
 */
import type { CostReport, RolloutReport, WorkloadReport } from './api';
import type { HoverTarget, Range } from './types';
import type { WorkloadAnalysis } from './analyze';
import { fmtSeconds } from './assumptions';
import { buildHovers } from './hovers';
import { acceleratorsPerPod } from './model/pod';
import type { Loc } from './yaml/nodes';

export function absRange(l: Loc): Range {
  return { start: l.doc.base + l.start, end: l.doc.base + l.end };
}

function rolloutReport(a: WorkloadAnalysis): RolloutReport {
  const r = a.rollout;
  const surgeGpus = r.maxSurge * (a.topology.accelerators?.count ?? 0);
  return {
    strategy: r.strategyLabel,
    stepSeconds: Number(a.weightLoad.value),
    totalSeconds: a.rolloutSeconds,
    steps: a.rolloutSteps,
    maxSurge: r.maxSurge,
    maxUnavailable: r.maxUnavailable,
    surgeGpus,
    summary:
      r.mode === 'ondelete'
        ? 'rollout: OnDelete (pods replaced by hand)'
        : `rollout ≈ ${fmtSeconds(a.rolloutSeconds)} · ${r.mode === 'bluegreen' || r.mode === 'revision' ? `+${r.replicas} replicas (${r.mode === 'bluegreen' ? 'blue-green' : 'new revision'})` : `+${r.maxSurge} replica surge`}` +
          `${surgeGpus ? ` (${surgeGpus} GPU${surgeGpus === 1 ? '' : 's'})` : ''}${r.maxUnavailable && r.mode !== 'bluegreen' && r.mode !== 'revision' ? ` · −${Math.min(r.maxUnavailable, r.replicas)} serving` : ''}`,
  };
}

/** A report whose cost, rollout and hovers are computed on first access (then kept), and enumerable like data. */
export function workloadReport(a: WorkloadAnalysis, documentRange: Range): WorkloadReport {
  const w = a.workload;
  const kindRange = absRange({
    doc: w.doc,
    start: w.kindPair.key ? (w.kindPair.key as { range: number[] }).range[0]! : 0,
    end: (w.kindPair.value as { range?: number[] } | null)?.range?.[1] ?? 0,
  });
  const acc = acceleratorsPerPod(a.primary.template);
  const report = {
    object: { kind: w.kind, name: w.name, namespace: w.namespace },
    kindRange,
    documentRange,
    modelServer: a.primary.server.kind,
    model: a.primary.server.args.model?.value ?? null,
    replicas: w.replicas ?? null,
    gpusPerPod: acc ? acc.count : null,
  } as WorkloadReport;
  // A template (a KServe ServingRuntime) runs only through the objects that use it: no cost of its own.
  lazy(report, 'cost', (): CostReport | undefined => (w.adapter.template ? undefined : a.costReport));
  lazy(report, 'rollout', (): RolloutReport => rolloutReport(a));
  // Documents move between lints (and a cached document may sit at another offset in another file): hovers made
  // later use the offsets of this lint.
  const bases = new Map([w.doc, ...a.templates.map((t) => t.doc)].map((d) => [d, d.base]));
  const at = (l: Loc): Range => {
    const base = bases.get(l.doc) ?? l.doc.base;
    return { start: base + l.start, end: base + l.end };
  };
  lazy(report, 'hovers', (): HoverTarget[] => buildHovers(a).map((h) => ({ range: at(h.loc), topic: h.topic, markdown: h.markdown })));
  return report;
}

/** `origin` (a report made by workloadReport) for its document moved by `delta` characters since: cost and rollout shared, hovers shifted on read. */
export function movedReport(origin: WorkloadReport, delta: number): WorkloadReport {
  const shift = (x: Range): Range => ({ start: x.start + delta, end: x.end + delta });
  // Field by field (a spread would compute the lazy fields), in workloadReport's order.
  const { object, modelServer, model, replicas, gpusPerPod } = origin;
  const moved = { object, kindRange: shift(origin.kindRange), documentRange: shift(origin.documentRange), modelServer, model, replicas, gpusPerPod } as WorkloadReport;
  lazy(moved, 'cost', () => origin.cost);
  lazy(moved, 'rollout', () => origin.rollout);
  lazy(moved, 'hovers', () => origin.hovers.map((h) => (Object.assign({}, h, { range: shift(h.range) }))));
  return moved;
}

/** Where a lazy field's thunk waits, then its value (a non-enumerable slot: spreads and JSON do not see it). */
const LAZY = Symbol('servelint.lazy');
type Slots = Record<PropertyKey, { compute?: () => unknown; value?: unknown }>;
/** One getter per field name, shared by every object with that field. */
const getters = new Map<PropertyKey, () => unknown>();

function getterFor(key: PropertyKey): () => unknown {
  let get = getters.get(key);
  if (!get) {
    get = function (this: { [LAZY]: Slots }): unknown {
      const slot = this[LAZY][key]!;
      // Kept only once computed: a compute that throws throws again on the next read, as before.
      if (slot.compute) {
        slot.value = slot.compute();
        slot.compute = undefined;
      }
      return slot.value;
    };
    getters.set(key, get);
  }
  return get;
}

/**
 * Makes `target[key]` an enumerable field computed on first read (then kept). The getter is shared by every object
 * with that field and the thunk waits in a slot of the object: a getter closure of its own per object would give
 * each object a hidden class of its own, which V8 keeps in the old generation, where it holds the closure and all it
 * captured (an analysis and its YAML trees) through every young-generation collection until the next full one
 * (measured on 5,000 resources: ~2.6 MB promoted per scavenge, ~10% of the CLI's time in scavenges).
 */
export function lazy<T extends object, K extends keyof T>(target: T, key: K, compute: () => T[K]): void {
  let slots = (target as { [LAZY]?: Slots })[LAZY];
  if (!slots) {
    slots = {};
    Object.defineProperty(target, LAZY, { value: slots, enumerable: false, writable: false, configurable: false });
  }
  slots[key] = { compute };
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: getterFor(key) });
}
