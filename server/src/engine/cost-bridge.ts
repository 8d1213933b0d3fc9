/** Connects a workload's analysis to the cost model (server/src/engine/cost): builds its plain-data input. */
import type { Assumption, ServelintConfig } from './types';
import { acceleratorsPerPod, type ServingUnit } from './model/pod';
import type { WorkloadModel } from './model/workload';
import type { Autoscaler } from './inventory';
import type { Lookups } from './lookups';
import { getIn, items, str } from './yaml/nodes';
import type { InstanceTopology } from './kinds';
import { profileOf } from './servers';
import { computeWorkloadCost, identifyModel, modelFromLabels, modelWeightLoad, validateModelEntries, withRolloutCosts, type CostInput, type WeightLoadEstimate, type WorkloadCostReport } from './cost';
import type { RolloutResolution } from './rollout';
import { DOWNLOAD_GBPS_ANNOTATION, downloadGbps, weightsDownloadOf } from './weights-download';

export interface CostAnalysis {
  report?: WorkloadCostReport;
  weightLoad?: { value: number; source: Assumption['source']; detail: string };
  gpusPerPod: number | null;
  /** Accelerators per serving instance (a LeaderWorkerSet group, a multi-node StatefulSet's N pods, else a pod). */
  gpusPerReplica: number | null;
}

/** What the cost model needs to know about a workload beyond its own fields. */
export interface CostSubject {
  workload: WorkloadModel;
  primary: ServingUnit;
  annotations: Record<string, string>;
  topology: InstanceTopology;
  autoscaler?: Autoscaler;
  replicas: number;
  /** Cross-object lookups (the GKE ComputeClass the pod selects). */
  lookups?: Lookups;
}

const COMPUTE_CLASS_LABEL = 'cloud.google.com/compute-class';

/**
 * The accelerators of the GKE custom ComputeClass the pod selects (nodeSelector `cloud.google.com/compute-class`),
 * when that ComputeClass is among the manifests: `spec.priorities[].gpu.type` (a gke-accelerator value such as
 * nvidia-l4) and `spec.priorities[].tpu.type` (a gke-tpu-accelerator value), in priority order. The CRD:
 * cloud.google.com/v1 ComputeClass, https://docs.cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass;
 * the gpu / tpu fields of a priority rule: google/skills skills/cloud/gke-compute-classes/SKILL.md ("targeting
 * specific accelerators (GPUs/TPUs)") and the CRD's generated types (cdktf-crd@0.4.0
 * dist/com/google/cloud/compute-class/v1.d.ts). Built-in classes (Accelerator, Performance, ...) name no GPU.
 */
