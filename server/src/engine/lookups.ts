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
}

const sig = (objects: (K8sObject | undefined)[]): string => objects.map((o) => (o ? o.uid : '-')).join(',');

export class Lookups {
  readonly deps: Dependency[] = [];

  constructor(private readonly inventory: Inventory) {}

  private track<T>(query: (inv: Inventory) => T, objects: (r: T) => (K8sObject | undefined)[]): T {
    const result = query(this.inventory);
    this.deps.push({ signature: sig(objects(result)), recheck: (inv) => sig(objects(query(inv))) });
    return result;
  }

  workloadRefTarget(w: WorkloadModel): WorkloadModel | undefined {
    return this.track((inv) => inv.workloadRefTarget(w), (r) => [r]);
  }

  autoscaler(w: WorkloadModel): Autoscaler | undefined {
    return this.track((inv) => inv.autoscaler(w), (r) => [r?.object]);
  }

  configMap(name: string, namespace?: string): K8sObject | undefined {
    return this.track((inv) => inv.configMap(name, namespace), (r) => [r]);
  }

  disruptionBudgetsFor(labels: Record<string, string>, namespace?: string): K8sObject[] {
    return this.track((inv) => inv.disruptionBudgetsFor(labels, namespace), (r) => r);
  }

  servicesFor(labels: Record<string, string>, namespace?: string): K8sObject[] {
    return this.track((inv) => inv.servicesFor(labels, namespace), (r) => r);
  }

  /** Any object by kind and name in the namespace (a PersistentVolumeClaim, a Secret, a ServingRuntime, ...). */
  find(kind: string, name: string, namespace?: string): K8sObject | undefined {
    return this.track((inv) => inv.find(kind, name, namespace), (r) => [r]);
  }

  /** Every object of a kind in the input (in document order). */
  ofKind(kind: string): readonly K8sObject[] {
    return this.track((inv) => inv.ofKind(kind), (r) => [...r]);
  }

  analysisTemplate(name: string, namespace?: string, cluster = false): K8sObject | undefined {
    return this.track((inv) => inv.analysisTemplate(name, namespace, cluster), (r) => [r]);
  }
}

/** True while every recorded lookup still finds the same objects in `inventory`. */
export function stillValid(deps: readonly Dependency[], inventory: Inventory): boolean {
  return deps.every((d) => d.recheck(inventory) === d.signature);
}
