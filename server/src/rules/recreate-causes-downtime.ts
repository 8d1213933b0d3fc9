import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { fmtSeconds } from '../engine/assumptions';
import { loc } from '../engine/yaml/nodes';
import { plural, weightLoadSource } from './helpers';
import { acceleratorWord } from '../engine/model/pod';
import { acceleratorsPerInstance } from '../engine/cost-bridge';

export const rule: Rule = {
  id: 'recreate-causes-downtime',
  defaultSeverity: 'error',
  description: 'A Deployment with strategy Recreate stops every replica before the new ones start loading weights: a full outage on every update.',
  hasFix: true,
  check(ctx) {
    const a = ctx.analysis;
    const r = a.rollout;
    if (r.mode !== 'recreate') return;
    const doc = a.workload.doc;
    const edits = a.workload.adapter.zeroDowntimeEdits(a.workload, r) ?? [undefined];
    const perReplica = a.cost.gpusPerReplica ?? 0;
    const extra = perReplica > 0 ? acceleratorWord(acceleratorsPerInstance(a.workload, a.primary)?.resource, perReplica) : '';
    ctx.report(
      loc(doc, r.typePair?.value) ?? loc(doc, r.strategyPair?.key),
      `strategy Recreate stops all ${plural(r.replicas, 'replica')} before the new ones load weights: no capacity at all for ` +
        `~${fmtSeconds(Number(a.weightLoad.value))} (${weightLoadSource(a)}) on every update. A rolling update with maxUnavailable 0 and maxSurge 1 keeps serving ` +
        `(it needs room for one extra replica${extra ? ` (${extra})` : ''} while it runs).`,
      [fix('Use RollingUpdate with maxUnavailable: 0 and maxSurge: 1', edits)],
    );
  },
};
