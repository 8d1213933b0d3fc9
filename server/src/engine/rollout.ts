/**
 * How an update replaces pods, resolved the way the controllers do it: maxSurge / maxUnavailable as numbers or
 * percentages of replicas (surge rounds up, unavailable rounds down; both 0 means unavailable 1).
 */
import type { Node, Pair, YAMLMap } from 'yaml';
import { asMap, get, getPair, intOrPercent, str } from './yaml/nodes';
import type { WorkloadModel } from './model/workload';

export interface RolloutResolution {
  /** 'rolling' (Deployment / canary / LWS), 'recreate', 'statefulset', 'ondelete', 'bluegreen'. */
  mode: 'rolling' | 'recreate' | 'statefulset' | 'ondelete' | 'bluegreen';
  strategyLabel: string;
  replicas: number;
  maxSurge: number;
  maxUnavailable: number;
  surgePair?: Pair<Node, Node>;
  unavailablePair?: Pair<Node, Node>;
  /** The map that holds maxSurge / maxUnavailable (or should). */
  paramsMap?: YAMLMap;
  strategyPair?: Pair<Node, Node>;
  typePair?: Pair<Node, Node>;
  /** Canary with traffic routing keeps the stable ReplicaSet at full size unless dynamicStableScale. */
  stableKeptFull: boolean;
  defaultsNote: string;
}

function resolveValue(node: unknown, dflt: { value: number; percent: boolean }, replicas: number, roundUp: boolean): number {
  const v = intOrPercent(node) ?? dflt;
  if (!v.percent) return Math.max(0, Math.floor(v.value));
  const raw = (v.value * replicas) / 100;
  return roundUp ? Math.ceil(raw - 1e-9) : Math.floor(raw + 1e-9);
}

function params(
  map: YAMLMap | undefined,
  replicas: number,
  dSurge: { value: number; percent: boolean },
  dUnavail: { value: number; percent: boolean },
  bothZeroMeansOne: boolean,
): Pick<RolloutResolution, 'maxSurge' | 'maxUnavailable' | 'surgePair' | 'unavailablePair' | 'paramsMap'> {
  const surgePair = getPair(map, 'maxSurge');
  const unavailablePair = getPair(map, 'maxUnavailable');
  const maxSurge = resolveValue(surgePair?.value, dSurge, replicas, true);
  let maxUnavailable = resolveValue(unavailablePair?.value, dUnavail, replicas, false);
  if (bothZeroMeansOne && maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;
  return { maxSurge, maxUnavailable, surgePair, unavailablePair, paramsMap: map };
}

const PCT25 = { value: 25, percent: true };

export function resolveRollout(w: WorkloadModel, replicas: number): RolloutResolution {
  const doc = w.doc.doc;
  const spec = w.specNode;
  const base = { replicas, stableKeptFull: false };
  if (w.kind === 'Deployment') {
    const strategyPair = getPair(spec, 'strategy');
    const strategy = asMap(strategyPair?.value);
    const typePair = getPair(strategy, 'type');
    const type = str(typePair?.value) ?? 'RollingUpdate';
    if (type === 'Recreate') {
      return { ...base, mode: 'recreate', strategyLabel: 'Recreate', maxSurge: 0, maxUnavailable: replicas, strategyPair, typePair, defaultsNote: '' };
    }
    const ru = asMap(get(strategy, 'rollingUpdate', doc));
    return {
      ...base,
      mode: 'rolling',
      strategyLabel: 'RollingUpdate',
      strategyPair,
      typePair,
      ...params(ru, replicas, PCT25, PCT25, true),
      defaultsNote: 'Deployment defaults: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down)',
    };
  }
  if (w.kind === 'StatefulSet') {
    const strategyPair = getPair(spec, 'updateStrategy');
    const type = str(get(strategyPair?.value, 'type', doc)) ?? 'RollingUpdate';
    const ru = asMap(get(strategyPair?.value, 'rollingUpdate', doc));
    const p = params(ru, replicas, { value: 0, percent: false }, { value: 1, percent: false }, false);
    return {
      ...base,
      mode: type === 'OnDelete' ? 'ondelete' : 'statefulset',
      strategyLabel: `StatefulSet ${type}`,
      strategyPair,
      ...p,
      maxSurge: 0,
      maxUnavailable: Math.max(1, p.maxUnavailable),
      defaultsNote: 'StatefulSet rolling updates delete a pod before creating its replacement (maxUnavailable 1)',
    };
  }
  if (w.kind === 'LeaderWorkerSet') {
    const strategyPair = getPair(spec, 'rolloutStrategy');
    const ru = asMap(get(strategyPair?.value, 'rollingUpdateConfiguration', doc));
    return {
      ...base,
      mode: 'rolling',
      strategyLabel: 'LeaderWorkerSet RollingUpdate',
      strategyPair,
      ...params(ru, replicas, { value: 0, percent: false }, { value: 1, percent: false }, false),
      defaultsNote: 'LeaderWorkerSet defaults: maxUnavailable 1, maxSurge 0 (whole groups)',
    };
  }
  // Argo Rollout
  const strategyPair = getPair(spec, 'strategy');
  const canaryPair = getPair(strategyPair?.value, 'canary');
  const blueGreenPair = getPair(strategyPair?.value, 'blueGreen');
  if (blueGreenPair) {
    return { ...base, mode: 'bluegreen', strategyLabel: 'blue-green', maxSurge: replicas, maxUnavailable: 0, strategyPair: blueGreenPair, defaultsNote: 'blue-green: the new fleet starts beside the old one' };
  }
  const canary = asMap(canaryPair?.value);
  const routed = get(canary, 'trafficRouting', doc) !== undefined;
  const dynamic = str(get(canary, 'dynamicStableScale', doc)) === 'true';
  return {
    ...base,
    mode: 'rolling',
    strategyLabel: 'canary',
    strategyPair: canaryPair ?? strategyPair,
    stableKeptFull: routed && !dynamic,
    ...params(canary, replicas, PCT25, PCT25, true),
    defaultsNote: 'Argo canary defaults: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down)',
  };
}

/** Steps and wall time of a full update, each step waiting `stepSeconds` for new replicas to load. */
export function rolloutTiming(r: RolloutResolution, stepSeconds: number): { steps: number; totalSeconds: number } {
  if (r.mode === 'recreate' || r.mode === 'bluegreen') return { steps: 1, totalSeconds: stepSeconds };
  if (r.mode === 'ondelete') return { steps: 0, totalSeconds: 0 };
  const batch = Math.max(1, r.stableKeptFull ? r.maxSurge : r.maxSurge + r.maxUnavailable);
  const steps = Math.max(1, Math.ceil(r.replicas / batch));
  return { steps, totalSeconds: steps * stepSeconds };
}
