/**
 * The cost of one decode step and one prefill on a given GPU, model and engine: the roofline (memory bandwidth,
 * compute), KV-cache room and copies, mixture-of-experts weight reads and GEMM efficiency, tensor-parallel all-reduce.
 * Shared by the steady-state estimate and the finite-run simulation in throughput.ts; see docs/cost-model.md.
 */
import { kvBytesPerToken } from './models';
import type { GpuSpec, ModelInfo } from './types';
import { moeKernelPath } from './moe-kernels';

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
  /** Data-parallel attention (SGLang --enable-dp-attention): each GPU attends over its own sequences, no KV copies. */
  attentionDataParallel?: boolean;
  /** The engine's version ('v1.0.0', '1.2.0rc1', from the image tag): some kernel defaults depend on it. */
  engineVersion?: string;
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
 * - SGLang: with --max-running-requests unset the request pool is sized from the KV-cache pool and capped at 4096, so KV
 *   memory binds: sgl-project/sglang python/sglang/srt/model_executor/model_runner_kv_cache_mixin.py @ 226149ac
 *   (init_memory_pool: "max_num_reqs = min(max(int(self.max_total_num_tokens / self.model_config.context_len * 512), 2048),
 *   4096)"); the scheduler's max_running_requests is further capped by max_total_num_tokens // 2 (seen in several stored
 *   versions of the model runner / scheduler; not pinned at a commit).
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
   * Mixture of experts: tokens per expert at which the grouped expert GEMMs reach half the dense MFU (efficiency
   * n / (n + K), n = tokens in the forward pass x experts per token / experts). Decode steps of a few hundred
   * sequences give each expert a few dozen rows; a prefill chunk of 8,192 tokens gives it hundreds.
   */
  moeTokensPerExpertHalf: number;
  /** Mixture of experts: the grouped expert GEMMs' efficiency relative to a dense GEMM of as many rows (the ceiling of n / (n + K)). */
  moeExpertEfficiency: number;
  /** All-reduce latency per decode step when G > 1: seconds per layer per doubling of G. */
  perLayerStepSeconds: number;
  /**
   * Mixture of experts: fixed seconds per layer per decode step for routing, top-k, token permutation and the grouped
   * GEMM launches, whatever the batch (small-batch DeepSeek-R1 steps take 13-30 ms against a ~5 ms weight read).
   */
  moeLayerStepSeconds: number;
  /**
   * TensorRT-LLM before 1.3 with MXFP4 expert weights on Hopper: its default CUTLASS MoE backend (BF16 activations x
   * MXFP4 weights) relative to the expert GEMMs of other engines (see moeKernelPath).
   */
  trtllmHopperMxfp4MoeEfficiency: number;
}
export const TUNING: Tuning = { moeTokensPerExpertHalf: 8, moeExpertEfficiency: 0.5, perLayerStepSeconds: 20e-6, moeLayerStepSeconds: 100e-6,
  trtllmHopperMxfp4MoeEfficiency: 0.12 };

/**
 * Mixture of experts: the routed experts' share of the active parameters and the fraction k / E of experts a token
 * uses. total = D + E x e, active = D + k x e, so routed active k x e = k x (total − active) / (E − k). Without E and k in
 * the catalog, the whole active part is taken as routed with k / E = active / total.
 */
export function moeSplit(model: ModelInfo): { routedActiveB: number; expertFraction: number } {
  const { totalParamsB: total, activeParamsB: active } = model;
  if (active >= total) return { routedActiveB: 0, expertFraction: 1 };
  const e = model.spec.experts;
  const k = model.spec.expertsPerToken;
  if (e && k && e > k) return { routedActiveB: Math.min(active, (k * (total - active)) / (e - k)), expertFraction: k / e };
  return { routedActiveB: active, expertFraction: active / total };
}

