/**
 * The resource inventory of one lint scope (a file in the editor; a directory, kustomize build or Helm release in
 * the CLI): every Kubernetes object, indexed by kind and name and by the labels selectors look for. It is built
 * once per lint, in time linear in the number of objects, and never changes; relations between objects (HPA /
 * KEDA scale targets, Rollout workloadRef, envFrom ConfigMaps, PodDisruptionBudget and Service selectors,
 * AnalysisTemplates) are lookups. `ops` counts index probes and candidates examined, so tests can show that
 * linking stays linear without timing anything.
 */
import { asMap, get, getIn, items, str, stringMap } from './yaml/nodes';
import { FIELDS, readNumber } from './fields';
import type { K8sObject, WorkloadModel } from './model/workload';

/** API group of an apiVersion ('' for the core group: v1). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.lastIndexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Kubernetes namespaces as servelint compares them: an object with no namespace may be applied to any. */
export function sameNamespace(a?: string, b?: string): boolean {
  return a === undefined || b === undefined || a === b;
}

/** An autoscaler that sets a workload's replicas: an HPA, or a KEDA ScaledObject (which drives its own HPA). */
export interface Autoscaler {
  /** The HPA or ScaledObject; undefined for a kind's own autoscaler (KServe minReplicas / maxReplicas, ...). */
  object?: K8sObject;
  source: string;
  name?: string;
  min: number;
  max: number;
}

/** A label selector (matchLabels + matchExpressions). `null` selects nothing; an empty selector selects everything. */
export interface Selector {
  matchLabels: Record<string, string>;
  expressions: { key: string; operator: string; values: string[] }[];
}

interface Selecting {
  object: K8sObject;
  selector: Selector;
}