function computeClassOf(t: ServingUnit['template'], lookups: Lookups | undefined): CostInput['computeClass'] {
  const name = t.nodeSelector.find((e) => e.key === COMPUTE_CLASS_LABEL)?.value;
  const cc = name && lookups ? lookups.ofKind('ComputeClass').find((o) => o.name === name && /^cloud\.google\.com\//.test(o.apiVersion)) : undefined;
  if (!name || !cc) return undefined;
  const priorities = items(getIn(cc.node, ['spec', 'priorities'], cc.doc.doc));
  const typesOf = (field: string): string[] => priorities.flatMap((p) => {
    const v = str(getIn(p, [field, 'type'], cc.doc.doc));
    return v ? [v] : [];
  });
  return { name, gpuTypes: typesOf('gpu'), tpuTypes: typesOf('tpu') };
}

/** Server instances among `replicas` replicas. */
export function instancesOf(topology: InstanceTopology, replicas: number): number {
  const per = topology.replicasPerInstance;
  return per > 1 ? Math.max(1, Math.floor(replicas / per)) : replicas;
}

/** The model the server runs, as the cost model reads it (from its args, else a well-known label). */
function modelInput(s: CostSubject, config: ServelintConfig): Pick<CostInput, 'model' | 'modelSource' | 'quantization' | 'dtype' | 'annotations'> {
  const t = s.primary.template;
  const a = s.primary.server.args;
  // The args, env and image name no model, or one the catalog does not know (a local path such as
  // /data/checkpoint-3): a well-known model label on the pod (ai.gke.io/model, ...) names it.
  const extraModels = validateModelEntries(config.models).valid;
  const known = a.model ? identifyModel(a.model.value, { quantization: a.quantization, dtype: a.dtype }, extraModels) : undefined;
  const labelled = known ? undefined : modelFromLabels(t.labels, extraModels);
  return {
    annotations: s.annotations,
    model: labelled?.value ?? a.model?.value,
    modelSource: labelled
      ? `label ${labelled.key}=${labelled.value}: ${a.model ? `the server's model "${a.model.value}" is not in the catalog` : "the server's args name no model"}`
      : undefined,
    quantization: a.quantization,
    dtype: a.dtype,
  };
}

function costInput(s: CostSubject, config: ServelintConfig): CostInput {
  const t = s.primary.template;
  const perInstance = s.topology.accelerators;
  const acc = acceleratorsPerPod(t) ?? (perInstance ? { resource: perInstance.resource, count: 0 } : undefined);
  const a = s.primary.server.args;
  const m = modelInput(s, config);
  const seqs = maxSequences(a.flags);
  // One object literal without spreads: each property after a leading spread takes V8's slow path (architecture.test.ts).
  return {
    annotations: m.annotations,
    model: m.model,
    modelSource: m.modelSource,
    quantization: m.quantization,
    dtype: m.dtype,
    kind: s.workload.kind,
    name: s.workload.name,
    nodeSelector: t.nodeSelector.map(({ key, value }) => ({ key, value })),
    requiredAffinity: t.requiredAffinity.filter((r) => r.operator === 'In').map(({ key, values }) => ({ key, values })),
    computeClass: computeClassOf(t, s.lookups),
    accelerator: acc,
    groupSize: s.topology.podsPerInstance,
    acceleratorsPerReplica: perInstance ? { count: perInstance.count, detail: perInstance.detail } : undefined,
    replicas: instancesOf(s.topology, s.replicas),
    hpa: s.autoscaler ? { min: s.autoscaler.min, max: s.autoscaler.max } : undefined,
    kvCacheDtype: a.flags.get('--kv-cache-dtype')?.value,
    tensorParallelSize: a.tensorParallel,
    pipelineParallelSize: a.pipelineParallel,
    maxModelLen: a.maxModelLen,
    gpuMemoryUtilization: a.gpuMemoryUtilization,
    maxNumSeqs: seqs.maxNumSeqs,
    maxNumSeqsFlag: seqs.maxNumSeqsFlag,
    kvCacheFreeMemoryFraction: Number(a.flags.get('--kv-cache-free-gpu-memory-fraction')?.value) || undefined,
    engine: profileOf(s.primary.server.kind).costEngine,
    engineVersion: imageTag(s.primary.container.image),
    attentionDataParallel: a.flags.has('--enable-dp-attention') || undefined,
  };
}

/** The tag of a container image ('nvcr.io/nvidia/tensorrt-llm/release:1.0.0' → '1.0.0'); none for a digest or no tag. */
export function imageTag(image: string | undefined): string | undefined {
  const name = image?.split('@')[0] ?? '';
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) || undefined : undefined;
}

/** The scheduler's cap on concurrent sequences: vLLM --max-num-seqs, SGLang --max-running-requests, TensorRT-LLM --max_batch_size. */
function maxSequences(flags: Map<string, { value: string; flag: string }>): { maxNumSeqs?: number; maxNumSeqsFlag?: string } {
  for (const f of ['--max-num-seqs', '--max-running-requests', '--max-batch-size']) {
    const v = flags.get(f);
    if (v && Number(v.value) > 0) return { maxNumSeqs: Number(v.value), maxNumSeqsFlag: v.flag };
  }
  return {};
}

