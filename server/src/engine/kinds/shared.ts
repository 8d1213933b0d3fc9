/** Building blocks the kind adapters share: pod templates at a path, single-pod topology, surge/unavailable math. */
import { YAMLMap, type Node } from 'yaml';
import { asMap, get, getPair, intOrPercent, nodeRange, str, type DocModelRef } from '../yaml/nodes';
import { insertIntoMap, setKeys, setScalar, type LocEdit } from '../edits';
import { acceleratorsPerPod, podTemplateModel, type ContainerModel, type ServingUnit } from '../model/pod';
import type { FlagValue } from '../model/args';
import type { RolloutResolution } from '../rollout';
import type { InstanceTopology, KindParts } from './types';

/** The pod template at `spec.template` (Deployment, StatefulSet, Argo Rollout, ReplicaSet). */
export function specTemplate(spec: YAMLMap | undefined, doc: DocModelRef, annotations: Record<string, string>): KindParts {
  const template = asMap(get(spec, 'template', doc.doc));
  return { templates: template ? [podTemplateModel(template, 'pod', doc, annotations)] : [] };
}

/** Every pod is a whole server instance: `pods` pods per instance when a server spans several (multi-node). */
export function podTopology(primary: ServingUnit, pods = 1): InstanceTopology {
  const acc = acceleratorsPerPod(primary.template);
  return {
    podsPerInstance: pods,
    replicasPerInstance: pods,
    accelerators: acc
      ? { resource: acc.resource, count: acc.count * pods, detail: pods > 1 ? `${acc.count} per pod x ${pods} pods (--nnodes ${pods})` : `${acc.count} per pod` }
      : undefined,
  };
}

export type IntOrPercent = { value: number; percent: boolean };
export const PCT25: IntOrPercent = { value: 25, percent: true };
export const ZERO: IntOrPercent = { value: 0, percent: false };
export const ONE: IntOrPercent = { value: 1, percent: false };

function resolveValue(node: unknown, dflt: IntOrPercent, replicas: number, roundUp: boolean): number {
  const v = intOrPercent(node) ?? dflt;
  if (!v.percent) return Math.max(0, Math.floor(v.value));
  const raw = (v.value * replicas) / 100;
  return roundUp ? Math.ceil(raw - 1e-9) : Math.floor(raw + 1e-9);
}

/**
 * maxSurge / maxUnavailable of a map, as numbers or percentages of replicas (surge rounds up, unavailable rounds
 * down; with `bothZeroMeansOne`, as Deployments do, both 0 means unavailable 1).
 */
export function surgeParams(
  map: YAMLMap | undefined,
  replicas: number,
  dSurge: IntOrPercent,
  dUnavail: IntOrPercent,
  bothZeroMeansOne: boolean,
): Pick<RolloutResolution, 'maxSurge' | 'maxUnavailable' | 'surgePair' | 'unavailablePair' | 'paramsMap'> {
  const surgePair = getPair(map, 'maxSurge');
  const unavailablePair = getPair(map, 'maxUnavailable');
  // A controller never surges more new pods (or groups) than the replicas it rolls: a larger maxSurge acts as that.
  const maxSurge = Math.min(resolveValue(surgePair?.value, dSurge, replicas, true), Math.max(replicas, 1));
  let maxUnavailable = resolveValue(unavailablePair?.value, dUnavail, replicas, false);
  if (bothZeroMeansOne && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, surgePair, unavailablePair, paramsMap: map };
}

/** maxUnavailable 0 / maxSurge 1 as a block under `key:` (indented for insertion into a strategy map). */
export const ZERO_DOWN_PARAMS = 'maxUnavailable: 0\nmaxSurge: 1';
export const ZERO_DOWN_KEYS: [string, string][] = [
  ['maxUnavailable', '0'],
  ['maxSurge', '1'],
];
export function nested(key: string, body: string, depth = 1): string {
  const pad = '  '.repeat(depth);
  return `${key}:\n${pad}${body.replace(/\n/g, `\n${pad}`)}`;
}

