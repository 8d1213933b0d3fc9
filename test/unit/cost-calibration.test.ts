/**
 * Calibration of the decode-roofline throughput estimate against published measurements
 * (/work/shared/reference/gpu-cost-facts.md section 4). Prints the table that docs/cost-model.md reproduces.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultGpuCatalog, estimateThroughputDetailed, findGpuById, identifyModel } from '../../server/src/engine/cost';

interface Reference {
  label: string;
  model: string;
  gpu: string;
  gpus: number;
  input: number;
  output: number;
  /** Concurrent sequences; Infinity = saturation (unbounded) benchmark. */
  concurrency: number;
  kvBytes: number;
  measured: number;
  source: string;
}

const TRT = 'TensorRT-LLM perf-overview (max throughput, FP8 KV assumed)';
const NIM = 'NVIDIA NIM 1.0 benchmarks';
export const REFERENCES: Reference[] = [
  { label: 'Llama-3.1-8B FP8, 1x H100, 128/2048', model: 'meta-llama/Llama-3.1-8B-Instruct-FP8', gpu: 'H100-SXM', gpus: 1, input: 128, output: 2048, concurrency: Infinity, kvBytes: 1, measured: 22714, source: TRT },
  { label: 'Llama-3.1-8B FP8, 1x H100, 1000/1000', model: 'meta-llama/Llama-3.1-8B-Instruct-FP8', gpu: 'H100-SXM', gpus: 1, input: 1000, output: 1000, concurrency: Infinity, kvBytes: 1, measured: 15220, source: TRT },
  { label: 'Llama-3.1-8B FP8, 1x H100, 2048/2048', model: 'meta-llama/Llama-3.1-8B-Instruct-FP8', gpu: 'H100-SXM', gpus: 1, input: 2048, output: 2048, concurrency: Infinity, kvBytes: 1, measured: 9305, source: TRT },
  { label: 'Llama-3.1-8B FP8, 1x H200, 1000/1000', model: 'meta-llama/Llama-3.1-8B-Instruct-FP8', gpu: 'H200', gpus: 1, input: 1000, output: 1000, concurrency: Infinity, kvBytes: 1, measured: 17744, source: TRT },
  { label: 'Llama-3.3-70B FP8, 2x H100, 1000/1000', model: 'meta-llama/Llama-3.3-70B-Instruct-FP8', gpu: 'H100-SXM', gpus: 2, input: 1000, output: 1000, concurrency: Infinity, kvBytes: 1, measured: 4205, source: TRT },
  { label: 'Llama-3.3-70B FP8, 1x H200, 1000/1000', model: 'meta-llama/Llama-3.3-70B-Instruct-FP8', gpu: 'H200', gpus: 1, input: 1000, output: 1000, concurrency: Infinity, kvBytes: 1, measured: 2909, source: TRT },
  { label: 'Llama-3.1-405B FP8, 8x H100, 1000/1000 (ISL/OSL assumed)', model: 'meta-llama/Llama-3.1-405B-Instruct-FP8', gpu: 'H100-SXM', gpus: 8, input: 1000, output: 1000, concurrency: Infinity, kvBytes: 1, measured: 2919, source: TRT },
  { label: 'Llama-3.3-70B FP8, 2x H100, 5000/500, concurrency 1', model: 'meta-llama/Llama-3.3-70B-Instruct-FP8', gpu: 'H100-SXM', gpus: 2, input: 5000, output: 500, concurrency: 1, kvBytes: 1, measured: 51.7, source: NIM },
  { label: 'Llama-3.3-70B FP8, 2x H100, 5000/500, concurrency 50', model: 'meta-llama/Llama-3.3-70B-Instruct-FP8', gpu: 'H100-SXM', gpus: 2, input: 5000, output: 500, concurrency: 50, kvBytes: 1, measured: 814, source: NIM },
  { label: 'Llama-3.3-70B FP8, 2x H100, 5000/500, plateau (>100)', model: 'meta-llama/Llama-3.3-70B-Instruct-FP8', gpu: 'H100-SXM', gpus: 2, input: 5000, output: 500, concurrency: Infinity, kvBytes: 1, measured: 920, source: NIM },
  { label: 'Llama-2-7B BF16, 1x A100-80GB, batch 1', model: 'meta-llama/Llama-2-7b-hf', gpu: 'A100-SXM-80GB', gpus: 1, input: 5, output: 200, concurrency: 1, kvBytes: 2, measured: 104.9, source: 'gpt-fast' },
];

/** The band asserted below: median absolute percentage error of the estimate vs the references. */
export const MEDIAN_APE_BAND = 0.25;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

test('throughput estimate is calibrated against published measurements', () => {
  const catalog = defaultGpuCatalog();
  const rows: string[] = ['| Reference | Measured tok/s | Estimated tok/s | Bound | Concurrency | Error |', '|---|---:|---:|---|---:|---:|'];
  const errors: number[] = [];
  for (const r of REFERENCES) {
    const gpu = findGpuById(r.gpu, catalog);
    const model = identifyModel(r.model);
    assert.ok(gpu, r.gpu);
    assert.ok(model, r.model);
    const est = estimateThroughputDetailed({
      gpu, gpus: r.gpus, model, kvBytesPerValue: r.kvBytes, inputTokens: r.input, outputTokens: r.output, maxConcurrency: r.concurrency,
    });
    const err = (est.tokensPerSecond - r.measured) / r.measured;
    errors.push(Math.abs(err));
    rows.push(`| ${r.label} (${r.source}) | ${fmt(r.measured)} | ${fmt(est.tokensPerSecond)} | ${est.bound} | ${est.breakdown.concurrency} | ${err >= 0 ? '+' : ''}${(err * 100).toFixed(0)}% |`);
  }
  const med = median(errors);
  rows.push('', `Median absolute percentage error: ${(med * 100).toFixed(1)}% (band: ${MEDIAN_APE_BAND * 100}%); max: ${(Math.max(...errors) * 100).toFixed(1)}%`);
  console.log(rows.join('\n'));
  assert.ok(med <= MEDIAN_APE_BAND, `median APE ${(med * 100).toFixed(1)}% exceeds ${MEDIAN_APE_BAND * 100}%`);
  // No single reference may be off by more than 2x either way.
  for (const e of errors) assert.ok(e < 1, `an estimate is off by ${(e * 100).toFixed(0)}%`);
});

function fmt(x: number): string {
  return x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1);
}

test('mixture of experts: a large decode batch reads nearly all experts, a single sequence only the active ones', () => {
  const catalog = defaultGpuCatalog();
  const gpu = findGpuById('H100-SXM', catalog)!;
  const model = identifyModel('deepseek-ai/DeepSeek-R1')!;
  assert.ok(model.activeParamsB < model.totalParamsB);
  const one = estimateThroughputDetailed({ gpu, gpus: 16, model, maxConcurrency: 1 });
  const many = estimateThroughputDetailed({ gpu, gpus: 16, model, maxConcurrency: 256 });
  assert.match(one.notes.join(' '), /a decode step of 1 sequence reads ~6% of the weights/);
  assert.match(many.notes.join(' '), /a decode step of 256 sequences reads ~100% of the weights/);
  // 256 sequences share one read of (almost) all 671 GB per step, instead of 37 GB: far below 256x one sequence.
  assert.ok(many.tokensPerSecond < 30 * one.tokensPerSecond, `${many.tokensPerSecond} vs ${one.tokensPerSecond}`);
  assert.ok(many.tokensPerSecond > one.tokensPerSecond);
});
