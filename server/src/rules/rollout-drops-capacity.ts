import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { fmtSeconds } from '../engine/assumptions';
import { loc, type Loc } from '../engine/yaml/nodes';
import type { WorkloadAnalysis } from '../engine/analyze';
import { instancesOf } from '../engine/cost-bridge';
import { acceleratorWord } from '../engine/model/pod';
import { plural, weightLoadSource } from './helpers';

function anchor(a: WorkloadAnalysis): Loc | undefined {
  const r = a.rollout;
  const doc = a.workload.doc;
  return (
    loc(doc, r.unavailablePair?.value) ??
    loc(doc, r.strategyPair?.key) ??
    loc(doc, a.workload.replicasPair?.key) ??
    loc(doc, a.workload.kindPair.value)
  );
}

export const rule: Rule = {
  meta: {
    id: 'rollout-drops-capacity',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'The update takes serving replicas down while their replacements spend minutes loading weights, so capacity drops for the whole rollout.',
    docs: {
      catches: 'the update takes replicas down while replacements load weights (maxUnavailable resolved like Kubernetes; StatefulSets)',
      fix: '`maxUnavailable: 0`, `maxSurge: 1`',
    },
    fixable: true,
    scope: { strategies: ['rolling', 'statefulset'] },
    needs: ['rollout', 'weightLoad', 'rolloutTiming'],
    messages: {
      dropsCapacity:
        'The {{strategy}} {{what}} while each replacement loads weights for ~{{load}} ({{loadSource}}): ' +
        'capacity drops {{percent}}%{{outage}} for ~{{duration}} ({{steps}}). {{how}}.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const r = a.rollout;
    const statefulSet = r.mode === 'statefulset' && r.replicas >= 1;
    const rolling = r.mode === 'rolling' && !r.stableKeptFull && r.maxUnavailable >= 1 && r.replicas >= 1;
    if (!statefulSet && !rolling) return;
    // A multi-node server (StatefulSet pods joined by --nnodes): one pod down stops its whole instance.
    const perInstance = a.topology.replicasPerInstance;
    const instances = perInstance > 1 ? instancesOf(a.topology, r.replicas) : r.replicas;
    const down = Math.min(r.maxUnavailable, instances);
    const gpusPerReplica = a.topology.accelerators?.count ?? 0;
    const resource = a.topology.accelerators?.resource;
    const gpus = gpusPerReplica > 0 ? ` (${acceleratorWord(resource, down * gpusPerReplica)})` : '';
    const pct = Math.round((down / instances) * 100);
    const edits = a.workload.adapter.zeroDowntimeEdits(a.workload, r);
    ctx.report({
      loc: anchor(a),
      messageId: 'dropsCapacity',
      data: {
        strategy: r.strategyLabel,
        what: perInstance > 1
          ? `replaces one pod at a time, and each stops its whole ${perInstance}-pod server instance (--nnodes ${perInstance}` +
            `${gpusPerReplica > 0 ? `, ${acceleratorWord(resource, gpusPerReplica)}` : ''}; ${plural(instances, 'instance')} in all)`
          : `takes ${down} of ${plural(instances, a.workload.adapter.instanceNoun)}${gpus} out of service at a time`,
        load: fmtSeconds(Number(a.weightLoad.value)),
        loadSource: `weight load${a.weightLoad.source === 'default' ? '' : ','} ${weightLoadSource(a)}`,
        percent: pct,
        outage: pct >= 100 ? ' (a full outage)' : '',
        duration: fmtSeconds(a.rolloutSeconds),
        steps: plural(a.rolloutSteps, 'step'),
        how:
          r.mode === 'statefulset'
            ? 'StatefulSet rolling updates delete a pod before creating its replacement'
            : r.unavailablePair
              ? `maxUnavailable resolves to ${r.maxUnavailable} of ${r.replicas} replicas`
              : `maxUnavailable resolves to ${r.maxUnavailable} (${r.defaultsNote})`,
      },
      fixes: edits ? [fix('Set maxUnavailable: 0 and maxSurge: 1 (surge, never drop capacity)', edits)] : [],
    });
  },
};
