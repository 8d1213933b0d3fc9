/** computeWorkloadCost: the single entry point the engine calls for one workload. */
import type { CostReport, WhatIfFigure } from '../api';
import type { Assumption, ServelintConfig } from '../types';
import { ANNOTATIONS, annotationNumber, pick } from './annotations';
import { buildGpuCatalog, findGpuById } from './gpu-catalog';
import { identifyGpu } from './identify-gpu';
import { identifyModel } from './models';
import {
  DEFAULT_UTILIZATION, HOURS_PER_MONTH, blueGreenCutoverCost, compareHostedApi, rolloutSurgeCost, usdPerMillionTokens,
} from './pricing';
import { DEFAULT_INPUT_TOKENS, DEFAULT_OUTPUT_TOKENS, estimateThroughput, type ThroughputParams } from './throughput';
import type { CostInput, GpuCatalog, GpuIdentification, InstanceTypeSpec, HostedApiComparison, MemoryFit, ModelInfo, ThroughputEstimate, WeightLoadEstimate } from './types';
import { validateGpuEntries, validateModelEntries } from './validate';
import { checkMemoryFit, estimateWeightLoad } from './weight-load';

export interface WorkloadCostReport extends CostReport {
  kind: string;
  gpusPerPod: number;
  groupSize: number;
  /** Where the $/GPU-hr came from. */
  priceSource: string | null;
  usdPerHourPerReplica: number | null;
  hoursPerMonth: number;
  /** Fleet $/hr at the HPA minimum and maximum. */
  usdPerHourRange?: { min: number; max: number };
  model: (Pick<ModelInfo, 'id' | 'input' | 'match' | 'totalParamsB' | 'activeParamsB' | 'quantization' | 'bytesPerParam' | 'quantizationSource' | 'weightBytes' | 'checkpointBytes' | 'checkpointNote'> & { notes: string[] }) | null;
  throughput: { bound?: ThroughputEstimate['bound']; concurrency?: number; notes: string[] } | null;
  weightLoad: WeightLoadEstimate;
  memoryFit: MemoryFit | null;
  rollout?: { surgeGpus?: number; surgeUsd?: number; cutoverSeconds?: number; cutoverUsd?: number };
  hostedApi?: HostedApiComparison;
}

export interface ComputeOptions {
  /** Hours per month for $/month (default 730). */
  hoursPerMonth?: number;
  /**
   * Only what the memory-fit check reads (GPU, model, GPUs per replica, memoryFit): no throughput, what-ifs, rollout
   * or hosted-API figures (the report's tokens/s and $/1M are then null). See memoryFitOf.
   */
  fitOnly?: boolean;
}

/** Reads config.assumptions.tokensPerSecond if a future config carries it (not in ServelintConfig yet). */
function configTokensPerSecond(config: ServelintConfig | undefined): number | undefined {
  const v = (config?.assumptions as Record<string, unknown> | undefined)?.tokensPerSecond;
  return typeof v === 'number' && v > 0 ? v : undefined;
}