/**
 * Containers an operator builds from its CRD's own fields (NIMService `spec.image`, KubeAI Model `engine` / `url`):
 * the manifest has no container map, so the model gets a detached empty one. Fixes that would insert Kubernetes
 * container fields (lifecycle, probes) find no range there and are not offered; findings point at `anchor`.
 */
export function synthesizedContainer(c: Omit<ContainerModel, 'node' | 'nameNode' | 'ownEnv' | 'envFrom' | 'ports'> & { anchor: Node | undefined; ports?: number[] }): ContainerModel {
  const { anchor, ...rest } = c;
  return Object.assign({}, rest, {
    node: new YAMLMap(),
    nameNode: anchor,
    ownEnv: c.env,
    envFrom: [],
    ports: c.ports ?? [],
    commandNode: c.commandNode,
    argsNode: c.argsNode,
  });
}

/** `value` as a flag value whose token is its text inside `node` (for ranges), e.g. the model inside an image or URL. */
export function valueIn(doc: DocModelRef, node: Node | undefined, value: string, flag: string): FlagValue {
  const r = nodeRange(node);
  const at = r ? doc.text.indexOf(value, r[0]) : -1;
  return { value, flag, token: at >= 0 && r && at < r[1] ? { value, node, start: at, end: at + value.length } : { value } };
}

/**
 * An apps/v1 DeploymentStrategy at `parent[key]` (a Deployment's `spec.strategy`, KServe's raw-mode
 * `predictor.deploymentStrategy`): Recreate, or RollingUpdate with maxSurge / maxUnavailable 25% by default.
 */
export function deploymentStrategy(
  parent: YAMLMap | undefined,
  key: string,
  doc: DocModelRef,
  replicas: number,
  label: { rolling: string; defaultsNote: string },
): RolloutResolution {
  const strategyPair = getPair(parent, key);
  const strategy = asMap(strategyPair?.value);
  const typePair = getPair(strategy, 'type');
  const base = { replicas, stableKeptFull: false, strategyPair, typePair };
  if (str(typePair?.value) === 'Recreate') return Object.assign({}, base, { mode: 'recreate' as const, strategyLabel: 'Recreate', maxSurge: 0, maxUnavailable: replicas, defaultsNote: '' });
  const surge = surgeParams(asMap(get(strategy, 'rollingUpdate', doc.doc)), replicas, PCT25, PCT25, true);
  return Object.assign({}, base, { mode: 'rolling' as const, strategyLabel: label.rolling }, surge, { defaultsNote: label.defaultsNote });
}

/** The edits that turn the DeploymentStrategy at `parent[key]` into RollingUpdate with maxUnavailable 0 / maxSurge 1. */
export function deploymentStrategyEdits(parent: YAMLMap | undefined, key: string, doc: DocModelRef, r: RolloutResolution): (LocEdit | undefined)[] {
  const strategy = asMap(r.strategyPair?.value);
  if (r.mode === 'recreate') {
    // A rollingUpdate block left next to Recreate (the API server rejects that pair) is reused, not duplicated.
    const rollingUpdate = asMap(get(strategy, 'rollingUpdate', doc.doc));
    const setType = setScalar(doc, r.typePair?.value ?? undefined, 'RollingUpdate');
    return rollingUpdate
      ? [setType, ...setKeys(doc, rollingUpdate, ZERO_DOWN_KEYS)]
      : [setType, insertIntoMap(doc, strategy, nested('rollingUpdate', ZERO_DOWN_PARAMS))];
  }
  if (r.paramsMap) return setKeys(doc, r.paramsMap, ZERO_DOWN_KEYS);
  if (strategy) return [insertIntoMap(doc, strategy, nested('rollingUpdate', ZERO_DOWN_PARAMS))];
  return [insertIntoMap(doc, parent, nested(key, `type: RollingUpdate\n${nested('rollingUpdate', ZERO_DOWN_PARAMS)}`))];
}
