/** Types of the cost model (see docs/cost-model.md). Pure data: no fs, no LSP. */
import type { Assumption } from '../types';

export type GpuVendor = 'nvidia' | 'amd' | 'intel' | 'google' | 'other';

export interface AwsGpuName {
  name: string;
  /** karpenter.k8s.aws/instance-gpu-memory in MiB, when the name alone is ambiguous (a100). */
  memoryMiB?: number;
}

export interface GpuLabels {
  /** nvidia.com/gpu.product values (GPU Feature Discovery). */
  nvidiaProduct?: string[];
  /** cloud.google.com/gke-accelerator values. */
  gkeAccelerator?: string[];
  /** karpenter.k8s.aws/instance-gpu-name and eks.amazonaws.com/instance-gpu-name values. */
  awsGpuName?: AwsGpuName[];
  /** amd.com/gpu.product-name values. */
  amdProductName?: string[];
  /** karpenter.azure.com/sku-gpu-name values. */
  azureSkuGpuName?: string[];
  /** cloud.google.com/gke-tpu-accelerator values (the catalog entry is one TPU chip). */
  tpuAccelerator?: string[];
}

export interface GpuSpec {
  id: string;
  name: string;
  vendor?: GpuVendor;
  memoryGB: number;
  memoryBandwidthTBs: number;
  bf16Tflops?: number | null;
  fp16Tflops?: number | null;
  fp8Tflops?: number | null;
  /** Dense FP4 (NVFP4/MXFP4) tensor TFLOPS, Blackwell and later. */
  fp4Tflops?: number | null;
  usdPerGpuHour?: number | null;
  priceSource?: string;
  priceAsOf?: string | null;
  priceVerified?: boolean;
  specSource?: string;
  notes?: string;
  labels?: GpuLabels;
}

export interface InstanceTypeSpec {
  name: string;
  provider: 'aws' | 'gcp' | 'azure' | 'other';
  gpu: string;
  count: number;
  usdPerHour: number | null;
  priceSource?: string;
  priceAsOf?: string;
  region?: string;
}

export interface CatalogSource {
  title: string;
  url?: string;
  asOf?: string;
}

export interface GpuCatalog {
  gpus: GpuSpec[];
  instanceTypes: InstanceTypeSpec[];
  sources: Record<string, CatalogSource>;
}

export type WeightDtype = 'bf16' | 'fp16' | 'fp32' | 'fp8' | 'int8' | 'int4' | 'mxfp4' | 'nvfp4';

export interface ModelSpec {
  id: string;
  aliases?: string[];
  family?: string;
  totalParamsB: number;
  activeParamsB?: number;
  nativeDtype?: WeightDtype;
  checkpointGB?: number;
  layers?: number;
  kvHeads?: number;
  headDim?: number;
  hiddenSize?: number;
  mlaKvDim?: number;
  /** Mixture of experts: routed experts per MoE layer, and how many each token uses. */
  experts?: number;
  expertsPerToken?: number;
  source?: string;
  /** The Hub repository needs an access request and a token (gated-model-without-token); gatedSource cites it. */
  gated?: boolean;
  gatedSource?: string;
  notes?: string;
}

/** What identifyModel found: the catalog entry (or a name-based estimate) and the weight bytes. */
export interface ModelInfo {
  /** The id as written in the manifest. */
  input: string;
  /** Catalog id, or the parsed name for estimates. */
  id: string;
  match: 'catalog' | 'extra' | 'name-estimate';
  spec: ModelSpec;
  totalParamsB: number;
  activeParamsB: number;
  /** e.g. 'bf16', 'fp8', 'awq', 'gptq-int4', 'gguf-q4_k_m'. */
  quantization: string;
  bytesPerParam: number;
  /** Which input decided bytesPerParam, e.g. 'flag --quantization awq', 'name suffix -AWQ', 'catalog native dtype'. */
  quantizationSource: string;
  weightBytes: number;
  /**
   * Bytes read from storage at start-up. Equal to weightBytes, except when the server quantizes a full-precision
   * checkpoint while loading it (bitsandbytes, EETQ, dynamic FP8): then the full checkpoint is read.
   */
  checkpointBytes: number;
  /** Set when checkpointBytes differs from weightBytes: why. */
  checkpointNote?: string;
  /** KV-cache bytes per token at 2 bytes per value (BF16), when the architecture is known. */
  kvBytesPerTokenBf16?: number;
  notes: string[];
}

export interface GpuIdentifyInput {
  nodeSelector?: { key: string; value: string }[];
  /** requiredDuringScheduling node-affinity `In` expressions. */
  requiredAffinity?: { key: string; values: string[] }[];
  /** Value of annotation servelint.io/gpu. */
  annotation?: string;
  /** gpus.default from .servelint.yaml. */
  configDefault?: string;
  /** nvidia.com/gpu, amd.com/gpu, habana.ai/gaudi, google.com/tpu. */
  acceleratorResource?: string;
  /** The GKE custom ComputeClass the pod selects (cloud.google.com/compute-class) and the accelerators its priorities name, in order. */
  computeClass?: { name: string; gpuTypes: string[]; tpuTypes: string[] };
}

