import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { fmtSeconds } from '../engine/assumptions';
import { loc } from '../engine/yaml/nodes';
import { acceleratorWord } from '../engine/model/pod';
import { plural, singleNodeClaims, weightLoadSource } from './helpers';

export const rule: Rule = {
  meta: {
    id: 'recreate-causes-downtime',
    type: 'problem',
    defaultSeverity: 'error',
    description: 'A Deployment with strategy Recreate stops every replica before the new ones start loading weights: a full outage on every update.',
    docs: { catches: 'Deployment `strategy.type: Recreate`', fix: 'zero-unavailability rolling update' },
    fixable: true,
    scope: { strategies: ['recreate'] },
    needs: ['rollout', 'weightLoad'],
    messages: {
      outage:
        'strategy Recreate stops all {{replicas}} before the new ones load weights: no capacity at all for ~{{load}} ({{loadSource}}) on every update. ' +
        'A rolling update with maxUnavailable 0 and maxSurge 1 keeps serving (it needs room for one extra replica{{extra}} while it runs).',
      singleNodeVolume:
        'strategy Recreate stops all {{replicas}} before the new ones load weights: no capacity at all for ~{{load}} ({{loadSource}}) on every update. ' +
        'It is the strategy that works with PVC {{claim}} ({{mode}}): a surge pod could not mount it (ReadWriteOncePod) or only on the same node. ' +
        'To update without an outage, keep the weights on a ReadOnlyMany volume (or in the image) and use a rolling update.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const r = a.rollout;
    const doc = a.workload.doc;
    const perReplica = a.topology.accelerators?.count ?? 0;
    const extra = perReplica > 0 ? acceleratorWord(a.topology.accelerators?.resource, perReplica) : '';
    const where = loc(doc, r.typePair?.value) ?? loc(doc, r.strategyPair?.key);
    const data = { replicas: plural(r.replicas, 'replica'), load: fmtSeconds(Number(a.weightLoad.value)), loadSource: weightLoadSource(a) };
    // A volume only one node (or pod) can mount: Recreate is the strategy that works, so this is information, not an error.
    const claim = singleNodeClaims(a)[0];
    if (claim) {
      ctx.report({ loc: where, messageId: 'singleNodeVolume', data: Object.assign({}, data, { claim: claim.claim, mode: claim.mode }), severity: 'info' });
      return;
    }
    ctx.report({
      loc: where,
      messageId: 'outage',
      data: Object.assign({}, data, { extra: extra ? ` (${extra})` : '' }),
      fixes: [fix('Use RollingUpdate with maxUnavailable: 0 and maxSurge: 1', a.workload.adapter.zeroDowntimeEdits(a.workload, r) ?? [undefined])],
    });
  },
};
