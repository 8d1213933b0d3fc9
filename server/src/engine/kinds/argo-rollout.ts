/**
 * Argo Rollouts `Rollout`: its own pod template or a `workloadRef` to a Deployment; canary (maxSurge /
 * maxUnavailable 25%, traffic routing keeps the stable set full unless dynamicStableScale) or blue-green.
 */
import { asMap, get, getPair, str } from '../yaml/nodes';
import { setKeys } from '../edits';
import type { KindAdapter } from './types';
import { PCT25, podTopology, specTemplate, surgeParams, ZERO_DOWN_KEYS } from './shared';

export const argoRollout: KindAdapter = {
  kind: 'Rollout',
  group: 'argoproj.io',
  apiVersion: /^argoproj\.io\/v1alpha1$/,
  instanceNoun: 'replica',
  progressDeadline: { defaultSeconds: 600 },
  read(_obj, spec, doc, annotations) {
    const refPair = getPair(spec, 'workloadRef');
    const kind = str(get(refPair?.value, 'kind', doc.doc));
    const name = str(get(refPair?.value, 'name', doc.doc));
    return Object.assign({}, specTemplate(spec, doc, annotations), { workloadRef: refPair && kind && name ? { kind, name, pair: refPair } : undefined });
  },
  rollout(w, replicas) {
    const doc = w.doc.doc;
    const strategyPair = getPair(w.specNode, 'strategy');
    const canaryPair = getPair(strategyPair?.value, 'canary');
    const blueGreenPair = getPair(strategyPair?.value, 'blueGreen');
    const base = { replicas, stableKeptFull: false };
    if (blueGreenPair) {
      return Object.assign({}, base, { mode: 'bluegreen', strategyLabel: 'blue-green', maxSurge: replicas, maxUnavailable: 0, strategyPair: blueGreenPair, defaultsNote: 'blue-green: the new fleet starts beside the old one' });
    }
    const canary = asMap(canaryPair?.value);
    const routed = get(canary, 'trafficRouting', doc) !== undefined;
    const dynamic = str(get(canary, 'dynamicStableScale', doc)) === 'true';
    return Object.assign({}, base, {
      mode: 'rolling',
      strategyLabel: 'canary',
      strategyPair: canaryPair ?? strategyPair,
      stableKeptFull: routed && !dynamic,
    }, surgeParams(canary, replicas, PCT25, PCT25, true), {
      defaultsNote: 'Argo canary defaults: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down)',
    });
  },
  topology: (_w, primary) => podTopology(primary),
  zeroDowntimeEdits: (w, r) => (r.paramsMap ? setKeys(w.doc, r.paramsMap, ZERO_DOWN_KEYS) : [undefined]),
};
