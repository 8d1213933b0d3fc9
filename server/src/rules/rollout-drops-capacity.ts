import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { fmtSeconds } from '../engine/assumptions';
import { loc, type Loc } from '../engine/yaml/nodes';
import type { WorkloadAnalysis } from '../engine/analyze';
import { plural, weightLoadSource } from './helpers';
import { acceleratorWord } from '../engine/model/pod';
import { acceleratorsPerInstance, instancesOf, replicasPerInstance } from '../engine/cost-bridge';

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
  id: 'rollout-drops-capacity',
  defaultSeverity: 'warning',
  description:
    'The update takes serving replicas down while their replacements spend minutes loading weights, so capacity drops for the whole rollout.',
  hasFix: true,
  check(ctx) {
    const a = ctx.analysis;
    const r = a.rollout;
    const statefulSet = r.mode === 'statefulset' && r.replicas >= 1;
    const rolling = r.mode === 'rolling' && !r.stableKeptFull && r.maxUnavailable >= 1 && r.replicas >= 1;
    if (!statefulSet && !rolling) return;
    // A multi-node server (StatefulSet pods joined by --nnodes): one pod down stops its whole instance.
    const perInstance = replicasPerInstance(a.workload, a.primary);
    const instances = perInstance > 1 ? instancesOf(a.workload, a.primary, r.replicas) : r.replicas;
    const down = Math.min(r.maxUnavailable, instances);
    const gpusPerReplica = a.cost.gpusPerReplica ?? 0;
    const resource = acceleratorsPerInstance(a.workload, a.primary)?.resource;
    const gpus = gpusPerReplica > 0 ? ` (${acceleratorWord(resource, down * gpusPerReplica)})` : '';
    const load = Number(a.weightLoad.value);
    const loadSource = `weight load${a.weightLoad.source === 'default' ? '' : ','} ${weightLoadSource(a)}`;
    const pct = Math.round((down / instances) * 100);
    const how =
      r.mode === 'statefulset'
        ? 'StatefulSet rolling updates delete a pod before creating its replacement'
        : r.unavailablePair
          ? `maxUnavailable resolves to ${r.maxUnavailable} of ${r.replicas} replicas`
          : `maxUnavailable resolves to ${r.maxUnavailable} (${r.defaultsNote})`;
    const unit = a.workload.adapter.instanceNoun;
    const what = perInstance > 1
      ? `replaces one pod at a time, and each stops its whole ${perInstance}-pod server instance (--nnodes ${perInstance}` +
        `${gpusPerReplica > 0 ? `, ${acceleratorWord(resource, gpusPerReplica)}` : ''}; ${plural(instances, 'instance')} in all)`
      : `takes ${down} of ${plural(instances, unit)}${gpus} out of service at a time`;
    ctx.report(
      anchor(a),
      `The ${r.strategyLabel} ${what} while each replacement loads ` +
        `weights for ~${fmtSeconds(load)} (${loadSource}): capacity drops ${pct}%${pct >= 100 ? ' (a full outage)' : ''} for ~${fmtSeconds(a.rolloutSeconds)} ` +
        `(${plural(a.rolloutSteps, 'step')}). ${how}.`,
      (() => {
        const edits = a.workload.adapter.zeroDowntimeEdits(a.workload, r);
        return edits ? [fix('Set maxUnavailable: 0 and maxSurge: 1 (surge, never drop capacity)', edits)] : [];
      })(),
    );
  },
};