export interface GpuIdentification {
  gpu?: GpuSpec;
  source: string;
  candidates: string[];
  unknownValue?: string;
  problems: string[];
  /** Set when the GPU came from an instance type with a known GPU count and price. */
  instanceType?: InstanceTypeSpec;
  /** MIG profile (e.g. 1g.5gb) when the product label names a MIG slice. */
  migProfile?: string;
}

export interface CostInput {
  kind: string;
  name?: string;
  /** Workload and pod-template annotations merged. */
  annotations?: Record<string, string>;
  nodeSelector?: { key: string; value: string }[];
  requiredAffinity?: { key: string; values: string[] }[];
  /** The GKE custom ComputeClass the pod selects and the accelerators its priorities name (see GpuIdentifyInput). */
  computeClass?: GpuIdentifyInput['computeClass'];
  /** Accelerators per pod (limit, else request). */
  accelerator?: { resource: string; count: number };
  /** LeaderWorkerSet size (pods per replica); default 1. */
  groupSize?: number;
  /** Accelerators per replica when pods differ (a LeaderWorkerSet leader without GPUs); default count x groupSize. */
  acceleratorsPerReplica?: { count: number; detail: string };
  replicas: number;
  hpa?: { min: number; max: number };
  model?: string;
  /** Where `model` came from when not from the server's args (e.g. `label ai.gke.io/model=gemma-2-9b-it`). */
  modelSource?: string;
  /** --quantization value. */
  quantization?: string;
  /** --dtype value. */
  dtype?: string;
  /** --kv-cache-dtype value. */
  kvCacheDtype?: string;
  tensorParallelSize?: number;
  pipelineParallelSize?: number;
  maxModelLen?: number;
  gpuMemoryUtilization?: number;
  /** --max-num-seqs (concurrent sequences per replica). */
  maxNumSeqs?: number;
  /** The flag that set maxNumSeqs as written (--max-num-seqs, --max-running-requests, --max_batch_size). */
  maxNumSeqsFlag?: string;
  /** TensorRT-LLM --kv_cache_free_gpu_memory_fraction: the KV cache gets this share of the memory left after the weights. */
  kvCacheFreeMemoryFraction?: number;
  /** Serving engine for its scheduler defaults ('vllm', 'sglang', 'tensorrt-llm', 'nim'). */
  engine?: string;
  /** The serving image's tag ('1.0.0', 'v0.11.0'): the engine version, when the tag is one. */
  engineVersion?: string;
  /** SGLang --enable-dp-attention: each GPU attends over its own sequences, so MLA / few-KV-head caches are not copied. */
  attentionDataParallel?: boolean;
  rollout?: {
    strategy?: 'rolling' | 'blue-green' | 'canary' | string;
    /** Extra replicas that run at once during a rolling update (maxSurge). */
    surgeReplicas?: number;
    /** Total rollout duration in seconds (from the rollout model). */
    rolloutSeconds?: number;
    steps?: number;
    /** Blue-green: how long both fleets run. */
    cutoverSeconds?: number;
  };
}

export interface ThroughputEstimate {
  tokensPerSecond: number;
  source: 'measured' | 'estimated';
  /** Which bound decided the decode rate. */
  bound?: 'memory-bandwidth' | 'compute' | 'measured';
  concurrency?: number;
  /** What the figure means: 'saturated, 256 seqs, 1000 in / 500 out', '1 user, 1000 in / 500 out' (estimates only). */
  regime?: string;
  assumptions: Assumption[];
  notes: string[];
}

export interface WeightLoadEstimate {
  seconds: number;
  assumptions: Assumption[];
}

export interface MemoryFit {
  weightsGB: number;
  availableGB: number;
  fits: boolean;
  /** availableGB - weightsGB: left for KV cache and activations. */
  headroomGB: number;
  gpuMemoryUtilization: number;
  totalGpuMemoryGB: number;
}

export interface HostedApiComparison {
  name?: string;
  inputTokensPerRequest: number;
  outputTokensPerRequest: number;
  hostedUsdPerRequest: number;
  hostedUsdPerMillionOutputTokens: number;
  fleetUsdPerDay: number;
  /** Requests/day at which the self-hosted fleet costs the same as the hosted API. */
  breakEvenRequestsPerDay: number;
  /** The same in tokens/day (input + output). */
  breakEvenTokensPerDay: number;
  /** Requests/day this fleet can serve at the assumed utilization. */
  fleetCapacityRequestsPerDay: number | null;
  cheaperAtCapacity: 'self-hosted' | 'hosted' | null;
}
