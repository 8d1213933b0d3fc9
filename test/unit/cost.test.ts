import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  blueGreenCutoverCost, compareHostedApi, computeWorkloadCost, defaultGpuCatalog, estimateWeightLoad, checkMemoryFit,
  formatCostBreakdown, hostedApiCost, hostedApiCostPerDay, identifyGpu, identifyModel, rolloutSurgeCost, selfHostedCost,
  usdPerMillionTokens, usdPerMonth,
} from '../../server/src/engine/cost';
import { costRow } from '../../server/src/cli/format/report';
import { costLensTitle } from '../../server/src/lsp/format';

const catalog = defaultGpuCatalog();
const r3 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1000) / 1000);

test('cost per million tokens: $3/GPU-hr, 2,000 tok/s, 0.7 -> $0.595', () => {
  assert.equal(r3(usdPerMillionTokens(3, 2000, 0.7)), 0.595);
  assert.equal(usdPerMillionTokens(3, 0, 0.7), null);
});

test('self-hosted vs hosted: 1,600 GPU-hr x $3.50 = $5,600 vs $6,250', () => {
  assert.equal(selfHostedCost(1600, 3.5), 5600);
  assert.equal(hostedApiCost({ inputTokens: 1000e6, outputTokens: 500e6 }, { inputPerMillion: 1.25, outputPerMillion: 10 }), 6250);
});

test('200,000 calls/day of 800+200 tokens at $0.50/$1.50 = $140/day vs one $2/hr GPU = $1,440/month at 720 h', () => {
  assert.equal(r3(hostedApiCostPerDay(200_000, 800, 200, { inputPerMillion: 0.5, outputPerMillion: 1.5 })), 140);
  assert.equal(usdPerMonth(2, 720), 1440);
  assert.equal(usdPerMonth(2), 1460);
  const c = compareHostedApi({ price: { inputPerMillion: 0.5, outputPerMillion: 1.5 }, fleetUsdPerHour: 2, inputTokensPerRequest: 800, outputTokensPerRequest: 200 });
  assert.ok(Math.abs(c.hostedUsdPerRequest - 0.0007) < 1e-12);
  assert.equal(Math.round(c.breakEvenRequestsPerDay), Math.round(48 / 0.0007));
  assert.equal(Math.round(c.breakEvenTokensPerDay), Math.round((48 / 0.0007) * 1000));
});

test('rollout surge and blue-green cutover', () => {
  assert.equal(rolloutSurgeCost(8, 1800, 4), 16);
  assert.equal(blueGreenCutoverCost(100, 900), 25);
});

test('GPU identification from labels', () => {
  const id = (key: string, value: string) => identifyGpu({ nodeSelector: [{ key, value }] }, catalog);
  assert.equal(id('cloud.google.com/gke-accelerator', 'nvidia-l4').gpu?.id, 'L4');
  assert.equal(id('cloud.google.com/gke-accelerator', 'nvidia-l4').source, 'nodeSelector cloud.google.com/gke-accelerator=nvidia-l4');
  assert.equal(id('cloud.google.com/gke-accelerator', 'nvidia-h100-mega-80gb').gpu?.id, 'H100-SXM');
  assert.equal(id('nvidia.com/gpu.product', 'NVIDIA-H100-80GB-HBM3').gpu?.id, 'H100-SXM');
  assert.equal(id('nvidia.com/gpu.product', 'A100-SXM4-40GB').gpu?.id, 'A100-SXM-40GB');
  assert.equal(id('nvidia.com/gpu.product', 'NVIDIA-A10G-SHARED').gpu?.id, 'A10G');
  assert.equal(id('nvidia.com/gpu.product', 'Tesla-T4').gpu?.id, 'T4');
  const mig = id('nvidia.com/gpu.product', 'NVIDIA-A100-SXM4-40GB-MIG-1g.5gb');
  assert.equal(mig.gpu?.id, 'A100-SXM-40GB');
  assert.equal(mig.migProfile, '1g.5gb');
  assert.ok(mig.problems.some((p) => p.includes('MIG')));
  assert.equal(id('node.kubernetes.io/instance-type', 'p5.48xlarge').gpu?.id, 'H100-SXM');
  assert.equal(id('beta.kubernetes.io/instance-type', 'g5.8xlarge').gpu?.id, 'A10G');
  assert.equal(id('node.kubernetes.io/instance-type', 'Standard_NC24ads_A100_v4').gpu?.id, 'A100-PCIe-80GB');
  assert.equal(id('node.kubernetes.io/instance-type', 'a3-megagpu-8g').gpu?.id, 'H100-SXM');
  assert.equal(id('amd.com/gpu.product-name', 'AMD_Instinct_MI300X_OAM').gpu?.id, 'MI300X');
  assert.equal(id('eks.amazonaws.com/instance-gpu-name', 'l40s').gpu?.id, 'L40S');
  assert.equal(id('karpenter.azure.com/sku-gpu-name', 'H100').gpu?.id, 'H100-SXM');
  const a100 = identifyGpu({ nodeSelector: [{ key: 'karpenter.k8s.aws/instance-gpu-name', value: 'a100' }, { key: 'karpenter.k8s.aws/instance-gpu-memory', value: '81920' }] }, catalog);
  assert.equal(a100.gpu?.id, 'A100-SXM-80GB');
  assert.deepEqual(a100.problems, []);
  const ambiguous = id('karpenter.k8s.aws/instance-gpu-name', 'a100');
  assert.ok(ambiguous.gpu);
  assert.ok(ambiguous.problems.some((p) => p.includes('instance-gpu-memory')));
});