export function computeWorkloadCost(input: CostInput, config: ServelintConfig = {}, options: ComputeOptions = {}): WorkloadCostReport {
  const problems: string[] = [];
  const assumptions: Assumption[] = [];
  const ann = input.annotations ?? {};
  const hoursPerMonth = options.hoursPerMonth ?? HOURS_PER_MONTH;

  // Catalogs, with validated extras from config.
  const extraGpus = validateGpuEntries(config.gpus?.extra);
  const extraModels = validateModelEntries(config.models);
  problems.push(...extraGpus.errors.map((e) => `.servelint.yaml ${e} (entry ignored)`), ...extraModels.errors.map((e) => `.servelint.yaml ${e} (entry ignored)`));
  const catalog = buildGpuCatalog(extraGpus.valid);

  // GPU.
  const id: GpuIdentification = identifyGpu({
    nodeSelector: input.nodeSelector, requiredAffinity: input.requiredAffinity, annotation: ann[ANNOTATIONS.gpu],
    configDefault: config.gpus?.default, acceleratorResource: input.accelerator?.resource, computeClass: input.computeClass,
  }, catalog);
  problems.push(...id.problems);
  const gpu = id.gpu;
  const gpusPerPod = input.accelerator?.count ?? 0;
  const groupSize = Math.max(1, input.groupSize ?? 1);
  const gpusPerReplica = input.acceleratorsPerReplica?.count ?? gpusPerPod * groupSize;
  if (gpusPerReplica <= 0) problems.push('No accelerator request (nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi) in the pod: no GPU cost.');
  if (gpu) {
    assumptions.push({ key: 'gpu', label: 'GPU', value: gpu.id, source: id.source.startsWith('annotation') ? 'annotation' : id.source.startsWith('default') ? 'config' : 'manifest',
      override: 'annotation servelint.io/gpu or gpus.default in .servelint.yaml', detail: id.source });
  }
  assumptions.push({ key: 'gpusPerReplica', label: 'GPUs per replica', value: gpusPerReplica, source: 'manifest',
    override: 'the accelerator limit in the pod spec', detail: input.acceleratorsPerReplica?.detail ?? (groupSize > 1 ? `${gpusPerPod} per pod x ${groupSize} pods (LeaderWorkerSet size)` : `${gpusPerPod} per pod`) });

  // Price per GPU-hour.
  const price = gpuPrice(input, config, id, problems, catalog);
  if (price) assumptions.push({ key: 'usdPerGpuHour', label: 'Price per GPU-hour', value: price.value, unit: '$/GPU-hr', source: price.source,
    override: `annotation ${ANNOTATIONS.pricePerGpuHour} or gpus.prices.${gpu?.id ?? '<id>'} in .servelint.yaml`, detail: price.detail });

  // Model.
  let model: ModelInfo | undefined;
  if (input.model) {
    model = identifyModel(input.model, { quantization: input.quantization, dtype: input.dtype }, extraModels.valid);
    if (model && input.modelSource) model.notes.unshift(`Model from ${input.modelSource}.`);
    if (!model) problems.push(`Model "${input.model}" is not in the model catalog and its name has no parameter count: add it under \`models\` in .servelint.yaml (id, totalParamsB) or set annotation ${ANNOTATIONS.tokensPerSecond}.`);
  } else {
    problems.push(`No model id found in the container args: set annotation ${ANNOTATIONS.tokensPerSecond} for a cost per token.`);
  }

  // Throughput.
  const tp = options.fitOnly ? undefined : estimateWorkloadThroughput(input, config, gpu ? { gpu, model, gpusPerReplica } : undefined, problems);
  if (tp) assumptions.push(...tp.assumptions);
  else if (gpusPerReplica > 0) problems.push(`No throughput estimate without both the GPU and the model: set annotation ${ANNOTATIONS.tokensPerSecond} to use a measured figure.`);

  // Utilization.
  const utilPick = pick(annotationNumber(ann, ANNOTATIONS.utilization, problems, { max: 1 }), ANNOTATIONS.utilization, config.assumptions?.utilization, 'assumptions.utilization');
  const utilization = utilPick && utilPick.value > 0 ? utilPick.value : DEFAULT_UTILIZATION;
  assumptions.push({ key: 'utilization', label: 'Average utilization', value: utilization, source: utilPick?.source ?? 'default',
    override: `annotation ${ANNOTATIONS.utilization} or config assumptions.utilization`, detail: 'share of capacity doing useful work over the day' });
  assumptions.push({ key: 'hoursPerMonth', label: 'Hours per month', value: hoursPerMonth, unit: 'h', source: 'default', override: 'not configurable (730 h = 8,760 h / 12)' });

  // Money.
  const usdPerGpuHour = price?.value ?? null;
  const perReplica = usdPerGpuHour !== null ? usdPerGpuHour * gpusPerReplica : null;
  const usdPerHour = perReplica !== null ? perReplica * input.replicas : null;
  const tps = tp?.tokensPerSecond ?? null;
  const perMillion = perReplica !== null && tps ? usdPerMillionTokens(perReplica, tps, utilization) : null;

  // Weight load and memory fit.
  const weightLoad = weightLoadEstimateOf(model, ann, config, problems);
  const gmu = input.gpuMemoryUtilization ?? config.assumptions?.gpuMemoryUtilization;
  const memoryFit = gpu && model && gpusPerReplica > 0
    ? checkMemoryFit({ weightBytes: model.weightBytes, gpusPerPod: gpusPerReplica, gpuMemoryGB: gpu.memoryGB, gpuMemoryUtilization: gmu })
    : null;
  if (memoryFit && !memoryFit.fits) {
    problems.push(`The weights (${memoryFit.weightsGB.toFixed(1)} GB) do not fit ${gpusPerReplica} x ${gpu?.id} at gpu-memory-utilization ${memoryFit.gpuMemoryUtilization} (${memoryFit.availableGB.toFixed(1)} GB).`);
  }

  const report: WorkloadCostReport = {
    gpu: { id: gpu?.id ?? null, name: gpu?.name, source: id.source, candidates: id.candidates },
    gpusPerReplica, replicas: input.replicas, replicasMin: input.hpa?.min, replicasMax: input.hpa?.max,
    usdPerGpuHour, usdPerHour, usdPerMonth: usdPerHour !== null ? usdPerHour * hoursPerMonth : null,
    tokensPerSecond: tps, tokensPerSecondSource: tp?.source ?? null, tokensPerSecondRegime: tp?.regime ?? null, utilization, usdPerMillionTokens: perMillion,
    assumptions, problems, kind: input.kind, gpusPerPod, groupSize, priceSource: price?.detail ?? null,
    usdPerHourPerReplica: perReplica, hoursPerMonth,
    model: model ? { id: model.id, input: model.input, match: model.match, totalParamsB: model.totalParamsB, activeParamsB: model.activeParamsB,
      quantization: model.quantization, bytesPerParam: model.bytesPerParam, quantizationSource: model.quantizationSource, weightBytes: model.weightBytes,
      checkpointBytes: model.checkpointBytes, checkpointNote: model.checkpointNote, notes: model.notes } : null,
    throughput: tp ? { bound: tp.bound, concurrency: tp.concurrency, notes: tp.notes } : null,
    weightLoad, memoryFit,
  };
  if (options.fitOnly) return report;
  // Only for NVIDIA requests: an AMD, Gaudi, TPU or Trainium request names its accelerator family, and these are NVIDIA GPUs.
  if (!gpu && model && gpusPerReplica > 0 && !tp && input.accelerator?.resource === 'nvidia.com/gpu') {
    const whatIf = whatIfFigures(input, config, catalog, model, gpusPerReplica, utilization);
    if (whatIf.length) {
      report.whatIf = whatIf;
      problems.push(`No GPU named: what-if ${whatIf.map((w) => `on ${w.gpu} $${w.usdPerMillionTokens.toFixed(2)}`).join(', ')} / 1M tokens ` +
        '(catalog list prices; set annotation servelint.io/gpu or gpus.default for one figure).');
    }
  }
  if (perReplica !== null && input.hpa) report.usdPerHourRange = { min: perReplica * input.hpa.min, max: perReplica * input.hpa.max };
  addRolloutCosts(report, input.rollout, weightLoad, assumptions);
  if (config.hostedApi && usdPerHour !== null) {
    const inTok = config.assumptions?.inputTokensPerRequest ?? DEFAULT_INPUT_TOKENS;
    const outTok = annotationNumber(ann, ANNOTATIONS.outputTokens, []) ?? DEFAULT_OUTPUT_TOKENS;
    report.hostedApi = compareHostedApi({ price: config.hostedApi, fleetUsdPerHour: usdPerHour, inputTokensPerRequest: inTok, outputTokensPerRequest: outTok,
      fleetTokensPerSecond: tps !== null ? tps * input.replicas : null, utilization });
  }
  return report;
}