/**
 * Prompt tokens per prefill forward pass (the scheduler's token budget), which sets the rows per expert in prefill:
 * - vLLM V1's OpenAI server default --max-num-batched-tokens is 8,192 on GPUs with >= 70 GiB other than A100, else 2,048
 *   (vllm-project/vllm vllm/engine/arg_utils.py EngineArgs.get_batch_defaults, UsageContext.OPENAI_API_SERVER).
 * - SGLang --chunked-prefill-size defaults by the GPU's memory in MiB: < 20 GiB 2,048 ("T4, 4080"), < 35 GiB 2,048
 *   ("A10, 4090, 5090"), < 60 GiB 4,096 ("A100 (40GB), L40"), < 90 GiB 8,192 ("H100, A100"), < 160 GiB 8,192 ("H20, H200"),
 *   else 16,384 ("B200, MI300"): sgl-project/sglang python/sglang/srt/server_args.py @ 001067ff,
 *   ServerArgs._handle_gpu_memory_settings.
 * - TensorRT-LLM (and NIM's TensorRT-LLM backend): trtllm-serve --max_num_tokens defaults to BuildConfig.max_num_tokens
 *   (NVIDIA/TensorRT-LLM tensorrt_llm/commands/serve.py @ 4c05a748), which is 8,192 ("`max_num_tokens` is set to 8192 by
 *   default starting from v0.11", docs/source/performance/perf-best-practices.md @ 31ac30e9).
 * - Others: 2,048 (estimate).
 */
export function prefillTokensPerStep(engine: string | undefined, gpu: GpuSpec): number {
  const gib = (gpu.memoryGB * 1e9) / 2 ** 30;
  if (engine === 'vllm' || engine === undefined) return gib >= 70 && !/A100/i.test(gpu.id) ? 8192 : 2048;
  if (engine === 'sglang') return gib < 35 ? 2048 : gib < 60 ? 4096 : gib < 160 ? 8192 : 16384;
  if (engine === 'tensorrt-llm' || engine === 'nim') return 8192;
  return 2048;
}

/**
 * GPUs with rows in server/data/calibration.json, and the same chip in another form factor (H100 PCIe/NVL, A100
 * variants, MI325X = MI300X's CDNA 3). Other GPUs use their vendor's figures and are reported as uncalibrated.
 */
export const CALIBRATED_GPUS = new Set(['H100-SXM', 'H100-PCIe', 'H100-NVL', 'H200', 'B200', 'A100-SXM-80GB', 'A100-SXM-40GB', 'A100-PCIe-80GB',
  'A100-PCIe-40GB', 'L40S', 'MI250X', 'MI300X', 'MI325X', 'Gaudi2', 'Gaudi3']);

export function vendorEfficiency(gpu: GpuSpec): Efficiency {
  const v = VENDOR_EFFICIENCY[gpu.vendor ?? 'nvidia'];
  return v ? Object.assign({}, v, { calibrated: v.calibrated && CALIBRATED_GPUS.has(gpu.id) }) : Object.assign({}, VENDOR_EFFICIENCY.nvidia, { calibrated: false });
}

/**
 * Copies of each token's KV cache across the G GPUs of one model copy. Tensor parallelism splits the KV heads over
 * the GPUs, but a GPU cannot hold less than one head: with fewer KV heads than GPUs each head is replicated
 * (vllm-project/vllm vllm/model_executor/models/deepseek.py: "Number of KV heads is less than TP size, so we replicate
 * the KV heads across multiple tensor parallel GPUs", num_kv_heads = max(1, total_num_kv_heads // tp_size)).
 * MLA (DeepSeek V2/V3/R1) caches one latent vector per token and layer (kv_lora_rank 512 + qk_rope_head_dim 64 in
 * deepseek-ai/DeepSeek-R1 config.json), which cannot be split by head: every GPU holds all of it ("DeepSeek models use
 * MLA and only have one KV head. If we use tensor parallelism on 8 GPUs, it will lead to: Duplicated KV cache across
 * all GPUs", https://docs.sglang.io/advanced_features/dp_dpa_smg_guide.html). Data-parallel attention
 * (SGLang --enable-dp-attention) gives each GPU its own sequences instead: no copies.
 */
export function kvReplication(spec: ModelInfo['spec'], gpus: number, attentionDataParallel = false): number {
  if (gpus <= 1 || attentionDataParallel) return 1;
  const heads = spec.mlaKvDim ? 1 : spec.kvHeads;
  if (!heads) return 1;
  return gpus / Math.min(gpus, heads);
}