function matches(s: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(s.matchLabels)) if (labels[k] !== v) return false;
  for (const e of s.expressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const v = labels[e.key];
    if (e.operator === 'In' && !(has && e.values.includes(v as string))) return false;
    if (e.operator === 'NotIn' && has && e.values.includes(v as string)) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

function selectorOf(node: unknown, o: K8sObject, mapOnly: boolean): Selector | undefined {
  const map = asMap(node);
  if (!map) return undefined;
  if (mapOnly) return { matchLabels: stringMap(map), expressions: [] };
  const expressions = items(get(map, 'matchExpressions', o.doc.doc)).flatMap((e) => {
    const key = str(get(e, 'key', o.doc.doc));
    const operator = str(get(e, 'operator', o.doc.doc));
    const values = items(get(e, 'values', o.doc.doc)).map(str).filter((v): v is string => v !== undefined);
    return key && operator ? [{ key, operator, values }] : [];
  });
  return { matchLabels: stringMap(get(map, 'matchLabels', o.doc.doc)), expressions };
}

/**
 * Objects with label selectors, indexed so that finding those that select a pod's labels does not scan them all:
 * each selector is filed under its rarest `key=value` pair (a selector with none, e.g. expressions only, is
 * always examined).
 */
class SelectorIndex {
  private byPair = new Map<string, Selecting[]>();
  private always: Selecting[] = [];

  constructor(entries: Selecting[]) {
    const freq = new Map<string, number>();
    for (const e of entries) for (const [k, v] of Object.entries(e.selector.matchLabels)) freq.set(`${k}=${v}`, (freq.get(`${k}=${v}`) ?? 0) + 1);
    for (const e of entries) {
      let best: string | undefined;
      for (const [k, v] of Object.entries(e.selector.matchLabels)) {
        const p = `${k}=${v}`;
        if (best === undefined || (freq.get(p) ?? 0) < (freq.get(best) ?? 0)) best = p;
      }
      if (best === undefined) this.always.push(e);
      else this.byPair.set(best, [...(this.byPair.get(best) ?? []), e]);
    }
  }

  select(labels: Record<string, string>, namespace: string | undefined, count: () => void): K8sObject[] {
    const out: Selecting[] = [];
    const consider = (e: Selecting): void => {
      count();
      if (sameNamespace(e.object.namespace, namespace) && matches(e.selector, labels)) out.push(e);
    };
    for (const [k, v] of Object.entries(labels)) {
      count();
      for (const e of this.byPair.get(`${k}=${v}`) ?? []) consider(e);
    }
    for (const e of this.always) consider(e);
    return out.map((e) => e.object);
  }
}

type ScaleTarget = { kind: string; name: string; scaler: Autoscaler };

/** Objects that set a workload's replicas through `spec.scaleTargetRef`, by kind. */
const AUTOSCALERS: Record<string, (o: K8sObject) => ScaleTarget | undefined> = {
  HorizontalPodAutoscaler(o) {
    const spec = get(o.node, 'spec', o.doc.doc);
    const kind = str(getIn(spec, ['scaleTargetRef', 'kind'], o.doc.doc));
    const name = str(getIn(spec, ['scaleTargetRef', 'name'], o.doc.doc));
    const max = readNumber(get(spec, 'maxReplicas', o.doc.doc), FIELDS.maxReplicas);
    if (!kind || !name || max === undefined) return undefined;
    return { kind, name, scaler: { object: o, source: 'HorizontalPodAutoscaler', name: o.name, min: readNumber(get(spec, 'minReplicas', o.doc.doc), FIELDS.minReplicas) ?? 1, max } };
  },
  /**
   * KEDA drives its own HPA. Defaults (kedacore/keda apis/keda/v1alpha1/scaledobject_types.go): scaleTargetRef.kind
   * Deployment, minReplicaCount 0, maxReplicaCount 100.
   */
  ScaledObject(o) {
    if (groupOf(o.apiVersion) !== 'keda.sh') return undefined;
    const spec = get(o.node, 'spec', o.doc.doc);
    const name = str(getIn(spec, ['scaleTargetRef', 'name'], o.doc.doc));
    if (!name) return undefined;
    const kind = str(getIn(spec, ['scaleTargetRef', 'kind'], o.doc.doc)) ?? 'Deployment';
    const min = readNumber(get(spec, 'minReplicaCount', o.doc.doc), FIELDS.minReplicas) ?? 0;
    return { kind, name, scaler: { object: o, source: 'ScaledObject', name: o.name, min, max: readNumber(get(spec, 'maxReplicaCount', o.doc.doc), FIELDS.maxReplicas) ?? 100 } };
  },
};

export class Inventory {
  /** Index probes and candidates examined by building and by lookups (for tests: linear, not quadratic). */
  ops = 0;
  private readonly byKind = new Map<string, K8sObject[]>();
  private readonly byKindName = new Map<string, K8sObject[]>();
  private readonly workloadsByKindName = new Map<string, WorkloadModel[]>();
  private readonly scalers = new Map<WorkloadModel, Autoscaler>();
  private readonly managed = new Map<WorkloadModel, WorkloadModel>();
  private readonly pdbs: SelectorIndex;
  private readonly services: SelectorIndex;

  constructor(
    readonly objects: readonly K8sObject[],
    readonly workloads: readonly WorkloadModel[],
  ) {
    for (const o of objects) {
      this.push(this.byKind, o.kind, o);
      this.push(this.byKindName, `${o.kind}/${o.name ?? ''}`, o);
    }
    for (const w of workloads) this.push(this.workloadsByKindName, `${w.kind}/${w.name ?? ''}`, w);
    // Rollout workloadRef: the Deployment it names is managed by the Rollout (not analysed on its own).
    for (const w of workloads) {
      const target = this.workloadRefTarget(w);
      if (target) this.managed.set(target, w);
    }
    // Autoscalers, in document order: a later one for the same workload wins.
    for (const o of objects) {
      const a = this.autoscalerOf(o);
      if (!a) continue;
      const target = this.workloadNamed(a.kind, a.name, o.namespace);
      if (target) this.scalers.set(target, a.scaler);
    }
    const selecting = (kind: string, path: string[], mapOnly: boolean): Selecting[] =>
      this.ofKind(kind).flatMap((o) => {
        const selector = selectorOf(getIn(o.node, path, o.doc.doc), o, mapOnly);
        return selector ? [{ object: o, selector }] : [];
      });
    this.pdbs = new SelectorIndex(selecting('PodDisruptionBudget', ['spec', 'selector'], false));
    this.services = new SelectorIndex(selecting('Service', ['spec', 'selector'], true));
  }

  private push<K, V>(m: Map<K, V[]>, key: K, v: V): void {
    this.ops++;
    const list = m.get(key);
    if (list) list.push(v);
    else m.set(key, [v]);
  }

  /** Objects of a kind, in document order. */
  ofKind(kind: string): readonly K8sObject[] {
    this.ops++;
    return this.byKind.get(kind) ?? [];
  }

  /** The first object of this kind and name (and group, when given) in the namespace. */
  find(kind: string, name: string, namespace?: string, group?: string): K8sObject | undefined {
    this.ops++;
    for (const o of this.byKindName.get(`${kind}/${name}`) ?? []) {
      this.ops++;
      if (sameNamespace(o.namespace, namespace) && (group === undefined || groupOf(o.apiVersion) === group)) return o;
    }
    return undefined;
  }

  private workloadNamed(kind: string, name: string, namespace: string | undefined, not?: WorkloadModel): WorkloadModel | undefined {
    this.ops++;
    for (const w of this.workloadsByKindName.get(`${kind}/${name}`) ?? []) {
      this.ops++;
      if (w !== not && sameNamespace(w.namespace, namespace)) return w;
    }
    return undefined;
  }

  /** The workload a Rollout's `workloadRef` names. */
  workloadRefTarget(w: WorkloadModel): WorkloadModel | undefined {
    return w.workloadRef ? this.workloadNamed(w.workloadRef.kind, w.workloadRef.name, w.namespace, w) : undefined;
  }

  /** The Rollout that manages this workload through its workloadRef. */
  managedBy(w: WorkloadModel): WorkloadModel | undefined {
    this.ops++;
    return this.managed.get(w);
  }

  /** The HPA or KEDA ScaledObject whose scaleTargetRef is this workload. */
  autoscaler(w: WorkloadModel): Autoscaler | undefined {
    this.ops++;
    return this.scalers.get(w);
  }

  private autoscalerOf(o: K8sObject): { kind: string; name: string; scaler: Autoscaler } | undefined {
    return AUTOSCALERS[o.kind]?.(o);
  }

  /** A ConfigMap by name in the namespace (envFrom, volumes). */
  configMap(name: string, namespace?: string): K8sObject | undefined {
    return this.find('ConfigMap', name, namespace);
  }

  /** PodDisruptionBudgets whose selector selects pods with these labels. */
  disruptionBudgetsFor(podLabels: Record<string, string>, namespace?: string): K8sObject[] {
    return this.pdbs.select(podLabels, namespace, () => this.ops++);
  }

  /** Services whose selector selects pods with these labels (a Service without a selector selects none). */
  servicesFor(podLabels: Record<string, string>, namespace?: string): K8sObject[] {
    return this.services.select(podLabels, namespace, () => this.ops++).filter((s) => Object.keys(stringMap(getIn(s.node, ['spec', 'selector'], s.doc.doc))).length > 0);
  }

  /** An Argo Rollouts AnalysisTemplate (namespaced) or ClusterAnalysisTemplate by name. */
  analysisTemplate(name: string, namespace?: string, cluster = false): K8sObject | undefined {
    return cluster ? this.find('ClusterAnalysisTemplate', name) : this.find('AnalysisTemplate', name, namespace);
  }
}