/** Reference GPUs for the what-if figure of a workload that names no GPU, smallest first. */
export const WHAT_IF_GPUS = ['L4', 'A100-SXM-80GB', 'H100-SXM'];

/**
 * What-if figures already computed, per config, by everything they are computed from: a fleet deploys the same
 * model with the same flags many times, and each figure runs the throughput model once per reference GPU.
 */
const whatIfMemo = new WeakMap<object, Map<string, WhatIfFigure[]>>();
const WHAT_IF_MEMO_ENTRIES = 512;

/** $/1M tokens on each reference GPU the model fits (at the manifest's GPUs per replica), at catalog prices. */
function whatIfFigures(input: CostInput, config: ServelintConfig, catalog: ReturnType<typeof buildGpuCatalog>, model: ModelInfo,
  gpusPerReplica: number, utilization: number): WhatIfFigure[] {
  const ann = input.annotations ?? {};
  // Every input estimateWorkloadThroughput reads (the model is the catalog's for its id, quantization and size).
  const key = JSON.stringify([model.input, model.id, model.match, model.quantization, model.bytesPerParam, model.weightBytes, model.kvBytesPerTokenBf16,
    gpusPerReplica, utilization, ann[ANNOTATIONS.tokensPerSecond], ann[ANNOTATIONS.inputTokens], ann[ANNOTATIONS.outputTokens], ann[ANNOTATIONS.concurrency],
    input.tensorParallelSize, input.pipelineParallelSize, input.maxNumSeqs, input.maxNumSeqsFlag, input.kvCacheDtype, input.gpuMemoryUtilization,
    input.engine, input.engineVersion, input.kvCacheFreeMemoryFraction, input.attentionDataParallel, input.maxModelLen]);
  let memo = whatIfMemo.get(config);
  if (!memo) whatIfMemo.set(config, (memo = new Map()));
  let figures = memo.get(key);
  if (!figures) {
    figures = computeWhatIf(input, config, catalog, model, gpusPerReplica, utilization);
    if (memo.size >= WHAT_IF_MEMO_ENTRIES) memo.delete(memo.keys().next().value!);
    memo.set(key, figures);
  }
  return figures.map((f) => Object.assign({}, f));
}