/**
 * GPU-to-GPU bandwidth per direction, GB/s (half a bidirectional figure). Checked against public sources on 2026-12-01
 * (third-party pages are marked; none of NVIDIA's or AMD's own datasheet pages was in the search index):
 * - H100 SXM 450: NVLink 4 "unidirectional 380GB/s out of 450GB/s theoretical on H100 SXM Nvlink4"
 *   (https://github.com/NVIDIA/nccl/issues/1264); "18x 4th Gen NVLink, 900GB/s" (MLCommons inference v4.1 NVIDIA system
 *   H200-SXM-141GBx8_TRT_MaxQ.json, same NVLink 4).
 * - H200 450: "NVLink 4.0: 450GB/s unidirectional bandwidth, 900GB/s bidirectional bandwidth"
 *   (https://www.saulelectric.com/nvidia-h200.html, third-party).
 * - H100 NVL 300: NVLink bridge, "two NVIDIA H100 PCIe cards to be connected to deliver 600 GB/s bidirectional bandwidth"
 *   (NVIDIA text quoted at https://themop.ru/fsepy3/nvidia-h100-nvlink.html, third-party; weak). The bridge pairs two cards.
 * - A100 SXM 300: "bis zu zwölf NVLink-Verbindungen der dritten Generation für eine Bandbreite von insgesamt 600 GB/s"
 *   (https://www.nvidia.com/de-de/data-center/nvlink/).
 * - B200 / GB200 / B300 900: NVLink 5 "NVSwitch GPU-to-GPU Bandwidth | 1.8 TB/s" for HGX B200 and HGX B300
 *   (https://fibermall.com/blog/?p=17161, third-party); "5th-gen NVLink at 1.8 TB/s per GPU" for B200/B300/GB200/GB300
 *   (https://ai-infrastructure.net/nvidia-blackwell-platform/, third-party).
 * - V100 (SXM2) 150: "NVLink Uni-direction Bandwidth (GB/s) ... 150" for V100-SXM2 (Dell EMC Ready Solutions for AI
 *   reference guide, http://www.manualshelf.com/manual/dell/high-performance-computing-solution-resources/reference-guide-english/page-17.html).
 * - MI300X 448: "Each MI300X GPU has up to seven Infinity Fabric links ... yielding 128GB/s of bidirectional bandwidth per
 *   link" (https://www.wheelersnetwork.com/2024/01/, third-party): 7 x 128 / 2 = 448 (derived).
 * - MI325X 448: "Seven Infinity Fabric links ensuring full connectivity between eight GPUs" (https://wiaix.com/amd-instincttm-mi325x-accelerators,
 *   third-party), same CDNA 3 links as MI300X: 448 (derived).
 * - MI355X 537.6 (was 448, MI300X's figure): "Infinity Fabric/XGMI provides ~153 GB/s of bidirectional bandw[idth]"
 *   (https://humeconsulting.co/amd-mi355x-strong-node-level-inference-but-not-yet-rack-scale, third-party) per link, x 7
 *   links of an 8-GPU full mesh (link count assumed from MI300X/MI325X) / 2 (derived; weak).
 * - MI250X 400: "Up to 8 intelligent 3rd Gen AMD Infinity Fabric Links; Up to 800 GB/s of peak total theoretical P2P I/O
 *   bandwidth" (amd.com/en/technologies/infinity-architecture, quoted at agoracom-oldsite.dev.mwancloud.com, third-party).
 * - Gaudi 3 525 (was 300), Gaudi 2 262.5 (was 131): "The theoretical peak of scale-up bandwidth from each Gaudi is
 *   21*200Gbps = 21*25 GB/s = 525 GB/s unidirectional bandwidth"; Gaudi 2 "21*100Gbps = 21*12.5 GB/s = 262.5 GB/s
 *   unidirectional bandwidth" (https://docs.habana.ai/en/latest/Management_and_Monitoring/Network_Configuration/index.html).
 * - PCIe per direction, x16: Gen3 15.7, Gen4 31.5, Gen5 63.0 GB/s (https://hpc-notes.pages.dev/reference/pcie, table of the
 *   PCI-SIG rates; third-party), used as 16 / 32 / 64. Which PCIe generation each card uses was not re-checked
 *   (H100 PCIe: "a dual-slot 10.5 inch PCI Express Gen5 card", NVIDIA H100 PCIe product brief PB-11133-001; the others are
 *   estimates from their generation).
 * - TPU inter-chip interconnect, bidirectional per chip: v5e 400 GBps, v6e 800 GBps, v5p 1200 GBps
 *   (docs.cloud.google.com/tpu/docs/v5e, /v6e, /v5p-training, "Bidirectional inter-chip interconnect (ICI) bandwidth (per
 *   chip)").
 * An unknown GPU gets 32 (PCIe Gen4, estimate). The per-GPU aggregate is used even on meshes (AMD, Gaudi), where a ring
 * all-reduce over G < 8 GPUs reaches only part of it (estimate).
 */
