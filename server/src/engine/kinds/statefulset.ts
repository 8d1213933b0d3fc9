/**
 * apps/v1 StatefulSet: one pod template; a rolling update deletes a pod before it creates the replacement
 * (maxUnavailable 1, no surge). Pods that join one multi-node server (`--nnodes N`) form one instance.
 */
import { asMap, get, getPair, str } from '../yaml/nodes';
import type { KindAdapter } from './types';
import { ONE, podTopology, specTemplate, surgeParams, ZERO } from './shared';

export const statefulSet: KindAdapter = {
  kind: 'StatefulSet',
  group: 'apps',
  apiVersion: /^apps\/v1(beta\d)?$/,
  instanceNoun: 'replica',
  read: (_obj, spec, doc, annotations) => specTemplate(spec, doc, annotations),
  rollout(w, replicas) {
    const doc = w.doc.doc;
    const strategyPair = getPair(w.specNode, 'updateStrategy');
    const type = str(get(strategyPair?.value, 'type', doc)) ?? 'RollingUpdate';
    const p = surgeParams(asMap(get(strategyPair?.value, 'rollingUpdate', doc)), replicas, ZERO, ONE, false);
    return {
      replicas,
      stableKeptFull: false,
      mode: type === 'OnDelete' ? 'ondelete' : 'statefulset',
      strategyLabel: `StatefulSet ${type}`,
      strategyPair,
      ...p,
      maxSurge: 0,
      maxUnavailable: Math.max(1, p.maxUnavailable),
      defaultsNote: 'StatefulSet rolling updates delete a pod before creating its replacement (maxUnavailable 1)',
    };
  },
  /** SGLang / vLLM `--nnodes N --node-rank $INDEX`: N consecutive pods run one server instance. */
  topology(_w, primary) {
    const n = primary.server.args.nnodes;
    return podTopology(primary, n && n > 1 ? n : 1);
  },
  zeroDowntimeEdits: () => undefined,
};
