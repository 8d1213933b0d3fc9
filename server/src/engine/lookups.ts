/**
 * A view of the inventory that records what each lookup read. A workload's analysis goes through one, so its
 * cached result can be reused exactly while every lookup it made would still give the same answer: the cache key
 * is derived from what the result depended on, not written by hand.
 */
import type { Autoscaler, Inventory } from './inventory';
import type { K8sObject, WorkloadModel } from './model/workload';

export interface Dependency {
  /** What the lookup found (object identities), when the result was computed. */
  signature: string;
  /** The same lookup against another inventory. */
  recheck(inventory: Inventory): string;
  /**
   * What the answer can depend on: objects of a kind (`kind:<kind>`) or workloads of a kind and name
   * (`workload:<kind>/<name>`, see dependencyKeys). An inventory that gained or lost none of these answers the same.
   */
  keys: readonly string[];
}

/** The keys under which an object can change lookups' answers (Dependency.keys). */
export function dependencyKeys(o: K8sObject, isWorkload: boolean): string[] {
  return isWorkload ? [`kind:${o.kind}`, `workload:${o.kind}/${o.name ?? ''}`] : [`kind:${o.kind}`];
}

const sig = (objects: (K8sObject | undefined)[]): string => objects.map((o) => (o ? o.uid : '-')).join(',');

export class Lookups {
  readonly deps: Dependency[] = [];

  constructor(private readonly inventory: Inventory) {}

  private track<T>(keys: readonly string[], query: (inv: Inventory) => T, objects: (r: T) => (K8sObject | undefined)[]): T {
    const result = query(this.inventory);
    this.deps.push({ signature: sig(objects(result)), recheck: (inv) => sig(objects(query(inv))), keys });
    return result;
  }

  workloadRefTarget(w: WorkloadModel): WorkloadModel | undefined {
    const ref = w.workloadRef;
    return this.track(ref ? [`workload:${ref.kind}/${ref.name}`] : [], (inv) => inv.workloadRefTarget(w), (r) => [r]);
  }

  /** An HPA or ScaledObject names its target by kind and name: another workload of this kind and name may take it. */
  autoscaler(w: WorkloadModel): Autoscaler | undefined {
    return this.track(['kind:HorizontalPodAutoscaler', 'kind:ScaledObject', `workload:${w.kind}/${w.name ?? ''}`], (inv) => inv.autoscaler(w), (r) => [r?.object]);
  }

  configMap(name: string, namespace?: string): K8sObject | undefined {
    return this.track(['kind:ConfigMap'], (inv) => inv.configMap(name, namespace), (r) => [r]);
  }

  disruptionBudgetsFor(labels: Record<string, string>, namespace?: string): K8sObject[] {
    return this.track(['kind:PodDisruptionBudget'], (inv) => inv.disruptionBudgetsFor(labels, namespace), (r) => r);
  }

  servicesFor(labels: Record<string, string>, namespace?: string): K8sObject[] {
    return this.track(['kind:Service'], (inv) => inv.servicesFor(labels, namespace), (r) => r);
  }

  /** Any object by kind and name in the namespace (a PersistentVolumeClaim, a Secret, a ServingRuntime, ...). */
  find(kind: string, name: string, namespace?: string): K8sObject | undefined {
    return this.track([`kind:${kind}`], (inv) => inv.find(kind, name, namespace), (r) => [r]);
  }

  /** Every object of a kind in the input (in document order). */
  ofKind(kind: string): readonly K8sObject[] {
    return this.track([`kind:${kind}`], (inv) => inv.ofKind(kind), (r) => [...r]);
  }

  analysisTemplate(name: string, namespace?: string, cluster = false): K8sObject | undefined {
    return this.track([cluster ? 'kind:ClusterAnalysisTemplate' : 'kind:AnalysisTemplate'], (inv) => inv.analysisTemplate(name, namespace, cluster), (r) => [r]);
  }
}

/**
 * True while every recorded lookup still finds the same objects in `inventory`. `changed`: when the deps held in an
 * inventory that differs from this one only by objects under these keys, lookups under none of them are not re-run.
 */
export function stillValid(deps: readonly Dependency[], inventory: Inventory, changed?: ReadonlySet<string>): boolean {
  return deps.every((d) => (changed && !d.keys.some((k) => changed.has(k))) || d.recheck(inventory) === d.signature);
}