function computeWhatIf(input: CostInput, config: ServelintConfig, catalog: ReturnType<typeof buildGpuCatalog>, model: ModelInfo,
  gpusPerReplica: number, utilization: number): WhatIfFigure[] {
  const out: WhatIfFigure[] = [];
  for (const id of WHAT_IF_GPUS) {
    const g = findGpuById(id, catalog);
    const price = g?.usdPerGpuHour;
    if (!g || price === null || price === undefined) continue;
    const est = estimateWorkloadThroughput(input, config, { gpu: g, model, gpusPerReplica }, []);
    if (!est || est.tokensPerSecond <= 0) continue;
    const perMillion = usdPerMillionTokens(price * gpusPerReplica, est.tokensPerSecond, utilization);
    if (perMillion !== null) out.push({ gpu: g.id, usdPerGpuHour: price, tokensPerSecond: est.tokensPerSecond, usdPerMillionTokens: perMillion });
  }
  return out;
}

/** gpus.provider default: one provider's list prices, so that GPUs are compared on the same cloud. */
export const DEFAULT_PROVIDER = 'aws';

/** The provider's cheapest priced instance type for a GPU (by $/GPU-hr). */
function providerPrice(catalog: GpuCatalog, gpuId: string, provider: string): InstanceTypeSpec & { usdPerHour: number } | undefined {
  let best: (InstanceTypeSpec & { usdPerHour: number }) | undefined;
  for (const t of catalog.instanceTypes) {
    if (t.provider !== provider || t.gpu !== gpuId || t.usdPerHour === null) continue;
    if (!best || t.usdPerHour / t.count < best.usdPerHour / best.count) best = t as InstanceTypeSpec & { usdPerHour: number };
  }
  return best;
}

function gpuPrice(input: CostInput, config: ServelintConfig, id: GpuIdentification, problems: string[], catalog: GpuCatalog):
  { value: number; source: Assumption['source']; detail: string } | undefined {
  const ann = annotationNumber(input.annotations, ANNOTATIONS.pricePerGpuHour, problems);
  if (ann !== undefined) return { value: ann, source: 'annotation', detail: `annotation ${ANNOTATIONS.pricePerGpuHour}` };
  const gpu = id.gpu;
  if (!gpu) return undefined;
  const prices = config.gpus?.prices ?? {};
  const key = Object.keys(prices).find((k) => k.toLowerCase() === gpu.id.toLowerCase());
  if (key !== undefined && typeof prices[key] === 'number') return { value: prices[key], source: 'config', detail: `config gpus.prices.${key}` };
  const it = id.instanceType;
  const provider = config.gpus?.provider ?? DEFAULT_PROVIDER;
  if (!it || it.usdPerHour === null || it.provider !== provider) {
    const p = providerPrice(catalog, gpu.id, provider);
    if (p) {
      return { value: p.usdPerHour / p.count, source: 'catalog',
        detail: `${provider} ${p.name} $${p.usdPerHour}/hr / ${p.count} GPU${p.count === 1 ? '' : 's'} (cheapest ${provider} instance type${p.region ? `, ${p.region}` : ''}, on-demand${p.priceAsOf ? `, as of ${p.priceAsOf}` : ''})` };
    }
  }
  if (it && it.usdPerHour !== null) {
    return { value: it.usdPerHour / it.count, source: 'catalog',
      detail: `${it.name} $${it.usdPerHour}/hr / ${it.count} GPUs (${it.priceSource ?? 'catalog'}${it.region ? `, ${it.region}` : ''}${it.priceAsOf ? `, as of ${it.priceAsOf}` : ''})` };
  }
  if (gpu.usdPerGpuHour !== null && gpu.usdPerGpuHour !== undefined) {
    const unverified = gpu.priceVerified === false ? ' (UNVERIFIED)' : '';
    return { value: gpu.usdPerGpuHour, source: 'catalog',
      detail: `${gpu.priceSource ?? 'catalog default'}${gpu.priceAsOf ? `, as of ${gpu.priceAsOf}` : ''}${unverified}; no ${provider} price for ${gpu.id}, so not on gpus.provider's prices` };
  }
  problems.push(`No price for ${gpu.id} in the catalog: set gpus.prices.${gpu.id} in .servelint.yaml or annotation ${ANNOTATIONS.pricePerGpuHour}.`);
  return undefined;
}