const LINK_GBS: Record<string, number> = {
  'H100-SXM': 450, H200: 450, 'H100-NVL': 300, 'A100-SXM-80GB': 300, 'A100-SXM-40GB': 300, B200: 900, GB200: 900, B300: 900,
  MI300X: 448, MI325X: 448, MI355X: 537.6, MI250X: 400, Gaudi3: 525, Gaudi2: 262.5,
  'H100-PCIe': 64, 'RTX-PRO-6000-Blackwell': 64, 'RTX-4090': 32, L40S: 32, L40: 32, L4: 32, L20: 32, A10G: 32, A10: 32, A40: 32,
  'A100-PCIe-80GB': 32, 'A100-PCIe-40GB': 32, 'RTX-A6000': 32, 'RTX-6000-Ada': 32, T4: 16, V100: 150,
  'TPU-v5e': 200, 'TPU-v6e': 400, 'TPU-v5p': 600,
};
/** Achieved / per-direction link bandwidth of a ring all-reduce (estimate). */
export const ALL_REDUCE_EFFICIENCY = 0.7;

/**
 * Seconds of tensor-parallel all-reduce traffic per token: two all-reduces per layer (after attention and after the
 * MLP / experts), each of hidden x 2 bytes (BF16 activations) per token, of which a ring moves 2 (G − 1) / G through
 * each GPU's link. Zero on one GPU.
 */
export function allReduceSecondsPerToken(gpu: GpuSpec, gpus: number, model: ModelInfo): number {
  if (gpus <= 1) return 0;
  const layers = model.spec.layers ?? 32;
  const hidden = model.spec.hiddenSize ?? Math.sqrt((model.totalParamsB * 1e9) / (12 * layers));
  const link = (LINK_GBS[gpu.id] ?? 32) * 1e9 * ALL_REDUCE_EFFICIENCY;
  return (2 * layers * hidden * 2 * (2 * (gpus - 1) / gpus)) / link;
}

/** The per-step cost model shared by the steady-state estimate and the finite-run simulation. */
export interface StepModel {
  notes: string[];
  breakdownBase: Omit<ThroughputBreakdown, 'stepMemorySeconds' | 'stepComputeSeconds' | 'prefillSecondsPerRequest'>;
  /** KV bytes per token held in the replica (all copies). */
  kvPerTokenHeld: number;
  /** Seconds of one decode step of `batch` sequences holding `contextTokens` tokens of KV between them. */
  step(batch: number, contextTokens: number): { seconds: number; memory: number; compute: number | null };
  /** Prefill seconds per request of `inputTokens` (null without a compute figure). */
  prefill(inputTokens: number): number | null;
  /** Share of all weight bytes one decode step of `batch` sequences reads. */
  weightShare(batch: number): number;
}

