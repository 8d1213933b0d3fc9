/**
 * Output tokens/s per replica: a decode roofline (memory-bandwidth bound, capped by compute) plus prefill time.
 * See docs/cost-model.md for the formula and its calibration against published measurements.
 */
import type { Assumption } from '../types';
import { kvBytesPerToken } from './models';
import type { GpuSpec, ModelInfo, ThroughputEstimate } from './types';

/** Achieved / peak memory bandwidth during decode. gpt-fast Llama-2-7B on A100 reaches ~0.68 (facts 4); 0.6-0.8 typical. */
export const DEFAULT_MBU = 0.7;
/** Achieved / peak dense TFLOPS for compute-bound work (prefill, large decode batches). Estimate. */
export const DEFAULT_MFU = 0.5;
/** Efficiency per doubling of model-parallel GPUs (all-reduce / pipeline overhead). Estimate. */
export const PARALLEL_EFFICIENCY_PER_DOUBLING = 0.9;
/** GPU memory kept back from the KV cache per GPU for activations, CUDA graphs and the runtime. Estimate. */
export const RUNTIME_RESERVE_GB_PER_GPU = 2;
/** vLLM's long-standing --max-num-seqs default (newer versions may use more on large GPUs). */
export const DEFAULT_MAX_CONCURRENCY = 256;
export const DEFAULT_INPUT_TOKENS = 1000;
export const DEFAULT_OUTPUT_TOKENS = 500;
export const DEFAULT_GPU_MEMORY_UTILIZATION = 0.9;

export interface ThroughputParams {
  gpu: GpuSpec;
  /** GPUs that hold one copy of the model (tensor x pipeline parallel). */
  gpus: number;
  model: ModelInfo;
  /** Bytes per KV-cache value: 2 (BF16/FP16, the vLLM default) or 1 (--kv-cache-dtype fp8). */
  kvBytesPerValue?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Cap on concurrent sequences (--max-num-seqs); Infinity = unbounded (saturation benchmarks). */
  maxConcurrency?: number;
  gpuMemoryUtilization?: number;
  mbu?: number;
  mfu?: number;
  /** Serving engine ('vllm', 'sglang', 'tensorrt-llm', ...): its scheduler's default cap on concurrent sequences applies. */
  engine?: string;
  /** TensorRT-LLM: KV cache = this share of the memory left after weights and runtime (replaces gpuMemoryUtilization). */
  kvCacheFreeMemoryFraction?: number;
}

export interface ThroughputBreakdown {
  kvBudgetGB: number;
  kvBytesPerSequence: number;
  kvEstimated: boolean;
  concurrency: number;
  concurrencyBound: 'kv-cache memory' | 'max concurrency';
  stepMemorySeconds: number;
  stepComputeSeconds: number | null;
  prefillSecondsPerRequest: number | null;
  parallelEfficiency: number;
  peakTflops: number | null;
  peakTflopsKind: string;
  mbu: number;
  mfu: number;
  /** False when the GPU's vendor has no calibration rows (NVIDIA's efficiencies are used). */
  calibrated: boolean;
}

/** Dense peak TFLOPS for the weight format: FP8 tensor cores for FP8/INT8 weights when known, else BF16, else FP16. */
export function peakTflops(gpu: GpuSpec, bytesPerParam: number): { tflops: number | null; kind: string } {
  // FP4 weights (NVFP4 4.5 bits, MXFP4 4.25 bits) run on FP4 tensor cores where the GPU has them.
  if (bytesPerParam <= 0.6 && gpu.fp4Tflops) return { tflops: gpu.fp4Tflops, kind: 'FP4' };
  if (bytesPerParam === 1 && gpu.fp8Tflops) return { tflops: gpu.fp8Tflops, kind: 'FP8' };
  if (gpu.bf16Tflops) return { tflops: gpu.bf16Tflops, kind: 'BF16' };
  if (gpu.fp16Tflops) return { tflops: gpu.fp16Tflops, kind: 'FP16' };
  return { tflops: null, kind: 'unknown' };
}

