/**
 * LeaderWorkerSet (kubernetes-sigs/lws): each replica is a group of `size` pods (a leader and size − 1 workers,
 * each with its own template); rolling updates replace whole groups (maxUnavailable 1, maxSurge 0 by default).
 */
import { asMap, get, getPair } from '../yaml/nodes';
import { FIELDS, readNumber } from '../fields';
import { insertIntoMap, setKeys } from '../edits';
import { acceleratorsPerPod, podTemplateModel, type PodTemplateModel } from '../model/pod';
import type { InstanceTopology, KindAdapter } from './types';
import type { WorkloadModel } from '../model/workload';
import { nested, ONE, surgeParams, ZERO, ZERO_DOWN_KEYS, ZERO_DOWN_PARAMS } from './shared';

export const leaderWorkerSet: KindAdapter = {
  kind: 'LeaderWorkerSet',
  group: 'leaderworkerset.x-k8s.io',
  apiVersion: /^leaderworkerset\.x-k8s\.io\/v1$/,
  instanceNoun: 'group',
  read(_obj, spec, doc, annotations) {
    const lwt = get(spec, 'leaderWorkerTemplate', doc.doc);
    const leader = asMap(get(lwt, 'leaderTemplate', doc.doc));
    const worker = asMap(get(lwt, 'workerTemplate', doc.doc));
    const templates: PodTemplateModel[] = [];
    if (leader) templates.push(podTemplateModel(leader, 'leader', doc, annotations));
    if (worker) templates.push(podTemplateModel(worker, leader ? 'worker' : 'pod', doc, annotations));
    return { templates, groupSize: readNumber(get(lwt, 'size', doc.doc), FIELDS.groupSize) ?? 1 };
  },
  rollout(w, replicas) {
    const strategyPair = getPair(w.specNode, 'rolloutStrategy');
    return {
      replicas,
      stableKeptFull: false,
      mode: 'rolling',
      strategyLabel: 'LeaderWorkerSet RollingUpdate',
      strategyPair,
      ...surgeParams(asMap(get(strategyPair?.value, 'rollingUpdateConfiguration', w.doc.doc)), replicas, ZERO, ONE, false),
      defaultsNote: 'LeaderWorkerSet defaults: maxUnavailable 1, maxSurge 0 (whole groups)',
    };
  },
  topology: (w) => groupTopology(w),
  zeroDowntimeEdits(w, r) {
    if (r.paramsMap) return setKeys(w.doc, r.paramsMap, ZERO_DOWN_KEYS);
    const strategy = asMap(r.strategyPair?.value);
    if (strategy) return [insertIntoMap(w.doc, strategy, nested('rollingUpdateConfiguration', ZERO_DOWN_PARAMS))];
    return [insertIntoMap(w.doc, w.specNode, nested('rolloutStrategy', `type: RollingUpdate\n${nested('rollingUpdateConfiguration', ZERO_DOWN_PARAMS)}`))];
  },
};

/** A group is its leader plus size − 1 workers (each with its own template); a leader that asks for no accelerator counts 0. */
export function groupTopology(w: WorkloadModel): InstanceTopology {
  const leader = w.templates.find((t) => t.role === 'leader');
  const worker = w.templates.find((t) => t.role !== 'leader');
  const la = leader ? acceleratorsPerPod(leader) : undefined;
  const wa = worker ? acceleratorsPerPod(worker) : undefined;
  const resource = wa?.resource ?? la?.resource;
  const base = { podsPerInstance: w.groupSize, replicasPerInstance: 1 };
  if (!resource) return base;
  if (!leader) return Object.assign({}, base, { accelerators: { resource, count: (wa?.count ?? 0) * w.groupSize, detail: `${wa?.count ?? 0} per pod x ${w.groupSize} pods (LeaderWorkerSet size)` } });
  const workers = w.groupSize - 1;
  return Object.assign({}, base, {
    accelerators: {
      resource,
      count: (la?.count ?? 0) + workers * (wa?.count ?? 0),
      detail: `leader ${la?.count ?? 0} + ${workers} worker${workers === 1 ? '' : 's'} x ${wa?.count ?? 0} (LeaderWorkerSet size ${w.groupSize})`,
    },
  });
}
