/**
 * Output tokens/s per replica: a decode roofline (memory-bandwidth bound, capped by compute) plus prefill time, for a
 * steady saturated server (estimateThroughputDetailed) or a finite benchmark run (estimateRunThroughput).
 * See docs/cost-model.md for the formula and its calibration against published measurements.
 */
import type { Assumption } from '../types';
import { DEFAULT_INPUT_TOKENS, DEFAULT_OUTPUT_TOKENS, PARALLEL_EFFICIENCY_PER_DOUBLING, RUNTIME_RESERVE_GB_PER_GPU, TUNING, VENDOR_EFFICIENCY,
  engineMaxConcurrency, round, stepModel, type ThroughputBreakdown, type ThroughputParams, type Tuning } from './step-model';
import type { ThroughputEstimate } from './types';

export * from './step-model';

/** The roofline estimate with its intermediate figures. */
export function estimateThroughputDetailed(p: ThroughputParams & { tuning?: Partial<Tuning> }): { tokensPerSecond: number; bound: 'memory-bandwidth' | 'compute'; breakdown: ThroughputBreakdown; notes: string[] } {
  const m = stepModel(p);
  const notes = m.notes;
  const inTok = p.inputTokens ?? DEFAULT_INPUT_TOKENS;
  const outTok = Math.max(1, p.outputTokens ?? DEFAULT_OUTPUT_TOKENS);
  const concurrency = m.breakdownBase.concurrency;
  if (concurrency < 1) {
    notes.push('The weights leave no room for a single sequence of KV cache: the model does not fit these GPUs.');
    return { tokensPerSecond: 0, bound: 'memory-bandwidth', notes,
      breakdown: Object.assign({}, m.breakdownBase, { stepMemorySeconds: 0, stepComputeSeconds: null, prefillSecondsPerRequest: null }) };
  }
  const s = m.step(concurrency, concurrency * (inTok + outTok / 2));
  const prefill = m.prefill(inTok);
  if (p.model.activeParamsB < p.model.totalParamsB) {
    notes.push(`Mixture of experts: ${p.model.activeParamsB}B of ${p.model.totalParamsB}B parameters are active per token, but a decode step of ` +
      `${concurrency} sequence${concurrency === 1 ? "" : "s"} reads ~${Math.round(m.weightShare(concurrency) * 100)}% of the weights (the experts any of them routes to, routing taken as uniform).`);
  }
  const secondsPerOutputToken = s.seconds / concurrency + (prefill ?? 0) / outTok;
  return {
    tokensPerSecond: 1 / secondsPerOutputToken,
    bound: s.compute !== null && s.compute > s.memory ? 'compute' : 'memory-bandwidth',
    notes,
    breakdown: Object.assign({}, m.breakdownBase, { stepMemorySeconds: s.memory, stepComputeSeconds: s.compute, prefillSecondsPerRequest: prefill }),
  };
}

/**
 * A finite benchmark run: `prompts` requests all sent at once (request rate ∞), as `vllm bench serve --num-prompts N`
 * does. Output lengths are 'fixed' (all `outputTokens`) or 'exponential' with mean `outputTokens`, capped at
 * `maxTotalTokens` − input (ShareGPT conversations: vLLM's benchmark drops prompts over 1,024 tokens and prompt + output
 * over 2,048, vllm-project/vllm vllm/benchmarks/datasets.py is_valid_sequence max_prompt_len=1024, max_total_len=2048).
 */
export interface BenchmarkRun {
  prompts: number;
  outputLengths: 'fixed' | 'exponential';
  maxTotalTokens?: number;
}

/**
 * Output tokens/s of a finite run, simulated step by step with the same step cost as the steady-state estimate:
 * the scheduler admits up to its batch limit, each admission costs its prefill, each decode step emits one token per
 * running sequence, and finished sequences leave. Unlike a steady saturated server, the run ends with a tail in which
 * the few longest answers decode at a small batch, so its average is below the steady-state figure.
 */
export function estimateRunThroughput(p: ThroughputParams & { tuning?: Partial<Tuning> }, run: BenchmarkRun): number {
  const m = stepModel(p);
  const inTok = p.inputTokens ?? DEFAULT_INPUT_TOKENS;
  const mean = Math.max(1, p.outputTokens ?? DEFAULT_OUTPUT_TOKENS);
  const n = Math.max(1, Math.round(run.prompts));
  const maxOut = Math.max(1, (run.maxTotalTokens ?? Infinity) - inTok);
  let lengths = Array.from({ length: n }, (_, i) => run.outputLengths === 'fixed' ? mean : -mean * Math.log(1 - (i + 0.5) / n));
  // Clamp to [1, maxOut], then rescale once so the mean is the run's.
  const clamp = (xs: number[]) => xs.map((x) => Math.min(maxOut, Math.max(1, Math.round(x))));
  lengths = clamp(lengths);
  const avg = lengths.reduce((a, b) => a + b, 0) / n;
  lengths = clamp(lengths.map((x) => x * mean / avg));
  // Arrival order: a fixed pseudo-random shuffle (the dataset's order is unrelated to answer length).
  let seed = 12345;
  for (let i = n - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const j = seed % (i + 1);
    [lengths[i], lengths[j]] = [lengths[j], lengths[i]];
  }
  const limit = m.breakdownBase.concurrency;
  if (limit < 1) return 0;
  const remaining: number[] = [];
  const context: number[] = [];
  let next = 0;
  let time = 0;
  let emitted = 0;
  const admit = () => {
    while (remaining.length < limit && next < n) {
      remaining.push(lengths[next++]);
      context.push(inTok);
      time += m.prefill(inTok) ?? 0;
    }
  };
  admit();
  while (remaining.length > 0) {
    const ctx = context.reduce((a, b) => a + b, 0);
    time += m.step(remaining.length, ctx).seconds;
    emitted += remaining.length;
    for (let i = remaining.length - 1; i >= 0; i--) {
      remaining[i]--;
      context[i]++;
      if (remaining[i] <= 0) { remaining.splice(i, 1); context.splice(i, 1); }
    }
    admit();
  }
  return emitted / time;
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
      detail: p.model.activeParamsB < p.model.totalParamsB ? `mixture of experts: routed-expert GEMMs at n / (n + ${TUNING.moeTokensPerExpertHalf}) of it, n = tokens per expert in the forward pass` : undefined },
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
