/** PodDisruptionBudget helpers shared by no-disruption-budget and disruption-budget-blocks-drain. */
import type { Node, Pair } from 'yaml';
import type { WorkloadAnalysis } from '../engine/analyze';
import type { K8sObject } from '../engine/model/workload';
import { get, getIn, getPair, intOrPercent, stringMap } from '../engine/yaml/nodes';

/** Pods the workload runs (what a PDB counts): replicas × pods per replica (a LeaderWorkerSet group's size). */
export function podsOf(a: WorkloadAnalysis): number {
  const t = a.topology;
  return Math.max(0, Math.floor(a.replicas)) * Math.max(1, Math.round(t.podsPerInstance / Math.max(1, t.replicasPerInstance)));
}

/** Serving instances: replicas ÷ replicas per instance (a StatefulSet whose --nnodes pods form one server is 1). */
export function instancesOf(a: WorkloadAnalysis): number {
  return Math.floor(Math.max(0, Math.floor(a.replicas)) / Math.max(1, a.topology.replicasPerInstance));
}

/** The PDBs in the input that select the serving pods. */
export function budgetsOf(a: WorkloadAnalysis): K8sObject[] {
  return a.lookups.disruptionBudgetsFor(a.primary.template.labels, a.workload.namespace);
}

export interface Budget {
  /** The minAvailable or maxUnavailable pair. */
  pair: Pair<Node, Node>;
  field: 'minAvailable' | 'maxUnavailable';
  shown: string;
  /** Evictions allowed with every pod healthy. */
  allowed: number;
}

/**
 * Evictions a PDB allows with `pods` healthy pods. Percentages round up for both fields (kubernetes/kubernetes
 * pkg/controller/disruption/disruption.go, getExpectedPodCount: GetScaledValueFromIntOrPercent(..., true)).
 * Undefined when the budget sets neither field or an unreadable one.
 */
export function budgetOf(pdb: K8sObject, pods: number): Budget | undefined {
  const spec = get(pdb.node, 'spec', pdb.doc.doc);
  for (const field of ['maxUnavailable', 'minAvailable'] as const) {
    const pair = getPair(spec, field);
    const v = intOrPercent(pair?.value);
    if (!pair || !v) continue;
    const n = v.percent ? Math.ceil((v.value * pods) / 100) : v.value;
    const allowed = field === 'maxUnavailable' ? Math.min(n, pods) : Math.max(0, pods - n);
    return { pair, field, shown: `${field}: ${v.value}${v.percent ? '%' : ''}`, allowed };
  }
  return undefined;
}

/** The labels of the workload's own `spec.selector.matchLabels` that its pod template carries (a PDB selector that stays true across updates). */
export function stableSelector(a: WorkloadAnalysis): Record<string, string> | undefined {
  const w = a.workload;
  const own = stringMap(getIn(w.node, ['spec', 'selector', 'matchLabels'], w.doc.doc));
  const labels = a.primary.template.labels;
  const kept = Object.entries(own).filter(([k, v]) => labels[k] === v);
  return kept.length ? Object.fromEntries(kept) : undefined;
}

/** A YAML scalar for a label value: quoted when it would read as something else (true, 1.0, null, ...). */
export function yamlString(v: string): string {
  return /^[A-Za-z_][\w.\-/]*$/.test(v) && !/^(true|false|yes|no|on|off|null|y|n)$/i.test(v) ? v : JSON.stringify(v);
}
