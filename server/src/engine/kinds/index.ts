/** The kind registry: one adapter file per workload kind. A new kind is one file here plus its fixtures. */
import type { KindAdapter } from './types';
import { deployment } from './deployment';
import { statefulSet } from './statefulset';
import { argoRollout } from './argo-rollout';
import { leaderWorkerSet } from './leaderworkerset';
import { replicaSet } from './replicaset';
import { llmInferenceService } from './llminferenceservice';
import { inferenceService } from './inferenceservice';
import { clusterServingRuntime, servingRuntime } from './servingruntime';
import { nimService } from './nimservice';
import { kubeaiModel } from './kubeai-model';
import { rayService } from './rayservice';
import { kaitoWorkspace } from './workspace';

export type { InstanceTopology, KindAdapter, KindParts } from './types';

export const KIND_ADAPTERS: readonly KindAdapter[] = [deployment, statefulSet, argoRollout, leaderWorkerSet, replicaSet, llmInferenceService, inferenceService, servingRuntime, clusterServingRuntime, nimService, kubeaiModel, rayService, kaitoWorkspace];

const BY_KIND = new Map<string, KindAdapter[]>();
for (const a of KIND_ADAPTERS) BY_KIND.set(a.kind, [...(BY_KIND.get(a.kind) ?? []), a]);

/** The adapter for an object's apiVersion and kind, if servelint analyses that kind. */
export function adapterFor(apiVersion: string, kind: string): KindAdapter | undefined {
  return BY_KIND.get(kind)?.find((a) => a.apiVersion.test(apiVersion));
}
