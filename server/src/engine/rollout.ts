/**
 * How an update replaces pods, resolved the way the controllers do it: maxSurge / maxUnavailable as numbers or
 * percentages of replicas (surge rounds up, unavailable rounds down; both 0 means unavailable 1).
 */
import type { Node, Pair, YAMLMap } from 'yaml';
import type { WorkloadModel } from './model/workload';

export interface RolloutResolution {
  /**
   * 'rolling' (Deployment / canary / LWS), 'recreate', 'statefulset', 'ondelete', 'bluegreen' (Argo), 'revision'
   * (Knative: the new revision starts in full beside the old one before traffic moves).
   */
  mode: 'rolling' | 'recreate' | 'statefulset' | 'ondelete' | 'bluegreen' | 'revision';
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

/** How the workload's kind replaces pods on an update (see engine/kinds). */
export function resolveRollout(w: WorkloadModel, replicas: number): RolloutResolution {
  return w.adapter.rollout(w, replicas);
}

/** Steps and wall time of a full update, each step waiting `stepSeconds` for new replicas to load. */
export function rolloutTiming(r: RolloutResolution, stepSeconds: number): { steps: number; totalSeconds: number } {
  if (r.mode === 'recreate' || r.mode === 'bluegreen' || r.mode === 'revision') return { steps: 1, totalSeconds: stepSeconds };
  if (r.mode === 'ondelete') return { steps: 0, totalSeconds: 0 };
  const batch = Math.max(1, r.stableKeptFull ? r.maxSurge : r.maxSurge + r.maxUnavailable);
  const steps = Math.max(1, Math.ceil(r.replicas / batch));
  return { steps, totalSeconds: steps * stepSeconds };
}