test('GPU identification: affinity, annotation, default, unknown, TPU', () => {
  const aff = identifyGpu({ requiredAffinity: [{ key: 'node.kubernetes.io/instance-type', values: ['g6e.4xlarge', 'g6e.2xlarge'] }] }, catalog);
  assert.equal(aff.gpu?.id, 'L40S');
  assert.deepEqual(aff.candidates, ['g6e.4xlarge', 'g6e.2xlarge']);
  assert.match(aff.source, /first of 2/);
  const mixed = identifyGpu({ requiredAffinity: [{ key: 'cloud.google.com/gke-accelerator', values: ['nvidia-l4', 'nvidia-tesla-t4'] }] }, catalog);
  assert.equal(mixed.gpu?.id, 'L4');
  assert.ok(mixed.problems.some((p) => p.includes('first named')));
  const ann = identifyGpu({ annotation: 'H200', nodeSelector: [{ key: 'cloud.google.com/gke-accelerator', value: 'nvidia-l4' }] }, catalog);
  assert.equal(ann.gpu?.id, 'H200');
  assert.equal(ann.source, 'annotation servelint.io/gpu=H200');
  const def = identifyGpu({ configDefault: 'L4' }, catalog);
  assert.equal(def.gpu?.id, 'L4');
  assert.match(def.source, /default from config/);
  const unknown = identifyGpu({ nodeSelector: [{ key: 'cloud.google.com/gke-accelerator', value: 'nvidia-tesla-p100' }] }, catalog);
  assert.equal(unknown.gpu, undefined);
  assert.equal(unknown.unknownValue, 'nvidia-tesla-p100');
  assert.ok(unknown.problems[0].includes('servelint.io/gpu'));
  const none = identifyGpu({ acceleratorResource: 'nvidia.com/gpu' }, catalog);
  assert.ok(none.problems[0].includes('gpus.default'));
  const tpu = identifyGpu({ acceleratorResource: 'google.com/tpu', nodeSelector: [{ key: 'cloud.google.com/gke-tpu-accelerator', value: 'tpu-v6e-slice' }] }, catalog);
  assert.equal(tpu.gpu?.id, 'TPU-v6e');
  assert.deepEqual(tpu.problems, []);
  const v5e = identifyGpu({ acceleratorResource: 'google.com/tpu', nodeSelector: [{ key: 'cloud.google.com/gke-tpu-accelerator', value: 'tpu-v5-lite-podslice' }] }, catalog);
  assert.equal(v5e.gpu?.id, 'TPU-v5e');
  const v4 = identifyGpu({ acceleratorResource: 'google.com/tpu', nodeSelector: [{ key: 'cloud.google.com/gke-tpu-accelerator', value: 'tpu-v4-podslice' }] }, catalog);
  assert.equal(v4.gpu, undefined);
  assert.ok(v4.problems.some((p) => p.includes('TPU-v5e, TPU-v5p, TPU-v6e')));
});