/**
 * Default caps on concurrent sequences by serving engine, when the manifest sets none. Sources:
 * - vLLM: vllm-project/vllm vllm/engine/arg_utils.py EngineArgs.get_batch_defaults (V1 engine, 0.10-0.11): max_num_seqs
 *   1024 when the device has >= 70 GiB and is not an A100 ("For GPUs like H100 and MI300x"), else 256 (256 was the
 *   only default in the V0 engine).
 * - SGLang: max_running_requests is derived from the KV-cache pool (request pool capped at 4096), so KV memory binds.
 * - TensorRT-LLM / NIM: trtllm-serve --max_batch_size defaults to BuildConfig.max_batch_size (2048; the click option was
 *   checked, the 2048 in BuildConfig was not re-checked at a pinned commit).
 * - gpt-fast: one sequence.
 */
const SCHEDULER_DEFAULTS: Record<string, (gpu: GpuSpec) => { value: number; detail: string }> = {
  vllm: (gpu) => gpu.memoryGB * 1e9 >= 70 * 2 ** 30 && !/A100/i.test(gpu.id)
    ? { value: 1024, detail: 'vLLM V1 default --max-num-seqs 1024 (GPUs with >= 70 GiB other than A100)' }
    : { value: 256, detail: 'vLLM default --max-num-seqs 256' },
  sglang: () => ({ value: 4096, detail: 'SGLang sizes --max-running-requests from the KV-cache pool (at most 4096)' }),
  'tensorrt-llm': () => ({ value: 2048, detail: 'TensorRT-LLM default --max_batch_size 2048' }),
  'gpt-fast': () => ({ value: 1, detail: 'gpt-fast generates one sequence' }),
};
SCHEDULER_DEFAULTS.nim = SCHEDULER_DEFAULTS['tensorrt-llm'];

/** The engine scheduler's default cap on concurrent sequences; an unknown engine gets 256. */
export function engineMaxConcurrency(engine: string | undefined, gpu: GpuSpec): { value: number; detail: string } {
  const f = engine !== undefined ? SCHEDULER_DEFAULTS[engine] : undefined;
  return f ? f(gpu) : { value: DEFAULT_MAX_CONCURRENCY, detail: `default cap ${DEFAULT_MAX_CONCURRENCY} (vLLM --max-num-seqs on GPUs under 70 GiB)` };
}

/**
 * Fitted efficiency figures (docs/cost-model.md, "Calibration"): chosen on the fit rows of server/data/calibration.json,
 * never on the held-out rows. A vendor without calibration rows uses NVIDIA's and is reported as uncalibrated.
 */
export interface Efficiency {
  /** Achieved / peak memory bandwidth during decode. */
  mbu: number;
  /** Achieved / peak dense TFLOPS for prefill and compute-bound decode. */
  mfu: number;
  /** Calibrated against published measurements on this vendor's hardware. */
  calibrated: boolean;
}
export const VENDOR_EFFICIENCY: Record<string, Efficiency> = {
  nvidia: { mbu: DEFAULT_MBU, mfu: DEFAULT_MFU, calibrated: true },
  amd: { mbu: 0.55, mfu: 0.2, calibrated: true },
  intel: { mbu: 0.5, mfu: 0.25, calibrated: true },
};
export interface Tuning {
  /**
   * Multiplies MFU for mixture-of-experts models (grouped GEMMs over small per-expert batches). A tokens-per-expert
   * form n / (n + K) (n = sequences x experts per token / experts, from the catalog) fitted worse than this flat factor.
   */
  moeComputeEfficiency: number;
  /** All-reduce latency per decode step when G > 1: seconds per layer per doubling of G. */
  perLayerStepSeconds: number;
}
export const TUNING: Tuning = { moeComputeEfficiency: 0.2, perLayerStepSeconds: 20e-6 };

/**
 * GPUs with rows in server/data/calibration.json, and the same chip in another form factor (H100 PCIe/NVL, A100
 * variants, MI325X = MI300X's CDNA 3). Other GPUs use their vendor's figures and are reported as uncalibrated.
 */
export const CALIBRATED_GPUS = new Set(['H100-SXM', 'H100-PCIe', 'H100-NVL', 'H200', 'B200', 'A100-SXM-80GB', 'A100-SXM-40GB', 'A100-PCIe-80GB',
  'A100-PCIe-40GB', 'L40S', 'MI250X', 'MI300X', 'MI325X', 'Gaudi2', 'Gaudi3']);

