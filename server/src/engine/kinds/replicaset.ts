/**
 * apps/v1 ReplicaSet (bare ReplicaSets appear in real serving repositories): one pod template and no update
 * strategy. A changed template replaces no pod; pods keep the old spec until they are deleted (by hand or by
 * eviction), so there is no rollout to lose capacity in, and no way to update without doing it by hand.
 */
import type { KindAdapter } from './types';
import { podTopology, specTemplate } from './shared';

export const replicaSet: KindAdapter = {
  kind: 'ReplicaSet',
  group: 'apps',
  apiVersion: /^(apps|extensions)\/v1(beta\d)?$/,
  instanceNoun: 'replica',
  read: (_obj, spec, doc, annotations) => specTemplate(spec, doc, annotations),
  rollout: (_w, replicas) => ({
    replicas,
    stableKeptFull: false,
    mode: 'ondelete',
    strategyLabel: 'ReplicaSet (no rollout: pods keep the old template until deleted)',
    maxSurge: 0,
    maxUnavailable: 0,
    defaultsNote: 'a ReplicaSet never replaces pods when its template changes',
  }),
  topology: (_w, primary) => podTopology(primary),
  zeroDowntimeEdits: () => undefined,
};