test('model identification: ids, paths, suffixes, flags, estimates', () => {
  const m = (id: string, o = {}) => identifyModel(id, o);
  assert.equal(m('meta-llama/Llama-3.1-8B-Instruct')?.id, 'meta-llama/Llama-3.1-8B');
  assert.equal(m('meta-llama/Meta-Llama-3.1-8B-Instruct')?.id, 'meta-llama/Llama-3.1-8B');
  assert.equal(m('/models/Llama-3.1-8B-Instruct')?.id, 'meta-llama/Llama-3.1-8B');
  assert.equal(m('/mnt/models'), undefined);
  assert.equal(m('hf://Qwen/Qwen2.5-7B-Instruct@main')?.id, 'Qwen/Qwen2.5-7B');
  assert.equal(m('mistralai/Mistral-7B-Instruct-v0.3')?.id, 'mistralai/Mistral-7B-v0.1');
  assert.equal(m('google/gemma-2-9b-it')?.id, 'google/gemma-2-9b');
  assert.equal(m('google/gemma-3-27b-it')?.id, 'google/gemma-3-27b-pt');
  assert.equal(m('deepseek-ai/DeepSeek-R1-Distill-Qwen-7B')?.id, 'Qwen/Qwen2.5-7B');
  assert.equal(m('deepseek-ai/DeepSeek-R1-0528')?.id, 'deepseek-ai/DeepSeek-V3');
  assert.equal(m('Qwen/Qwen3-30B-A3B-Instruct-2507')?.activeParamsB, 3.3);
  assert.equal(m('llama3.1:8b')?.id, 'meta-llama/Llama-3.1-8B');
  assert.equal(m('microsoft/Phi-3-mini-4k-instruct')?.totalParamsB, 3.82);
  const bf16 = m('meta-llama/Llama-3.1-70B-Instruct');
  assert.equal(bf16?.bytesPerParam, 2);
  assert.equal(bf16?.quantizationSource, 'catalog native dtype bf16');
  const awq = m('hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4');
  assert.equal(awq?.quantization, 'awq');
  assert.match(awq?.quantizationSource ?? '', /name suffix/);
  assert.equal(m('neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8-dynamic')?.bytesPerParam, 1);
  assert.equal(m('RedHatAI/Llama-3.3-70B-Instruct-quantized.w4a16')?.quantization, 'w4a16');
  assert.equal(m('RedHatAI/Llama-3.3-70B-Instruct-quantized.w8a8')?.bytesPerParam, 1);
  assert.equal(m('unsloth/Llama-3.2-1B-Instruct-bnb-4bit')?.quantization, 'bnb-4bit');
  assert.equal(m('nvidia/Llama-3.1-8B-Instruct-NVFP4')?.quantization, 'nvfp4');
  assert.equal(m('TheBloke/Llama-2-7B-Chat-GGUF')?.quantization, 'gguf-q4_k_m');
  assert.equal(m('qwen2.5:7b-instruct-q4_K_M')?.quantization, 'gguf-q4_k_m');
  const flag = m('meta-llama/Llama-3.1-8B-Instruct', { quantization: 'fp8' });
  assert.equal(flag?.bytesPerParam, 1);
  assert.equal(flag?.quantizationSource, 'flag --quantization fp8');
  assert.equal(m('meta-llama/Llama-3.1-8B-Instruct', { dtype: 'float32' })?.bytesPerParam, 4);
  assert.equal(m('deepseek-ai/DeepSeek-V3', { dtype: 'bfloat16' })?.bytesPerParam, 1);
  const oss = m('openai/gpt-oss-120b');
  assert.equal(oss?.weightBytes, 65.2e9);
  const est = m('my-org/foo-13b');
  assert.equal(est?.match, 'name-estimate');
  assert.equal(est?.totalParamsB, 13);
  assert.equal(est?.weightBytes, 26e9);
  assert.equal(m('my-org/some-model'), undefined);
});

test('weight load and memory fit', () => {
  const m = identifyModel('Qwen/Qwen3-14B')!;
  const w = estimateWeightLoad(m);
  assert.equal(Math.round(w.seconds), Math.round(29.6 + 60));
  assert.equal(estimateWeightLoad(m, { gbps: 2 }).seconds, 29.6 / 2 + 60);
  assert.equal(estimateWeightLoad(undefined).seconds, 300);
  assert.equal(estimateWeightLoad(m, { seconds: 42 }).seconds, 42);
  const fit = checkMemoryFit({ weightBytes: 141.2e9, gpusPerPod: 1, gpuMemoryGB: 80 });
  assert.equal(fit.fits, false);
  assert.equal(fit.availableGB, 72);
  assert.equal(checkMemoryFit({ weightBytes: 16e9, gpusPerPod: 1, gpuMemoryGB: 24 }).fits, true);
});