/** GPU, model, throughput, $ and the weight-load estimate (which the rollout timing needs). */
export function costFor(s: CostSubject, config: ServelintConfig): CostAnalysis {
  const acc = acceleratorsPerPod(s.primary.template);
  let report: WorkloadCostReport | undefined;
  try {
    report = computeWorkloadCost(costInput(s, config), config);
  } catch {
    report = undefined;
  }
  const model = report?.model;
  const weightLoad = model && report ? estimatedWeightLoad(s, report.weightLoad, model) : undefined;
  return { report, weightLoad, gpusPerPod: acc ? acc.count : null, gpusPerReplica: s.topology.accelerators?.count ?? null };
}

/** What the weights-vs-GPU-memory check reads of the cost report. */
export type MemoryFitReport = Pick<WorkloadCostReport, 'memoryFit' | 'model' | 'gpu' | 'gpusPerReplica'>;

/** The memory-fit part of costFor's report, without the throughput model and what-ifs (computeWorkloadCost fitOnly). */
export function memoryFitOf(s: CostSubject, config: ServelintConfig): MemoryFitReport | undefined {
  try {
    const r = computeWorkloadCost(costInput(s, config), config, { fitOnly: true });
    return { memoryFit: r.memoryFit, model: r.model, gpu: r.gpu, gpusPerReplica: r.gpusPerReplica };
  } catch {
    return undefined;
  }
}

/** The weight-load estimate of costFor without the rest of the cost model (the same figure; modelWeightLoad). */
export function weightLoadFor(s: CostSubject, config: ServelintConfig): CostAnalysis['weightLoad'] {
  try {
    const r = modelWeightLoad(modelInput(s, config), config);
    return r ? estimatedWeightLoad(s, r.weightLoad, r.model) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cost model's weight-load time, plus the Hub download when the server has no persistent cache
 * (weights-downloaded-on-start): a new replica downloads the checkpoint before it can load it.
 */
function estimatedWeightLoad(
  s: CostSubject,
  estimate: WeightLoadEstimate,
  model: { checkpointBytes?: number; weightBytes: number; input?: string; id: string; checkpointNote?: string },
): NonNullable<CostAnalysis['weightLoad']> {
  const gb = (model.checkpointBytes ?? model.weightBytes) / 1e9;
  const load = `${Math.round(gb * 10) / 10} GB of ${model.input || model.id} ${model.checkpointNote ?? 'weights'} ÷ ${
    estimate.assumptions.find((x) => x.key === 'weightLoadGbps')?.value ?? 1
  } GB/s + ${estimate.assumptions.find((x) => x.key === 'startupSeconds')?.value ?? 60} s start-up`;
  const download = weightsDownloadOf(s.primary) ? downloadGbps(s.annotations) : undefined;
  if (!download) return { value: estimate.seconds, source: 'estimate', detail: `estimated: ${load}` };
  const seconds = Math.round(gb / download.gbps);
  return {
    value: estimate.seconds + seconds,
    source: 'estimate',
    detail: `estimated: ${Math.round(gb * 10) / 10} GB download at ${download.gbps} GB/s (${download.source === 'default' ? 'assumed; ' : ''}annotation ${DOWNLOAD_GBPS_ANNOTATION}, no persistent model cache) = ${seconds} s + ${load}`,
  };
}

/** The cost report with what the rollout costs (surge GPUs, blue-green cutover), once the rollout is known. */
export function rolloutCostReport(cost: CostAnalysis, rollout: RolloutResolution, rolloutSeconds: number, steps: number): WorkloadCostReport | undefined {
  if (!cost.report) return undefined;
  try {
    return withRolloutCosts(cost.report, {
      strategy: rollout.mode === 'bluegreen' || rollout.mode === 'revision' ? 'blue-green' : rollout.strategyLabel === 'canary' ? 'canary' : 'rolling',
      surgeReplicas: rollout.maxSurge,
      rolloutSeconds,
      steps,
      cutoverSeconds: rollout.mode === 'bluegreen' || rollout.mode === 'revision' ? rolloutSeconds : undefined,
    });
  } catch {
    return cost.report;
  }
}