export function vendorEfficiency(gpu: GpuSpec): Efficiency {
  const v = VENDOR_EFFICIENCY[gpu.vendor ?? 'nvidia'];
  return v ? { ...v, calibrated: v.calibrated && CALIBRATED_GPUS.has(gpu.id) } : { ...VENDOR_EFFICIENCY.nvidia, calibrated: false };
}

/** The roofline estimate with its intermediate figures. */
export function estimateThroughputDetailed(p: ThroughputParams & { tuning?: Partial<Tuning> }): { tokensPerSecond: number; bound: 'memory-bandwidth' | 'compute'; breakdown: ThroughputBreakdown; notes: string[] } {
  const notes: string[] = [];
  const t: Tuning = { ...TUNING, ...p.tuning };
  const gpus = Math.max(1, p.gpus);
  const inTok = p.inputTokens ?? DEFAULT_INPUT_TOKENS;
  const outTok = Math.max(1, p.outputTokens ?? DEFAULT_OUTPUT_TOKENS);
  const ve = vendorEfficiency(p.gpu);
  const mbu = p.mbu ?? ve.mbu;
  const moe = p.model.activeParamsB < p.model.totalParamsB;
  const gmu = p.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  const kvBytes = p.kvBytesPerValue ?? 2;
  const eff = Math.pow(PARALLEL_EFFICIENCY_PER_DOUBLING, Math.log2(gpus));

  let kvPerToken = kvBytesPerToken(p.model.spec, kvBytes);
  const kvEstimated = kvPerToken === undefined;
  if (kvPerToken === undefined) {
    // Architecture unknown: ~40 kB x sqrt(params in B) per token at 2 bytes (fits Llama-3 8B/70B GQA within ~15%).
    kvPerToken = 40e3 * Math.sqrt(p.model.totalParamsB) * (kvBytes / 2);
    notes.push('KV-cache size per token estimated from the parameter count (architecture not in the catalog).');
  }
  const kvPerSeq = kvPerToken * (inTok + outTok / 2);
  const kvBudget = p.kvCacheFreeMemoryFraction
    ? (gpus * p.gpu.memoryGB * 1e9 - p.model.weightBytes - gpus * RUNTIME_RESERVE_GB_PER_GPU * 1e9) * p.kvCacheFreeMemoryFraction
    : gpus * p.gpu.memoryGB * 1e9 * gmu - p.model.weightBytes - gpus * RUNTIME_RESERVE_GB_PER_GPU * 1e9;
  const memBound = Math.max(0, Math.floor(kvBudget / kvPerSeq));
  const cap = p.maxConcurrency ?? engineMaxConcurrency(p.engine, p.gpu).value;
  const concurrency = Math.min(memBound, cap);
  const mfu = (p.mfu ?? ve.mfu) * (moe ? t.moeComputeEfficiency : 1);
  const { tflops, kind } = peakTflops(p.gpu, p.model.bytesPerParam);
  const activeWeightBytes = p.model.activeParamsB * 1e9 * p.model.bytesPerParam;
  const flopsPerToken = 2 * p.model.activeParamsB * 1e9;
  const bandwidth = p.gpu.memoryBandwidthTBs * 1e12 * gpus * mbu * eff;
  const compute = tflops ? tflops * 1e12 * gpus * mfu * eff : null;

  const breakdownBase = {
    kvBudgetGB: Math.max(0, kvBudget / 1e9), kvBytesPerSequence: kvPerSeq, kvEstimated, concurrency,
    concurrencyBound: (memBound <= cap ? 'kv-cache memory' : 'max concurrency') as ThroughputBreakdown['concurrencyBound'],
    parallelEfficiency: eff, peakTflops: tflops, peakTflopsKind: kind, mbu, mfu, calibrated: ve.calibrated,
  };
  if (concurrency < 1) {
    notes.push('The weights leave no room for a single sequence of KV cache: the model does not fit these GPUs.');
    return { tokensPerSecond: 0, bound: 'memory-bandwidth', notes,
      breakdown: { ...breakdownBase, stepMemorySeconds: 0, stepComputeSeconds: null, prefillSecondsPerRequest: null } };
  }
  // Mixture of experts: one token reads the active share r of the weights, but a step of B sequences reads every
  // expert any of them routes to: ~1 − (1 − r)^B of the weights (routing taken as uniform and independent).
  const totalWeightBytes = p.model.totalParamsB * 1e9 * p.model.bytesPerParam;
  const touched = moe ? 1 - Math.pow(1 - p.model.activeParamsB / p.model.totalParamsB, concurrency) : 1;
  const stepWeightBytes = moe ? Math.max(activeWeightBytes, totalWeightBytes * touched) : activeWeightBytes;
  const stepMem = (stepWeightBytes + concurrency * kvPerSeq) / bandwidth;
  const stepComp = compute ? (concurrency * flopsPerToken) / compute : null;
  const layers = p.model.spec.layers ?? 32;
  const overhead = (gpus > 1 ? layers * t.perLayerStepSeconds * Math.log2(gpus) : 0);
  const step = Math.max(stepMem, stepComp ?? 0) + overhead;
  const prefill = compute ? (inTok * flopsPerToken) / compute : null;
  if (!compute) notes.push(`${p.gpu.id} has no published TFLOPS in the catalog: no compute cap and no prefill time (optimistic).`);
  if (moe) {
    notes.push(`Mixture of experts: ${p.model.activeParamsB}B of ${p.model.totalParamsB}B parameters are active per token, but a decode step of ` +
      `${concurrency} sequence${concurrency === 1 ? "" : "s"} reads ~${Math.round(touched * 100)}% of the weights (the experts any of them routes to, routing taken as uniform).`);
  }
  const secondsPerOutputToken = step / concurrency + (prefill ?? 0) / outTok;
  return {
    tokensPerSecond: 1 / secondsPerOutputToken,
    bound: stepComp !== null && stepComp > stepMem ? 'compute' : 'memory-bandwidth',
    notes,
    breakdown: { ...breakdownBase, stepMemorySeconds: stepMem, stepComputeSeconds: stepComp, prefillSecondsPerRequest: prefill },
  };
}