test('weight load reads the full checkpoint when the server quantizes while loading', () => {
  // TGI QUANTIZE=bitsandbytes-nf4 on a BF16 checkpoint: ~37 GB in GPU memory, but 141 GB read from storage.
  const nf4 = identifyModel('meta-llama/Meta-Llama-3-70B', { quantization: 'bitsandbytes-nf4' })!;
  assert.ok(nf4.weightBytes < 40e9, String(nf4.weightBytes));
  assert.ok(Math.abs(nf4.checkpointBytes - 141.2e9) < 1e9, String(nf4.checkpointBytes));
  assert.equal(nf4.checkpointNote, 'bf16 checkpoint, quantized to bnb-4bit while loading,');
  assert.equal(Math.round(estimateWeightLoad(nf4).seconds), Math.round(nf4.checkpointBytes / 1e9 + 60));
  // vLLM --quantization fp8 on a BF16 checkpoint is dynamic too; a pre-quantized checkpoint is read as it is.
  assert.ok(identifyModel('meta-llama/Llama-3.1-8B-Instruct', { quantization: 'fp8' })!.checkpointBytes > 16e9);
  const fp8 = identifyModel('neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8', { quantization: 'fp8' })!;
  assert.equal(fp8.checkpointBytes, fp8.weightBytes);
  const awq = identifyModel('meta-llama/Llama-3.1-8B-Instruct', { quantization: 'awq' })!;
  assert.equal(awq.checkpointBytes, awq.weightBytes);
  assert.equal(awq.checkpointNote, undefined);
});

test('computeWorkloadCost: estimated figure with every assumption', () => {
  const r = computeWorkloadCost({
    kind: 'Deployment', replicas: 2, model: 'meta-llama/Llama-3.1-8B-Instruct',
    nodeSelector: [{ key: 'cloud.google.com/gke-accelerator', value: 'nvidia-l4' }],
    accelerator: { resource: 'nvidia.com/gpu', count: 1 },
    rollout: { surgeReplicas: 1, rolloutSeconds: 3600 },
  });
  assert.equal(r.gpu.id, 'L4');
  assert.equal(r.usdPerGpuHour, 0.805);
  assert.equal(r.usdPerHour, 1.61);
  assert.equal(r3(r.usdPerMonth), r3(1.61 * 730));
  assert.equal(r.tokensPerSecondSource, 'estimated');
  assert.ok(r.tokensPerSecond! > 100 && r.tokensPerSecond! < 2000, String(r.tokensPerSecond));
  assert.equal(r3(r.usdPerMillionTokens), r3(usdPerMillionTokens(0.805, r.tokensPerSecond!, 0.7)));
  assert.deepEqual(r.problems, []);
  assert.equal(r.rollout?.surgeUsd, 0.805);
  assert.ok(r.assumptions.some((a) => a.key === 'mbu'));
  const md = formatCostBreakdown(r);
  assert.match(md, /per 1M output tokens/);
  assert.match(md, /\| Assumption \| Value \| Source \| Override \|/);
  // The manifest's model id stays visible next to the catalog entry it was matched to.
  assert.match(md, /\*\*Model:\*\* meta-llama\/Llama-3\.1-8B-Instruct \(catalog meta-llama\/Llama-3\.1-8B; bf16, 16\.1 GB of weights\)/);
});

