/**
 * Calibration of the throughput estimate against published measurements (server/data/calibration.json, each row
 * cited). Every 4th row in id order is held out: the efficiency figures in engine/cost/throughput.ts were chosen on
 * the other rows only. The error by slice is pinned; docs/cost-model.md reproduces it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import Ajv from 'ajv';
import calibration from '../../server/data/calibration.json';
import schema from '../../schemas/calibration.schema.json';
import { allReduceSecondsPerToken, defaultGpuCatalog, estimateRunThroughput, estimateThroughputDetailed, findGpuById, identifyModel, kvReplication,
  moeKernelPath, moeSplit, TUNING } from '../../server/src/engine/cost';
import { imageTag } from '../../server/src/engine/cost-bridge';
import { CALIBRATION_ROWS, evaluateRow, sliceStats } from './helpers/calibration';
import { run } from './helpers/lint';

test('the calibration set validates against its schema', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
  assert.ok(validate(calibration), JSON.stringify(validate.errors));
  assert.equal(new Set(CALIBRATION_ROWS.map((r) => r.id)).size, CALIBRATION_ROWS.length);
});

test('the held-out split is every 4th row in id order within each collection batch, fixed', () => {
  // Batch 1: the first 74 rows; batch 2: the gpustack MoE result blocks added for issue #15; batch 3: two InferenceX points. Splitting per batch means
  // adding rows never moves an existing row between fit and held-out.
  for (const batch of new Set(CALIBRATION_ROWS.map((r) => r.batch))) {
    const rows = CALIBRATION_ROWS.filter((r) => r.batch === batch);
    const ids = rows.map((r) => r.id).sort();
    for (const r of rows) assert.equal(r.split, ids.indexOf(r.id) % 4 === 3 ? 'held-out' : 'fit', r.id);
  }
  assert.equal(CALIBRATION_ROWS.filter((r) => r.batch === 1).length, 74);
  assert.equal(CALIBRATION_ROWS.filter((r) => r.split === 'held-out').length, 36);
});

test('in-sample and held-out error by slice (median / max absolute %, rows)', () => {
  const stats = sliceStats(CALIBRATION_ROWS.map((r) => evaluateRow(r)));
  const got = Object.fromEntries(stats.map((s) => [`${s.split} ${s.slice}`, [s.rows, s.medianApe, s.maxApe]]));
  assert.deepEqual(got, {
    'fit all': [114, 18.9, 1616.7],
    'fit dense': [34, 12.2, 489.1],
    'fit MoE': [80, 23.1, 1616.7],
    'fit NVIDIA': [103, 20.1, 1616.7],
    'fit AMD': [5, 12.7, 17.3],
    'fit Intel': [6, 23.8, 35.2],
    'fit batch 1': [13, 12.7, 149.5],
    'fit intermediate (4-64)': [9, 16.3, 59.4],
    'fit saturated': [92, 22, 1616.7],
    'held-out all': [36, 18.4, 82.7],
    'held-out dense': [12, 17.5, 51],
    'held-out MoE': [24, 20.1, 82.7],
    'held-out NVIDIA': [34, 18.4, 82.7],
    'held-out AMD': [1, 20.7, 20.7],
    'held-out Intel': [1, 17.5, 17.5],
    'held-out batch 1': [3, 26.4, 51],
    'held-out intermediate (4-64)': [3, 20.5, 33.6],
    'held-out saturated': [30, 17.9, 82.7],
  });
  const heldOut = stats.find((s) => s.split === 'held-out' && s.slice === 'all')!;
  assert.ok(heldOut.medianApe <= 25, `held-out median ${heldOut.medianApe}%`);
});

test('no held-out row is off by 2x or more', () => {
  const off = CALIBRATION_ROWS.filter((r) => r.split === 'held-out').map((r) => evaluateRow(r)).filter((r) => r.error >= 1 || r.error <= -0.5);
  assert.deepEqual(off.map((r) => r.row.id), []);
});

test('TensorRT-LLM below 1.3 runs MXFP4 experts on Hopper with its CUTLASS MoE backend: slower expert GEMMs; not 1.3+, Blackwell, other engines or BF16 models', () => {
  const catalog = defaultGpuCatalog();
  const h100 = findGpuById('H100-SXM', catalog)!;
  const oss = identifyModel('openai/gpt-oss-20b')!;
  const at = (over: Record<string, unknown>) => moeKernelPath({ engine: 'tensorrt-llm', engineVersion: '1.0.0', gpu: h100, model: oss, ...over }, TUNING.trtllmHopperMxfp4MoeEfficiency);
  assert.equal(at({})?.factor, TUNING.trtllmHopperMxfp4MoeEfficiency);
  assert.ok(at({ engineVersion: 'v1.2.0rc1' }));
  assert.equal(at({ engineVersion: '1.3.0rc2' }), undefined);
  assert.equal(at({ engineVersion: undefined }), undefined, 'unknown version: taken as current');
  assert.equal(at({ gpu: findGpuById('B200', catalog)! }), undefined);
  assert.equal(at({ engine: 'vllm' }), undefined);
  assert.equal(at({ model: identifyModel('Qwen/Qwen3-30B-A3B')! }), undefined);
  const p = { gpu: h100, gpus: 1, model: oss, engine: 'tensorrt-llm', inputTokens: 215, outputTokens: 192 };
  const slow = estimateThroughputDetailed({ ...p, engineVersion: '1.0.0' });
  assert.ok(slow.tokensPerSecond < 0.6 * estimateThroughputDetailed(p).tokensPerSecond);
  assert.match(slow.notes.join(' '), /default CUTLASS MoE backend/);
});

test('a trtllm-serve manifest: the image tag is the engine version', () => {
  const manifest = (tag: string) => oneGpuDeployment('oss', 'H100-SXM', 1, `
        - name: trtllm
          image: nvcr.io/nvidia/tensorrt-llm/release:${tag}
          command: ["trtllm-serve", "openai/gpt-oss-20b"]`);
  const cost = (tag: string) => run(manifest(tag)).workloads[0]!.cost!;
  const old = cost('1.0.0');
  const current = cost('1.3.0rc5');
  assert.ok(old.tokensPerSecond! < 0.6 * current.tokensPerSecond!, `${old.tokensPerSecond} vs ${current.tokensPerSecond}`);
  assert.equal(imageTag('nvcr.io/nvidia/tensorrt-llm/release:1.0.0'), '1.0.0');
  assert.equal(imageTag('localhost:5000/trtllm'), undefined);
  assert.equal(imageTag('img@sha256:abc'), undefined);
});

test('mixture of experts: a large decode batch reads nearly all experts, a single sequence only the active ones', () => {
  const catalog = defaultGpuCatalog();
  const gpu = findGpuById('H100-SXM', catalog)!;
  const model = identifyModel('deepseek-ai/DeepSeek-R1')!;
  assert.ok(model.activeParamsB < model.totalParamsB);
  const one = estimateThroughputDetailed({ gpu, gpus: 16, model, maxConcurrency: 1 });
  const many = estimateThroughputDetailed({ gpu, gpus: 16, model, maxConcurrency: 256 });
  assert.match(one.notes.join(' '), /a decode step of 1 sequence reads ~6% of the weights/);
  assert.match(many.notes.join(' '), /a decode step of 256 sequences reads ~100% of the weights/);
  // 256 sequences share one read of (almost) all 671 GB per step instead of 37 GB: far below 256x one sequence.
  assert.ok(many.tokensPerSecond < 64 * one.tokensPerSecond, `${many.tokensPerSecond} vs ${one.tokensPerSecond}`);
  assert.ok(many.tokensPerSecond > one.tokensPerSecond);
});

test('FP4 weights use the FP4 compute peak on Blackwell; vLLM caps concurrency by GPU', () => {
  const catalog = defaultGpuCatalog();
  const b200 = findGpuById('B200', catalog)!;
  const fp4 = estimateThroughputDetailed({ gpu: b200, gpus: 1, model: identifyModel('meta-llama/Llama-3.3-70B-Instruct', { quantization: 'nvfp4' })! });
  assert.equal(fp4.breakdown.peakTflopsKind, 'FP4');
  const m = identifyModel('meta-llama/Llama-3.1-8B-Instruct')!;
  assert.equal(estimateThroughputDetailed({ gpu: findGpuById('H100-SXM', catalog)!, gpus: 1, model: m, engine: 'vllm', kvBytesPerValue: 1, inputTokens: 100, outputTokens: 100 }).breakdown.concurrency, 1024);
  assert.equal(estimateThroughputDetailed({ gpu: findGpuById('A100-SXM-80GB', catalog)!, gpus: 1, model: m, engine: 'vllm', inputTokens: 100, outputTokens: 100 }).breakdown.concurrency, 256);
});

test('a GPU whose vendor has no calibration rows is reported as uncalibrated', () => {
  const gpu = { id: 'X1', name: 'X', vendor: 'other' as const, memoryGB: 80, memoryBandwidthTBs: 2, bf16Tflops: 300 };
  const r = estimateThroughputDetailed({ gpu, gpus: 1, model: identifyModel('meta-llama/Llama-3.1-8B-Instruct')! });
  assert.equal(r.breakdown.calibrated, false);
});

test('KV copies: a GPU holds at least one KV head; MLA keeps its one latent on every tensor-parallel GPU', () => {
  const r1 = identifyModel('deepseek-ai/DeepSeek-R1-0528')!;
  assert.equal(kvReplication(r1.spec, 8), 8);
  assert.equal(kvReplication(r1.spec, 8, true), 1, 'data-parallel attention: no copies');
  assert.equal(kvReplication(identifyModel('Qwen/Qwen3-235B-A22B')!.spec, 8), 2, '4 KV heads over 8 GPUs');
  assert.equal(kvReplication(identifyModel('meta-llama/Llama-3.3-70B-Instruct')!.spec, 8), 1, '8 KV heads over 8 GPUs');
  assert.equal(kvReplication(r1.spec, 1), 1);
  // The copies bound the batch: DeepSeek-R1 FP8 on 8x H200 at 1000 in / 500 out.
  const gpu = findGpuById('H200', defaultGpuCatalog())!;
  const tp = estimateThroughputDetailed({ gpu, gpus: 8, model: r1, engine: 'sglang' });
  const dp = estimateThroughputDetailed({ gpu, gpus: 8, model: r1, engine: 'sglang', attentionDataParallel: true });
  assert.equal(tp.breakdown.concurrencyBound, 'kv-cache memory');
  assert.ok(dp.breakdown.concurrency >= 7 * tp.breakdown.concurrency, `${dp.breakdown.concurrency} vs ${tp.breakdown.concurrency}`);
});

test('mixture of experts: routed experts are k x (total - active) / (E - k) of the active parameters', () => {
  const r1 = moeSplit(identifyModel('deepseek-ai/DeepSeek-R1')!);
  assert.equal(Math.round(r1.routedActiveB * 100) / 100, 20.45); // 8 x (671 - 37) / (256 - 8)
  assert.equal(r1.expertFraction, 8 / 256);
  assert.deepEqual(moeSplit(identifyModel('meta-llama/Llama-3.1-8B-Instruct')!), { routedActiveB: 0, expertFraction: 1 });
});

test('tensor-parallel all-reduce traffic: none on one GPU, slower over PCIe than NVLink', () => {
  const catalog = defaultGpuCatalog();
  const m = identifyModel('meta-llama/Llama-3.3-70B-Instruct')!;
  assert.equal(allReduceSecondsPerToken(findGpuById('H100-SXM', catalog)!, 1, m), 0);
  const nvlink = allReduceSecondsPerToken(findGpuById('H100-SXM', catalog)!, 4, m);
  const pcie = allReduceSecondsPerToken(findGpuById('L40S', catalog)!, 4, m);
  assert.ok(nvlink > 0 && pcie > 10 * nvlink, `${nvlink} vs ${pcie}`);
});

test('a finite run with varied answer lengths ends in a tail: below the steady state; fixed lengths and many prompts approach it', () => {
  const gpu = findGpuById('H200', defaultGpuCatalog())!;
  const p = { gpu, gpus: 8, model: identifyModel('deepseek-ai/DeepSeek-R1-0528')!, engine: 'sglang', inputTokens: 219, outputTokens: 201 };
  const steady = estimateThroughputDetailed(p).tokensPerSecond;
  const shareGpt = estimateRunThroughput(p, { prompts: 1000, outputLengths: 'exponential', maxTotalTokens: 2048 });
  const fixed = estimateRunThroughput({ ...p, maxConcurrency: 64 }, { prompts: 6400, outputLengths: 'fixed' });
  const steady64 = estimateThroughputDetailed({ ...p, maxConcurrency: 64 }).tokensPerSecond;
  assert.ok(shareGpt < 0.8 * steady, `${shareGpt} vs ${steady}`);
  assert.ok(Math.abs(fixed / steady64 - 1) < 0.1, `${fixed} vs ${steady64}`);
});

test('SGLang --enable-dp-attention in the manifest: DeepSeek-R1 keeps one KV copy, so the KV-bound batch grows', () => {
  const manifest = (extra: string) => oneGpuDeployment('r1', 'H200', 8, `
        - name: sglang
          image: lmsysorg/sglang:v0.5.3
          command: ["python3", "-m", "sglang.launch_server"]
          args: ["--model-path", "deepseek-ai/DeepSeek-R1-0528", "--tp", "8"${extra}]`);
  const regime = (text: string) => run(text).workloads[0]!.cost!.tokensPerSecondRegime;
  assert.equal(regime(manifest('')), 'saturated, 467 seqs (KV-cache bound), 1000 in / 500 out');
  assert.equal(regime(manifest(', "--enable-dp-attention"')), 'saturated, 3736 seqs (KV-cache bound), 1000 in / 500 out');
});

/** A one-replica Deployment on `gpus` x `gpu` (annotation servelint.io/gpu) whose containers list is `containers`. */
function oneGpuDeployment(name: string, gpu: string, gpus: number, containers: string): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  annotations:
    servelint.io/gpu: ${gpu}
spec:
  replicas: 1
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      containers:${containers}
          resources:
            limits:
              nvidia.com/gpu: ${gpus}
`;
}