export interface ThroughputOverrides {
  /** Measured tokens/s (annotation servelint.io/tokens-per-second or config). */
  measured?: { value: number; source: 'annotation' | 'config'; override: string };
  /** Where maxConcurrency came from, for the assumption text. */
  concurrencySource?: { source: Assumption['source']; detail: string };
  inputSource?: Assumption['source'];
  outputSource?: Assumption['source'];
}

/** Measured throughput wins; otherwise the estimate, with every assumption named. */
export function estimateThroughput(p: ThroughputParams | undefined, o: ThroughputOverrides = {}): ThroughputEstimate | undefined {
  if (o.measured && o.measured.value > 0) {
    return {
      tokensPerSecond: o.measured.value, source: 'measured', bound: 'measured', notes: [],
      assumptions: [{ key: 'tokensPerSecond', label: 'Output tokens/s per replica (measured)', value: o.measured.value, unit: 'tok/s',
        source: o.measured.source, override: o.measured.override }],
    };
  }
  if (!p) return undefined;
  const r = estimateThroughputDetailed(p);
  const b = r.breakdown;
  const how = 'annotation servelint.io/tokens-per-second (a measured figure replaces the whole estimate)';
  const assumptions: Assumption[] = [
    { key: 'mbu', label: 'Achieved memory bandwidth (MBU)', value: b.mbu, source: 'default', override: how,
      detail: `${p.gpu.vendor ?? 'nvidia'} figure${b.calibrated ? ', fitted on published measurements (docs/cost-model.md)' : ' (uncalibrated: NVIDIA\'s)'}` },
    { key: 'mfu', label: 'Achieved compute (MFU) for prefill and large batches', value: round(b.mfu, 3), source: 'estimate', override: how,
      detail: p.model.activeParamsB < p.model.totalParamsB ? `mixture of experts: x ${TUNING.moeComputeEfficiency} for grouped expert GEMMs over small per-expert batches` : undefined },
    { key: 'parallelEfficiency', label: `Parallel efficiency over ${p.gpus} GPUs`, value: round(b.parallelEfficiency, 3), source: 'estimate', override: how,
      detail: `${PARALLEL_EFFICIENCY_PER_DOUBLING} per doubling of tensor/pipeline-parallel GPUs` },
    { key: 'inputTokens', label: 'Input tokens per request', value: p.inputTokens ?? DEFAULT_INPUT_TOKENS, unit: 'tokens',
      source: o.inputSource ?? 'default', override: 'annotation servelint.io/input-tokens or config assumptions.inputTokensPerRequest' },
    { key: 'outputTokens', label: 'Output tokens per request', value: p.outputTokens ?? DEFAULT_OUTPUT_TOKENS, unit: 'tokens',
      source: o.outputSource ?? 'default', override: 'annotation servelint.io/output-tokens' },
    { key: 'kvBytesPerValue', label: 'KV-cache bytes per value', value: p.kvBytesPerValue ?? 2, unit: 'bytes', source: p.kvBytesPerValue === 1 ? 'args' : 'default',
      override: 'flag --kv-cache-dtype fp8' },
    { key: 'concurrency', label: 'Concurrent sequences per replica', value: b.concurrency, source: o.concurrencySource?.source ?? 'estimate',
      override: 'flag --max-num-seqs or annotation servelint.io/concurrency',
      detail: b.concurrencyBound === 'kv-cache memory'
        ? b.kvBudgetGB > 0
          ? `limited by KV-cache memory: ${round(b.kvBudgetGB, 1)} GB / ${round(b.kvBytesPerSequence / 1e6, 1)} MB per sequence`
          : 'no KV-cache memory left: the weights and runtime take all of it'
        : (o.concurrencySource?.detail ?? engineMaxConcurrency(p.engine, p.gpu).detail) },
    { key: 'runtimeReserve', label: 'Memory kept for activations and runtime', value: RUNTIME_RESERVE_GB_PER_GPU, unit: 'GB/GPU', source: 'estimate', override: how },
  ];
  const regime = regimeLabel(b.concurrency, b.concurrencyBound, o.concurrencySource?.source === 'annotation', p.inputTokens ?? DEFAULT_INPUT_TOKENS, p.outputTokens ?? DEFAULT_OUTPUT_TOKENS) +
    (b.calibrated ? '' : `, ${p.gpu.id} uncalibrated`);
  assumptions.push({ key: 'regime', label: 'Regime of the estimate', value: regime, source: o.concurrencySource?.source ?? 'estimate',
    override: 'annotations servelint.io/concurrency, servelint.io/input-tokens, servelint.io/output-tokens' });
  if (!b.calibrated) {
    assumptions.push({ key: 'calibration', label: 'Calibration', value: 'uncalibrated', source: 'estimate', override: how,
      detail: `no published measurements on ${p.gpu.id} in the calibration set: ${VENDOR_EFFICIENCY[p.gpu.vendor ?? ''] ? `${p.gpu.vendor}'s` : 'NVIDIA\'s'} efficiencies (MBU ${b.mbu}, MFU ${round(b.mfu, 3)}) are used` });
  }
  return { tokensPerSecond: r.tokensPerSecond, source: 'estimated', bound: r.bound, concurrency: b.concurrency, regime, assumptions, notes: r.notes };
}

/** 'saturated, 256 seqs, 1000 in / 500 out', '1 user, 1000 in / 500 out' or '50 concurrent, ...' (set by annotation). */
export function regimeLabel(concurrency: number, bound: ThroughputBreakdown['concurrencyBound'], fromAnnotation: boolean, inTok: number, outTok: number): string {
  const lengths = `${inTok} in / ${outTok} out`;
  if (concurrency === 1) return `1 user, ${lengths}`;
  if (fromAnnotation && bound === 'max concurrency') return `${concurrency} concurrent, ${lengths}`;
  return `saturated, ${concurrency} seqs${bound === 'kv-cache memory' ? ' (KV-cache bound)' : ''}, ${lengths}`;
}

export function round(x: number, digits = 2): number {
  const f = Math.pow(10, digits);
  return Math.round(x * f) / f;
}