function estimateWorkloadThroughput(
  input: CostInput, config: ServelintConfig, ctx: { gpu: NonNullable<GpuIdentification['gpu']>; model?: ModelInfo; gpusPerReplica: number } | undefined,
  problems: string[],
): ThroughputEstimate | undefined {
  const ann = input.annotations ?? {};
  const measuredAnn = annotationNumber(ann, ANNOTATIONS.tokensPerSecond, problems);
  const measuredCfg = configTokensPerSecond(config);
  const measured = measuredAnn !== undefined && measuredAnn > 0
    ? { value: measuredAnn, source: 'annotation' as const, override: `annotation ${ANNOTATIONS.tokensPerSecond}` }
    : measuredCfg !== undefined ? { value: measuredCfg, source: 'config' as const, override: 'config assumptions.tokensPerSecond' } : undefined;
  if (measured) return estimateThroughput(undefined, { measured });
  if (!ctx || !ctx.model || ctx.gpusPerReplica <= 0) return undefined;
  const parallel = (input.tensorParallelSize ?? 0) * (input.pipelineParallelSize ?? 1);
  const gpus = parallel > 0 && parallel <= ctx.gpusPerReplica ? parallel : ctx.gpusPerReplica;
  const inPick = pick(annotationNumber(ann, ANNOTATIONS.inputTokens, problems), ANNOTATIONS.inputTokens, config.assumptions?.inputTokensPerRequest, 'assumptions.inputTokensPerRequest');
  const outAnn = annotationNumber(ann, ANNOTATIONS.outputTokens, problems);
  const concAnn = annotationNumber(ann, ANNOTATIONS.concurrency, problems);
  const conc = pick(concAnn, ANNOTATIONS.concurrency, undefined, '', input.maxNumSeqs, input.maxNumSeqsFlag ?? '--max-num-seqs');
  const kvBytes = input.kvCacheDtype && /fp8|int8/i.test(input.kvCacheDtype) ? 1 : 2;
  const params: ThroughputParams = {
    gpu: ctx.gpu, gpus, model: ctx.model, kvBytesPerValue: kvBytes,
    inputTokens: inPick?.value, outputTokens: outAnn ?? DEFAULT_OUTPUT_TOKENS, maxConcurrency: conc?.value,
    gpuMemoryUtilization: input.gpuMemoryUtilization ?? config.assumptions?.gpuMemoryUtilization,
    engine: input.engine, engineVersion: input.engineVersion, kvCacheFreeMemoryFraction: input.kvCacheFreeMemoryFraction, attentionDataParallel: input.attentionDataParallel,
  };
  const est = estimateThroughput(params, {
    concurrencySource: conc ? { source: conc.source, detail: `capped at ${conc.value} by ${conc.from}` } : undefined,
    inputSource: inPick?.source, outputSource: outAnn !== undefined ? 'annotation' : 'default',
  });
  if (est && gpus < ctx.gpusPerReplica) est.notes.push(`Tensor x pipeline parallel = ${gpus}, but the replica has ${ctx.gpusPerReplica} GPUs: the estimate uses ${gpus}; the others are paid for but idle.`);
  if (est && input.maxModelLen && (params.inputTokens ?? DEFAULT_INPUT_TOKENS) + (params.outputTokens ?? DEFAULT_OUTPUT_TOKENS) > input.maxModelLen) {
    est.notes.push(`Assumed input + output tokens exceed --max-model-len ${input.maxModelLen}.`);
  }
  if (est && est.tokensPerSecond <= 0) problems.push(`The model's weights leave no KV-cache room on ${gpus} x ${ctx.gpu.id}: no throughput.`);
  return est;
}