test('computeWorkloadCost: measured throughput, overrides, LWS group, hosted API, problems', () => {
  const r = computeWorkloadCost({
    kind: 'LeaderWorkerSet', replicas: 1, groupSize: 2, model: 'meta-llama/Llama-3.1-405B-Instruct-FP8',
    annotations: { 'servelint.io/tokens-per-second': '2000', 'servelint.io/price-per-gpu-hour': '3', 'servelint.io/utilization': '0.7' },
    nodeSelector: [{ key: 'node.kubernetes.io/instance-type', value: 'p5.48xlarge' }],
    accelerator: { resource: 'nvidia.com/gpu', count: 8 },
  }, { hostedApi: { inputPerMillion: 1.25, outputPerMillion: 10 } });
  assert.equal(r.gpusPerReplica, 16);
  assert.equal(r.usdPerHour, 48);
  assert.equal(r.tokensPerSecondSource, 'measured');
  assert.equal(r3(r.usdPerMillionTokens), r3(usdPerMillionTokens(48, 2000, 0.7)));
  assert.ok(r.hostedApi && r.hostedApi.breakEvenRequestsPerDay > 0);
  const instancePrice = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'Qwen/Qwen3-8B',
    nodeSelector: [{ key: 'node.kubernetes.io/instance-type', value: 'g6e.12xlarge' }], accelerator: { resource: 'nvidia.com/gpu', count: 4 } });
  assert.equal(instancePrice.usdPerGpuHour, 10.493 / 4);
  const cfgPrice = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'Qwen/Qwen3-8B', accelerator: { resource: 'nvidia.com/gpu', count: 1 } },
    { gpus: { default: 'H100-SXM', prices: { 'H100-SXM': 2.5 } } });
  assert.equal(cfgPrice.usdPerGpuHour, 2.5);
  assert.match(cfgPrice.gpu.source, /default from config/);
  const unknown = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'acme/secret-model', accelerator: { resource: 'nvidia.com/gpu', count: 1 } });
  assert.equal(unknown.gpu.id, null);
  assert.equal(unknown.usdPerMillionTokens, null);
  assert.ok(unknown.problems.some((p) => p.includes('servelint.io/gpu')));
  assert.ok(unknown.problems.some((p) => p.includes('acme/secret-model')));
  const noPrice = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'Qwen/Qwen3-8B', annotations: { 'servelint.io/gpu': 'MI300X' },
    accelerator: { resource: 'amd.com/gpu', count: 1 } });
  assert.equal(noPrice.usdPerGpuHour, null);
  assert.ok(noPrice.problems.some((p) => p.includes('gpus.prices.MI300X')));
  const tooBig = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-70B-Instruct', annotations: { 'servelint.io/gpu': 'H100-SXM' },
    accelerator: { resource: 'nvidia.com/gpu', count: 1 } });
  assert.equal(tooBig.memoryFit?.fits, false);
  const bg = computeWorkloadCost({ kind: 'Rollout', replicas: 2, model: 'Qwen/Qwen3-8B', annotations: { 'servelint.io/gpu': 'L4', 'servelint.io/weight-load-seconds': '1800' },
    accelerator: { resource: 'nvidia.com/gpu', count: 1 }, rollout: { strategy: 'blue-green' } });
  assert.equal(bg.rollout?.cutoverUsd, 0.805);
});

test('config extras are validated and used', () => {
  const r = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'acme/secret-model', annotations: { 'servelint.io/gpu': 'X1' },
    accelerator: { resource: 'nvidia.com/gpu', count: 1 } },
  { gpus: { extra: [{ id: 'X1', name: 'Acme X1', memoryGB: 64, memoryBandwidthTBs: 2, usdPerGpuHour: 1 }, { id: 'bad' }] },
    models: [{ id: 'acme/secret-model', totalParamsB: 7, layers: 32, kvHeads: 8, headDim: 128 }] });
  assert.equal(r.gpu.id, 'X1');
  assert.equal(r.model?.id, 'acme/secret-model');
  assert.ok(r.usdPerMillionTokens! > 0);
  assert.ok(r.problems.some((p) => p.includes('gpus.extra[1]')));
});

