/**
 * The calibration set (server/data/calibration.json) run through the throughput estimate: per-row errors and the
 * error by slice. Shared by test/unit/cost-calibration.test.ts and scripts that print the docs table.
 */
import data from '../../../server/data/calibration.json';
import { defaultGpuCatalog, estimateRunThroughput, estimateThroughputDetailed, findGpuById, identifyModel, type Tuning } from '../../../server/src/engine/cost';

export interface CalibrationRow {
  id: string;
  source: { repo?: string; path?: string; commit?: string; url?: string; title?: string; section?: string; table?: string; quote: string };
  model: string;
  quantization: string | null;
  moe: boolean;
  gpu: string;
  gpus: number;
  engine: string | null;
  engineVersion: string | null;
  inputTokens: number;
  outputTokens: number;
  /** null: unbounded (the engine's scheduler limit applies). */
  concurrency: number | null;
  kvBytesPerValue: number;
  regime: 'batch1' | 'intermediate' | 'saturated';
  outputTokensPerSecond: number;
  derivation?: string;
  /** A finite run of this many requests sent at once; dataset says how the answer lengths vary. */
  prompts?: number;
  dataset?: 'sharegpt' | 'random';
  attentionDataParallel?: boolean;
  batch: number;
  split: 'fit' | 'held-out';
}

export const CALIBRATION_ROWS = (data as unknown as { rows: CalibrationRow[] }).rows;

export interface RowResult {
  row: CalibrationRow;
  estimate: number;
  /** (estimate − measured) / measured. */
  error: number;
  bound: string;
  concurrency: number;
  vendor: string;
}

export function evaluateRow(row: CalibrationRow, tuning?: Partial<Tuning>): RowResult {
  const catalog = defaultGpuCatalog();
  const gpu = findGpuById(row.gpu, catalog);
  const model = identifyModel(row.model, { quantization: row.quantization ?? undefined });
  if (!gpu) throw new Error(`${row.id}: GPU ${row.gpu} not in the catalog`);
  if (!model) throw new Error(`${row.id}: model ${row.model} not in the catalog`);
  const params = {
    gpu, gpus: row.gpus, model, kvBytesPerValue: row.kvBytesPerValue, inputTokens: row.inputTokens, outputTokens: row.outputTokens,
    maxConcurrency: row.concurrency ?? undefined, engine: row.engine ?? undefined, engineVersion: row.engineVersion ?? undefined, tuning, attentionDataParallel: row.attentionDataParallel,
    // gpt-fast allocates only the KV cache of its one sequence, not a pool sized by gpu-memory-utilization.
    gpuMemoryUtilization: row.engine === 'gpt-fast' ? 1 : undefined,
  };
  const est = estimateThroughputDetailed(params);
  // A finite run (vllm bench serve --num-prompts N at request rate inf) is simulated, tail included.
  const tokensPerSecond = row.prompts && row.dataset
    ? estimateRunThroughput(params, { prompts: row.prompts, outputLengths: row.dataset === 'sharegpt' ? 'exponential' : 'fixed', maxTotalTokens: row.dataset === 'sharegpt' ? 2048 : undefined })
    : est.tokensPerSecond;
  return {
    row, estimate: tokensPerSecond, error: (tokensPerSecond - row.outputTokensPerSecond) / row.outputTokensPerSecond,
    bound: est.bound, concurrency: est.breakdown.concurrency, vendor: gpu.vendor ?? 'other',
  };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface SliceStats { slice: string; split: 'fit' | 'held-out'; rows: number; medianApe: number; maxApe: number; bias: number }

export const SLICES: { name: string; test: (r: RowResult) => boolean }[] = [
  { name: 'all', test: () => true },
  { name: 'dense', test: (r) => !r.row.moe },
  { name: 'MoE', test: (r) => r.row.moe },
  { name: 'NVIDIA', test: (r) => r.vendor === 'nvidia' },
  { name: 'AMD', test: (r) => r.vendor === 'amd' },
  { name: 'Intel', test: (r) => r.vendor === 'intel' },
  { name: 'batch 1', test: (r) => r.row.regime === 'batch1' },
  { name: 'intermediate (4-64)', test: (r) => r.row.regime === 'intermediate' },
  { name: 'saturated', test: (r) => r.row.regime === 'saturated' },
];

/** Median / max absolute % error (rounded to 0.1 %) and median signed error, per slice and split. */
export function sliceStats(results: RowResult[]): SliceStats[] {
  const out: SliceStats[] = [];
  for (const split of ['fit', 'held-out'] as const) {
    for (const s of SLICES) {
      const rs = results.filter((r) => r.row.split === split && s.test(r));
      if (rs.length === 0) continue;
      const ape = rs.map((r) => Math.abs(r.error));
      out.push({ slice: s.name, split, rows: rs.length, medianApe: pct(median(ape)), maxApe: pct(Math.max(...ape)), bias: pct(median(rs.map((r) => r.error))) });
    }
  }
  return out;
}

function pct(x: number): number {
  return Math.round(x * 1000) / 10;
}