/**
 * The model and its weight-load estimate alone, as computeWorkloadCost reports them (the same functions), without
 * the GPU, throughput and prices: the rules that need a new replica's load time ask for this, so an editor's
 * diagnostics do not run the throughput model for every workload (the cost report is computed when shown).
 */
export function modelWeightLoad(
  input: Pick<CostInput, 'model' | 'quantization' | 'dtype' | 'annotations'>,
  config: ServelintConfig = {},
): { model: ModelInfo; weightLoad: WeightLoadEstimate } | undefined {
  if (!input.model) return undefined;
  const model = identifyModel(input.model, { quantization: input.quantization, dtype: input.dtype }, validateModelEntries(config.models).valid);
  return model ? { model, weightLoad: weightLoadEstimateOf(model, input.annotations ?? {}, config, []) } : undefined;
}

function weightLoadEstimateOf(model: ModelInfo | undefined, ann: Record<string, string>, config: ServelintConfig, problems: string[]): WeightLoadEstimate {
  const secAnn = annotationNumber(ann, ANNOTATIONS.weightLoadSeconds, problems);
  const gbpsAnn = annotationNumber(ann, ANNOTATIONS.weightLoadGbps, problems);
  const a = config.assumptions ?? {};
  return estimateWeightLoad(model, {
    seconds: secAnn ?? a.weightLoadSeconds, secondsSource: secAnn !== undefined ? 'annotation' : 'config',
    gbps: gbpsAnn ?? a.weightLoadGbps, gbpsSource: gbpsAnn !== undefined ? 'annotation' : 'config',
    startupSeconds: a.startupSeconds, startupSource: 'config',
  });
}

/**
 * The report with the rollout's costs (surge GPUs, blue-green cutover) added, computed from a report made without
 * them: the cost model runs once per workload, and the rollout (which needs the weight-load estimate) after it.
 */
export function withRolloutCosts(report: WorkloadCostReport, rollout: CostInput['rollout']): WorkloadCostReport {
  if (!rollout) return report;
  const { hostedApi, ...rest } = report;
  const copy: WorkloadCostReport = Object.assign({}, rest, { assumptions: [...report.assumptions] });
  addRolloutCosts(copy, rollout, copy.weightLoad, copy.assumptions);
  // Same field order as a report computed with the rollout in its input.
  if (hostedApi) copy.hostedApi = hostedApi;
  return copy;
}

function addRolloutCosts(report: WorkloadCostReport, r: CostInput['rollout'], weightLoad: WeightLoadEstimate, assumptions: Assumption[]): void {
  const price = report.usdPerGpuHour;
  if (!r || price === null) return;
  const out: NonNullable<WorkloadCostReport['rollout']> = {};
  if (r.strategy === 'blue-green') {
    const seconds = r.cutoverSeconds ?? r.rolloutSeconds ?? weightLoad.seconds;
    out.cutoverSeconds = seconds;
    out.cutoverUsd = blueGreenCutoverCost(report.usdPerHour ?? 0, seconds);
    assumptions.push({ key: 'cutoverSeconds', label: 'Blue-green cutover (both fleets running)', value: Math.round(seconds), unit: 's',
      source: r.cutoverSeconds !== undefined || r.rolloutSeconds !== undefined ? 'manifest' : 'estimate',
      override: 'annotation servelint.io/weight-load-seconds (the green fleet must load its weights)' });
  } else if (r.surgeReplicas && r.surgeReplicas > 0 && r.rolloutSeconds) {
    out.surgeGpus = r.surgeReplicas * report.gpusPerReplica;
    out.surgeUsd = rolloutSurgeCost(out.surgeGpus, r.rolloutSeconds, price);
  }
  report.rollout = out;
}

