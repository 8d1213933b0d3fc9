/** Workloads (Deployment, StatefulSet, Argo Rollout, LeaderWorkerSet) extracted from one YAML document. */
import { isMap, type Node, type Pair, type YAMLMap } from 'yaml';
import { adapterFor, type KindAdapter } from '../kinds';
import { FIELDS, readNumber } from '../fields';
import { asMap, get, getIn, getPair, items, num, str, stringMap, type DocModelRef } from '../yaml/nodes';
import type { ContainerModel, PodTemplateModel } from './pod';
export { acceleratorsPerPod } from './pod';

export interface K8sObject {
  /** Identity of this object as parsed (a re-parsed document gives new uids): cache dependencies compare these. */
  uid: number;
  apiVersion: string;
  kind: string;
  name?: string;
  namespace?: string;
  node: YAMLMap;
  doc: DocModelRef;
}

export interface WorkloadModel extends K8sObject {
  /** The kind adapter that read this object (pod templates, strategy, topology, fixes). */
  adapter: KindAdapter;
  kindPair: Pair<Node, Node>;
  specNode: YAMLMap | undefined;
  annotations: Record<string, string>;
  replicasPair?: Pair<Node, Node>;
  /** Declared replicas (undefined when unset or not a number). */
  replicas?: number;
  /** Replicas Kubernetes runs: the declared number, else 1. */
  effectiveReplicas: number;
  templates: PodTemplateModel[];
  /** LeaderWorkerSet: pods per group (leader included). */
  groupSize: number;
  progressDeadlinePair?: Pair<Node, Node>;
  /** Rollout `workloadRef` to a Deployment, when present (resolved through the inventory). */
  workloadRef?: { kind: string; name: string; pair: Pair<Node, Node> };
  /** The kind's own autoscaler (an operator's min/max replicas). */
  ownAutoscaler?: { min: number; max: number; source: string };
  /** The operator completes the containers (image, command): they are not a patch. */
  operatorCompleted?: boolean;
}

let uids = 0;

/** All Kubernetes objects of a document: the root map, or the items of a `kind: List`. */
export function objectsOf(root: unknown, doc: DocModelRef): K8sObject[] {
  const map = asMap(root);
  if (!map) return [];
  const kind = str(get(map, 'kind', doc.doc));
  const apiVersion = str(get(map, 'apiVersion', doc.doc));
  if (!kind || !apiVersion) return [];
  if (/List$/.test(kind) && apiVersion === 'v1') {
    return items(get(map, 'items', doc.doc)).flatMap((item) => objectsOf(item, doc));
  }
  return [
    {
      uid: ++uids,
      apiVersion,
      kind,
      name: str(getIn(map, ['metadata', 'name'], doc.doc)),
      namespace: str(getIn(map, ['metadata', 'namespace'], doc.doc)),
      node: map,
      doc,
    },
  ];
}

export function workloadModel(obj: K8sObject): WorkloadModel | undefined {
  const adapter = adapterFor(obj.apiVersion, obj.kind);
  if (!adapter) return undefined;
  const { doc, node } = obj;
  const kindPair = getPair(node, 'kind') as Pair<Node, Node>;
  const specNode = asMap(get(node, 'spec', doc.doc));
  const annotations = stringMap(getIn(node, ['metadata', 'annotations'], doc.doc));
  const parts = adapter.read(obj, specNode, doc, annotations);
  const replicasPair = 'replicasPair' in parts ? parts.replicasPair : getPair(specNode, 'replicas');
  const replicas = parts.replicas ?? readNumber(replicasPair?.value, FIELDS.replicas);
  return Object.assign({}, obj, {
    adapter,
    kindPair,
    specNode,
    annotations,
    replicasPair,
    replicas,
    effectiveReplicas: replicas !== undefined && replicas >= 0 ? Math.floor(replicas) : 1,
    templates: parts.templates,
    groupSize: Math.max(1, Math.floor(parts.groupSize ?? 1)),
    progressDeadlinePair: adapter.progressDeadline ? getPair(specNode, 'progressDeadlineSeconds') : undefined,
    workloadRef: parts.workloadRef,
    ownAutoscaler: parts.autoscaler,
    operatorCompleted: parts.operatorCompleted,
  });
}

/**
 * A Kustomize strategic-merge patch (or another fragment): containers but not one `image`, which every real
 * container has. Its probes, lifecycle and strategy live in the base it patches, so it is not analysed on its own:
 * lint the output of `kustomize build` instead.
 */
export function isPatch(templates: PodTemplateModel[]): boolean {
  const containers = templates.flatMap((t) => t.containers);
  return containers.length > 0 && containers.every((c) => c.imageNode === undefined);
}

export function isMapNode(n: unknown): n is YAMLMap {
  return isMap(n);
}
