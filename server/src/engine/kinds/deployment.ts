/** apps/v1 Deployment: one pod template, RollingUpdate (maxSurge / maxUnavailable 25%) or Recreate. */
import { asMap, get, getPair, str } from '../yaml/nodes';
import { insertIntoMap, setKeys, setScalar } from '../edits';
import type { KindAdapter } from './types';
import { nested, PCT25, podTopology, specTemplate, surgeParams, ZERO_DOWN_KEYS, ZERO_DOWN_PARAMS } from './shared';

export const deployment: KindAdapter = {
  kind: 'Deployment',
  group: 'apps',
  apiVersion: /^(apps|extensions)\/v1(beta\d)?$/,
  instanceNoun: 'replica',
  progressDeadline: { defaultSeconds: 600 },
  read: (_obj, spec, doc, annotations) => specTemplate(spec, doc, annotations),
  rollout(w, replicas) {
    const strategyPair = getPair(w.specNode, 'strategy');
    const strategy = asMap(strategyPair?.value);
    const typePair = getPair(strategy, 'type');
    const type = str(typePair?.value) ?? 'RollingUpdate';
    const base = { replicas, stableKeptFull: false, strategyPair, typePair };
    if (type === 'Recreate') return { ...base, mode: 'recreate', strategyLabel: 'Recreate', maxSurge: 0, maxUnavailable: replicas, defaultsNote: '' };
    return {
      ...base,
      mode: 'rolling',
      strategyLabel: 'RollingUpdate',
      ...surgeParams(asMap(get(strategy, 'rollingUpdate', w.doc.doc)), replicas, PCT25, PCT25, true),
      defaultsNote: 'Deployment defaults: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down)',
    };
  },
  topology: (_w, primary) => podTopology(primary),
  zeroDowntimeEdits(w, r) {
    const doc = w.doc;
    const strategy = asMap(r.strategyPair?.value);
    if (r.mode === 'recreate') {
      // A rollingUpdate block left next to Recreate (the API server rejects that pair) is reused, not duplicated.
      const rollingUpdate = asMap(get(strategy, 'rollingUpdate', doc.doc));
      const setType = setScalar(doc, r.typePair?.value ?? undefined, 'RollingUpdate');
      return get(strategy, 'rollingUpdate', doc.doc) !== undefined
        ? [setType, ...setKeys(doc, rollingUpdate, ZERO_DOWN_KEYS)]
        : [setType, insertIntoMap(doc, strategy, nested('rollingUpdate', ZERO_DOWN_PARAMS))];
    }
    if (r.paramsMap) return setKeys(doc, r.paramsMap, ZERO_DOWN_KEYS);
    if (strategy) return [insertIntoMap(doc, strategy, nested('rollingUpdate', ZERO_DOWN_PARAMS))];
    return [insertIntoMap(doc, w.specNode, nested('strategy', `type: RollingUpdate\n${nested('rollingUpdate', ZERO_DOWN_PARAMS)}`))];
  },
};