test('the regime of an estimate: saturated by default, set by servelint.io/concurrency, 1 user; shown in the breakdown', () => {
  const base = {
    kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct', engine: 'vllm',
    nodeSelector: [{ key: 'cloud.google.com/gke-accelerator', value: 'nvidia-h100-80gb' }], accelerator: { resource: 'nvidia.com/gpu', count: 1 },
  };
  const sat = computeWorkloadCost(base);
  assert.match(String(sat.tokensPerSecondRegime), /^saturated, \d+ seqs.*, 1000 in \/ 500 out$/);
  assert.equal(sat.assumptions.find((a) => a.key === 'regime')?.value, sat.tokensPerSecondRegime);
  const fifty = computeWorkloadCost({ ...base, annotations: { 'servelint.io/concurrency': '50', 'servelint.io/input-tokens': '2000', 'servelint.io/output-tokens': '200' } });
  assert.equal(fifty.tokensPerSecondRegime, '50 concurrent, 2000 in / 200 out');
  const one = computeWorkloadCost({ ...base, annotations: { 'servelint.io/concurrency': '1' } });
  assert.equal(one.tokensPerSecondRegime, '1 user, 1000 in / 500 out');
  assert.ok((one.tokensPerSecond ?? 0) < (sat.tokensPerSecond ?? 0) / 10);
  assert.match(formatCostBreakdown(one), /output tok\/s per replica \(estimated for 1 user, 1000 in \/ 500 out/);
  const measured = computeWorkloadCost({ ...base, annotations: { 'servelint.io/tokens-per-second': '900' } });
  assert.equal(measured.tokensPerSecondRegime, null);
});

test('scheduler caps: vLLM 1024 on H100, 256 on A100; --max_batch_size caps TensorRT-LLM; uncalibrated vendors say so', () => {
  const on = (value: string, extra: object = {}) => computeWorkloadCost({
    kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.2-1B-Instruct', engine: 'vllm', annotations: { 'servelint.io/input-tokens': '100', 'servelint.io/output-tokens': '100' },
    nodeSelector: [{ key: 'cloud.google.com/gke-accelerator', value }], accelerator: { resource: 'nvidia.com/gpu', count: 1 }, ...extra,
  });
  assert.equal(on('nvidia-h100-80gb').throughput?.concurrency, 1024);
  assert.equal(on('nvidia-a100-80gb').throughput?.concurrency, 256);
  const trt = on('nvidia-h100-80gb', { engine: 'tensorrt-llm', maxNumSeqs: 64, maxNumSeqsFlag: '--max_batch_size' });
  assert.equal(trt.throughput?.concurrency, 64);
  assert.match(String(trt.assumptions.find((a) => a.key === 'concurrency')?.detail), /--max_batch_size/);
  const other = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct', accelerator: { resource: 'nvidia.com/gpu', count: 1 },
    annotations: { 'servelint.io/gpu': 'X9' }, }, { gpus: { extra: [{ id: 'X9', name: 'X9', vendor: 'other', memoryGB: 80, memoryBandwidthTBs: 2, bf16Tflops: 300, usdPerGpuHour: 1, priceSource: 'test' }] } } as never);
  assert.equal(other.assumptions.find((a) => a.key === 'calibration')?.value, 'uncalibrated');
  // An NVIDIA GPU without calibration rows (L4) says so next to the number; an H100 does not.
  assert.match(String(on('nvidia-l4').tokensPerSecondRegime), /, L4 uncalibrated$/);
  assert.doesNotMatch(String(on('nvidia-h100-80gb').tokensPerSecondRegime), /uncalibrated/);
});

test('checkpoint suffixes and MoE totals: -FP8-KV, -GPTQ-Int4, -NVFP4, Llama 4 from config (not "17B" in the name)', () => {
  const m = (id: string) => identifyModel(id)!;
  assert.equal(m('amd/Llama-3.1-70B-Instruct-FP8-KV').id, 'meta-llama/Llama-3.1-70B');
  assert.equal(m('amd/Llama-3.1-70B-Instruct-FP8-KV').quantization, 'fp8');
  assert.equal(m('Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4').quantization, 'gptq-int4');
  assert.equal(m('nvidia/Llama-3.3-70B-Instruct-NVFP4').quantization, 'nvfp4');
  const scout = m('meta-llama/Llama-4-Scout-17B-16E-Instruct');
  assert.deepEqual([scout.match, scout.totalParamsB, scout.activeParamsB], ['catalog', 109, 17]);
  assert.equal(m('RedHatAI/Llama-4-Maverick-17B-128E-Instruct-FP8').totalParamsB, 400);
  assert.equal(m('Qwen/Qwen3-235B-A22B-Thinking-2507-FP8').id, 'Qwen/Qwen3-235B-A22B');
});

