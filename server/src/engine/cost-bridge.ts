/** Connects the workload model to the cost model (server/src/engine/cost): builds its plain-data input. */
import type { Assumption, ServelintConfig } from './types';
import type { WorkloadModel } from './model/workload';
import { acceleratorsPerPod } from './model/pod';
import type { ServingUnit } from './analyze';
import { computeWorkloadCost, type CostInput, type WorkloadCostReport } from './cost';
import type { RolloutResolution } from './rollout';

export interface CostAnalysis {
  report?: WorkloadCostReport;
  weightLoad?: { value: number; source: Assumption['source']; detail: string };
  gpusPerPod: number | null;
  /** Accelerators per serving instance (a LeaderWorkerSet group, a multi-node StatefulSet's N pods, else a pod). */
  gpusPerReplica: number | null;
}

/** Accelerators one serving instance holds (a LeaderWorkerSet group, a multi-node StatefulSet's N pods, else a pod). */
export function acceleratorsPerInstance(w: WorkloadModel, primary: ServingUnit): { resource: string; count: number; detail: string } | undefined {
  return w.adapter.topology(w, primary).accelerators;
}

/** Pods that together run one server instance (see InstanceTopology). */
export function podsPerInstance(w: WorkloadModel, primary: ServingUnit): number {
  return w.adapter.topology(w, primary).podsPerInstance;
}

/** Replicas per server instance: N when N pods of the workload's replicas join one multi-node server, else 1. */
export function replicasPerInstance(w: WorkloadModel, primary: ServingUnit): number {
  return w.adapter.topology(w, primary).replicasPerInstance;
}

/** Server instances among `replicas` replicas. */
export function instancesOf(w: WorkloadModel, primary: ServingUnit, replicas: number): number {
  const per = replicasPerInstance(w, primary);
  return per > 1 ? Math.max(1, Math.floor(replicas / per)) : replicas;
}

function costInput(w: WorkloadModel, primary: ServingUnit, annotations: Record<string, string>, replicas: number): CostInput {
  const t = primary.template;
  const perInstance = acceleratorsPerInstance(w, primary);
  const acc = acceleratorsPerPod(t) ?? (perInstance ? { resource: perInstance.resource, count: 0 } : undefined);
  const a = primary.server.args;
  return {
    kind: w.kind,
    name: w.name,
    annotations,
    nodeSelector: t.nodeSelector.map(({ key, value }) => ({ key, value })),
    requiredAffinity: t.requiredAffinity.filter((r) => r.operator === 'In').map(({ key, values }) => ({ key, values })),
    accelerator: acc,
    groupSize: podsPerInstance(w, primary),
    acceleratorsPerReplica: perInstance ? { count: perInstance.count, detail: perInstance.detail } : undefined,
    replicas: instancesOf(w, primary, replicas),
    hpa: w.hpa ? { min: w.hpa.min ?? 1, max: w.hpa.max } : undefined,
    model: a.model?.value,
    quantization: a.quantization,
    dtype: a.dtype,
    kvCacheDtype: a.flags.get('--kv-cache-dtype')?.value,
    tensorParallelSize: a.tensorParallel,
    pipelineParallelSize: a.pipelineParallel,
    maxModelLen: a.maxModelLen,
    gpuMemoryUtilization: a.gpuMemoryUtilization,
    maxNumSeqs: Number(a.flags.get('--max-num-seqs')?.value) || undefined,
  };
}

/** First pass: GPU, model, throughput, $ and the weight-load estimate (which the rollout timing needs). */
export function costFor(
  w: WorkloadModel,
  primary: ServingUnit,
  annotations: Record<string, string>,
  config: ServelintConfig,
  replicas: number,
): CostAnalysis {
  const acc = acceleratorsPerPod(primary.template);
  let report: WorkloadCostReport | undefined;
  try {
    report = computeWorkloadCost(costInput(w, primary, annotations, replicas), config);
  } catch {
    report = undefined;
  }
  const model = report?.model;
  const weightLoad =
    model && report
      ? {
          value: report.weightLoad.seconds,
          source: 'estimate' as const,
          detail: `estimated: ${Math.round((model.checkpointBytes ?? model.weightBytes) / 1e8) / 10} GB of ${model.input || model.id} ${model.checkpointNote ?? 'weights'} ÷ ${
            report.weightLoad.assumptions.find((x) => x.key === 'weightLoadGbps')?.value ?? 1
          } GB/s + ${report.weightLoad.assumptions.find((x) => x.key === 'startupSeconds')?.value ?? 60} s start-up`,
        }
      : undefined;
  return { report, weightLoad, gpusPerPod: acc ? acc.count : null, gpusPerReplica: acceleratorsPerInstance(w, primary)?.count ?? null };
}

/** Second pass, once the rollout is known: surge and cut-over costs. */
export function withRolloutCost(
  cost: CostAnalysis,
  w: WorkloadModel,
  primary: ServingUnit,
  annotations: Record<string, string>,
  config: ServelintConfig,
  replicas: number,
  rollout: RolloutResolution,
  rolloutSeconds: number,
  steps: number,
): CostAnalysis {
  if (!cost.report) return cost;
  try {
    const input = costInput(w, primary, annotations, replicas);
    input.rollout = {
      strategy: rollout.mode === 'bluegreen' ? 'blue-green' : rollout.strategyLabel === 'canary' ? 'canary' : 'rolling',
      surgeReplicas: rollout.maxSurge,
      rolloutSeconds,
      steps,
      cutoverSeconds: rollout.mode === 'bluegreen' ? rolloutSeconds : undefined,
    };
    return { ...cost, report: computeWorkloadCost(input, config) };
  } catch {
    return cost;
  }
}