export function stepModel(p: ThroughputParams & { tuning?: Partial<Tuning> }): StepModel {
  const notes: string[] = [];
  const t: Tuning = Object.assign({}, TUNING, p.tuning);
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
  const replication = kvReplication(p.model.spec, gpus, p.attentionDataParallel);
  if (replication > 1) {
    notes.push(`${p.model.spec.mlaKvDim ? 'MLA caches one latent KV vector per token' : `${p.model.spec.kvHeads} KV heads over ${gpus} GPUs`}: ` +
      `each token's KV cache is held ${round(replication, 1)} times (once per GPU that needs it), which bounds the batch.`);
  }
  const kvPerTokenHeld = kvPerToken * replication;
  const kvPerSeq = kvPerTokenHeld * (inTok + outTok / 2);
  const kvBudget = p.kvCacheFreeMemoryFraction
    ? (gpus * p.gpu.memoryGB * 1e9 - p.model.weightBytes - gpus * RUNTIME_RESERVE_GB_PER_GPU * 1e9) * p.kvCacheFreeMemoryFraction
    : gpus * p.gpu.memoryGB * 1e9 * gmu - p.model.weightBytes - gpus * RUNTIME_RESERVE_GB_PER_GPU * 1e9;
  const memBound = Math.max(0, Math.floor(kvBudget / kvPerSeq));
  const cap = p.maxConcurrency ?? engineMaxConcurrency(p.engine, p.gpu).value;
  const concurrency = Math.min(memBound, cap);
  const baseMfu = p.mfu ?? ve.mfu;
  const { tflops, kind } = peakTflops(p.gpu, p.model.bytesPerParam);
  const activeWeightBytes = p.model.activeParamsB * 1e9 * p.model.bytesPerParam;
  const bandwidth = p.gpu.memoryBandwidthTBs * 1e12 * gpus * mbu * eff;
  const compute = tflops ? tflops * 1e12 * gpus * eff : null;
  const mfu = baseMfu;
  // Mixture of experts: the active parameters are the dense part (attention, shared experts, dense layers, embeddings)
  // plus k routed experts of E per layer. With the catalog's E and k: routed active = k x (total − active) / (E − k).
  const split = moeSplit(p.model);
  const denseBytes = (p.model.activeParamsB - split.routedActiveB) * 1e9 * p.model.bytesPerParam;
  const routedAllBytes = (p.model.totalParamsB - p.model.activeParamsB + split.routedActiveB) * 1e9 * p.model.bytesPerParam;
  // A step of B sequences reads every expert any of them routes to: 1 − (1 − k/E)^B of the routed weights (routing
  // taken as uniform and independent), plus all the dense weights.
  const touched = (b: number) => moe ? 1 - Math.pow(1 - split.expertFraction, b) : 1;
  // Grouped expert GEMMs: each expert that runs gets n = tokens x k / (experts touched) rows (at least one); their
  // efficiency is c x n / (n + K) of the dense MFU.
  const kernel = moe ? moeKernelPath(p, t.trtllmHopperMxfp4MoeEfficiency) : undefined;
  if (kernel) notes.push(kernel.note);
  const expertEfficiency = (tokens: number) => {
    const n = tokens * split.expertFraction / touched(tokens);
    return t.moeExpertEfficiency * (kernel?.factor ?? 1) * n / (n + t.moeTokensPerExpertHalf);
  };
  const flopSeconds = (tokens: number) => compute
    ? 2 * tokens * ((p.model.activeParamsB - split.routedActiveB) * 1e9 + (moe ? split.routedActiveB * 1e9 / expertEfficiency(tokens) : 0)) / (compute * mfu)
    : null;
  const prefillChunk = prefillTokensPerStep(p.engine, p.gpu);
  // Tensor-parallel all-reduce traffic, proportional to the tokens in the forward pass (pipeline stages pass only one
  // activation per token: counted as tensor parallel, a pessimistic simplification).
  const commPerToken = allReduceSecondsPerToken(p.gpu, gpus, p.model);
  const layers = p.model.spec.layers ?? 32;
  const overhead = (gpus > 1 ? layers * t.perLayerStepSeconds * Math.log2(gpus) : 0) + (moe ? layers * t.moeLayerStepSeconds : 0);
  if (!compute) notes.push(`${p.gpu.id} has no published TFLOPS in the catalog: no compute cap and no prefill time (optimistic).`);
  return {
    notes, kvPerTokenHeld,
    weightShare: (b) => moe ? (denseBytes + routedAllBytes * touched(b)) / (p.model.totalParamsB * 1e9 * p.model.bytesPerParam) : 1,
    breakdownBase: {
      kvBudgetGB: Math.max(0, kvBudget / 1e9), kvBytesPerSequence: kvPerSeq, kvEstimated, concurrency,
      concurrencyBound: (memBound <= cap ? 'kv-cache memory' : 'max concurrency') as ThroughputBreakdown['concurrencyBound'],
      parallelEfficiency: eff, peakTflops: tflops, peakTflopsKind: kind, mbu, mfu, calibrated: ve.calibrated,
    },
    step(batch, contextTokens) {
      const weights = moe ? denseBytes + routedAllBytes * touched(batch) : activeWeightBytes;
      const memory = (weights + contextTokens * kvPerTokenHeld) / bandwidth;
      const comp = flopSeconds(batch);
      return { seconds: Math.max(memory, comp ?? 0) + overhead + batch * commPerToken, memory, compute: comp };
    },
    // Prefill runs in chunks of the scheduler's token budget (several prompts per forward pass when they queue).
    prefill: (inputTokens) => {
      const perToken = flopSeconds(prefillChunk);
      return perToken === null ? null : (perToken / prefillChunk + commPerToken) * inputTokens;
    },
  };
}

export function round(x: number, digits = 2): number {
  const f = Math.pow(10, digits);
  return Math.round(x * f) / f;
}