test('no GPU named: a what-if on L4 / A100 / H100 at catalog prices, in the report, the table cell and the CodeLens', () => {
  const r = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct', engine: 'vllm', accelerator: { resource: 'nvidia.com/gpu', count: 1 } });
  assert.equal(r.usdPerMillionTokens, null);
  assert.deepEqual(r.whatIf?.map((w) => w.gpu), ['L4', 'A100-SXM-80GB', 'H100-SXM']);
  assert.ok(r.problems.some((p) => /^No GPU named: what-if on L4 \$[\d.]+, on A100-SXM-80GB \$[\d.]+, on H100-SXM \$[\d.]+ \/ 1M tokens/.test(p)), r.problems.join('\n'));
  const w = { cost: r } as never;
  assert.match(costRow('x', w)[7], /^what-if: L4 \$[\d.]+, A100-SXM-80GB \$[\d.]+, H100-SXM \$[\d.]+$/);
  assert.match(costLensTitle(w), /^servelint: no GPU named — what-if: on L4 \$[\d.]+, on A100-SXM-80GB \$[\d.]+, on H100-SXM \$[\d.]+ \/ 1M tokens/);
  assert.match(formatCostBreakdown(r), /What-if \(no GPU named\):\*\* on L4/);
  // Llama 3.1 70B in BF16 (141 GB) fits none of them on one GPU.
  const big = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-70B-Instruct', accelerator: { resource: 'nvidia.com/gpu', count: 1 } });
  assert.equal(big.whatIf, undefined);
  // An AMD, Gaudi or TPU request names its family: no NVIDIA what-if.
  assert.equal(computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct', accelerator: { resource: 'habana.ai/gaudi', count: 1 } }).whatIf, undefined);
  // gpus.default still turns it into a single figure.
  const single = computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct', accelerator: { resource: 'nvidia.com/gpu', count: 1 } }, { gpus: { default: 'L4' } });
  assert.equal(single.whatIf, undefined);
  assert.ok(single.usdPerMillionTokens !== null);
});

test('what-if figures are memoised per config by everything they are computed from: equal figures, own objects, and a changed input changes them', () => {
  const config = {};
  const input = { kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct', engine: 'vllm', accelerator: { resource: 'nvidia.com/gpu', count: 1 } };
  const a = computeWorkloadCost(input, config).whatIf!;
  const b = computeWorkloadCost(Object.assign({}, input, { name: 'other' }), config).whatIf!;
  assert.deepEqual(a, b);
  assert.notEqual(a[0], b[0]);
  a[0]!.usdPerMillionTokens = -1; // a caller's change stays in its own report
  assert.deepEqual(computeWorkloadCost(input, config).whatIf, computeWorkloadCost(input, {}).whatIf);
  const changes = [
    { annotations: { 'servelint.io/output-tokens': '2000' } }, { annotations: { 'servelint.io/concurrency': '8' } }, { maxNumSeqs: 4 },
    { kvCacheDtype: 'fp8' }, { gpuMemoryUtilization: 0.5 }, { engine: 'sglang' }, { quantization: 'fp8' }, { accelerator: { resource: 'nvidia.com/gpu', count: 2 } },
  ];
  for (const change of changes) {
    const fresh = computeWorkloadCost(Object.assign({}, input, change), {}).whatIf;
    assert.deepEqual(computeWorkloadCost(Object.assign({}, input, change), config).whatIf, fresh, JSON.stringify(change));
    assert.notDeepEqual(fresh, computeWorkloadCost(input, {}).whatIf, JSON.stringify(change));
  }
});

test('gpus.provider: one cloud\'s list prices by default (aws), with the instance type and as-of date; azure switches the table', () => {
  const on = (value: string, config = {}) => computeWorkloadCost({ kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct',
    annotations: { 'servelint.io/gpu': value }, accelerator: { resource: 'nvidia.com/gpu', count: 1 } }, config);
  const aws = on('H100-SXM');
  assert.equal(aws.usdPerGpuHour, 6.88);
  assert.match(String(aws.priceSource), /^aws p5\.48xlarge \$55\.04\/hr \/ 8 GPUs \(cheapest aws instance type.*as of 2026-07-20\)$/);
  const azure = on('H100-SXM', { gpus: { provider: 'azure' } });
  assert.equal(azure.usdPerGpuHour, 12.29);
  assert.match(String(azure.priceSource), /^azure Standard_ND96isr_H100_v5/);
  // AWS sells no A10: the catalog price (Azure) is used and labelled as not on the provider's prices.
  assert.match(String(on('A10').priceSource), /no aws price for A10/);
});
