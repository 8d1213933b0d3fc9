/** apps/v1 Deployment: one pod template, RollingUpdate (maxSurge / maxUnavailable 25%) or Recreate. */
import type { KindAdapter } from './types';
import { deploymentStrategy, deploymentStrategyEdits, podTopology, specTemplate } from './shared';

export const deployment: KindAdapter = {
  kind: 'Deployment',
  group: 'apps',
  apiVersion: /^(apps|extensions)\/v1(beta\d)?$/,
  instanceNoun: 'replica',
  progressDeadline: { defaultSeconds: 600 },
  read: (_obj, spec, doc, annotations) => specTemplate(spec, doc, annotations),
  rollout: (w, replicas) =>
    deploymentStrategy(w.specNode, 'strategy', w.doc, replicas, {
      rolling: 'RollingUpdate',
      defaultsNote: 'Deployment defaults: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down)',
    }),
  topology: (_w, primary) => podTopology(primary),
  zeroDowntimeEdits: (w, r) => deploymentStrategyEdits(w.specNode, 'strategy', w.doc, r),
};
