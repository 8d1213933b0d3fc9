/** Cold-start weight-load time and the memory-fit check behind rule model-exceeds-gpu-memory. */
import type { Assumption } from '../types';
import { DEFAULT_GPU_MEMORY_UTILIZATION } from './throughput';
import type { MemoryFit, ModelInfo, WeightLoadEstimate } from './types';

/** ~1 GB/s: Run:ai Model Streamer measured ~1 GB/s from GP3 network disk (facts 6). */
export const DEFAULT_WEIGHT_LOAD_GBPS = 1;
/** Process start, CUDA init, engine warm-up and CUDA-graph capture after the weights are in memory. Estimate. */
export const DEFAULT_STARTUP_SECONDS = 60;
/** Flat default when the model is unknown. */
export const DEFAULT_WEIGHT_LOAD_SECONDS = 300;

export interface WeightLoadOptions {
  /** annotation servelint.io/weight-load-gbps or config assumptions.weightLoadGbps. */
  gbps?: number;
  gbpsSource?: Assumption['source'];
  /** annotation servelint.io/weight-load-seconds or config assumptions.weightLoadSeconds: overrides everything. */
  seconds?: number;
  secondsSource?: Assumption['source'];
  /** config assumptions.startupSeconds. */
  startupSeconds?: number;
  startupSource?: Assumption['source'];
}

/** seconds = weight bytes / load bandwidth + start-up allowance; 300 s flat when the model is unknown; an explicit figure wins. */
export function estimateWeightLoad(model: ModelInfo | undefined, opts: WeightLoadOptions = {}): WeightLoadEstimate {
  const override = 'annotation servelint.io/weight-load-seconds or config assumptions.weightLoadSeconds';
  if (opts.seconds !== undefined && opts.seconds >= 0) {
    return { seconds: opts.seconds, assumptions: [{ key: 'weightLoadSeconds', label: 'Weight-load time', value: opts.seconds, unit: 's',
      source: opts.secondsSource ?? 'annotation', override }] };
  }
  if (!model) {
    return { seconds: DEFAULT_WEIGHT_LOAD_SECONDS, assumptions: [{ key: 'weightLoadSeconds', label: 'Weight-load time (model unknown)',
      value: DEFAULT_WEIGHT_LOAD_SECONDS, unit: 's', source: 'default', override, detail: 'flat default: the model size is unknown' }] };
  }
  const gbps = opts.gbps && opts.gbps > 0 ? opts.gbps : DEFAULT_WEIGHT_LOAD_GBPS;
  const startup = opts.startupSeconds ?? DEFAULT_STARTUP_SECONDS;
  const weightsGB = (model.checkpointBytes ?? model.weightBytes) / 1e9;
  const seconds = weightsGB / gbps + startup;
  return {
    seconds,
    assumptions: [
      { key: 'weightBytes', label: 'Weights', value: Math.round(weightsGB * 10) / 10, unit: 'GB', source: 'catalog',
        override: 'add the model under `models` in .servelint.yaml', detail: model.checkpointNote ? `${model.totalParamsB}B params, ${model.checkpointNote.replace(/,$/, '')}` : `${model.totalParamsB}B params x ${round3(model.bytesPerParam)} bytes (${model.quantizationSource})` },
      { key: 'weightLoadGbps', label: 'Weight-load bandwidth', value: gbps, unit: 'GB/s', source: opts.gbps ? (opts.gbpsSource ?? 'annotation') : 'default',
        override: 'annotation servelint.io/weight-load-gbps or config assumptions.weightLoadGbps',
        detail: '~1 GB/s network disk (Run:ai streamer on GP3); 3-5 GB/s local NVMe; <1 GB/s naive loading; hub downloads are slower' },
      { key: 'startupSeconds', label: 'Start-up allowance (CUDA init, engine warm-up, CUDA graphs)', value: startup, unit: 's',
        source: opts.startupSeconds !== undefined ? (opts.startupSource ?? 'config') : 'default', override: 'config assumptions.startupSeconds' },
    ],
  };
}

/** Weights vs GPUs per pod x memory x gpu-memory-utilization (vLLM default 0.9). */
export function checkMemoryFit(opts: { weightBytes: number; gpusPerPod: number; gpuMemoryGB: number; gpuMemoryUtilization?: number }): MemoryFit {
  const gmu = opts.gpuMemoryUtilization ?? DEFAULT_GPU_MEMORY_UTILIZATION;
  const total = opts.gpusPerPod * opts.gpuMemoryGB;
  const available = total * gmu;
  const weightsGB = opts.weightBytes / 1e9;
  return { weightsGB, availableGB: available, fits: weightsGB < available, headroomGB: Math.max(0, available - weightsGB), gpuMemoryUtilization: gmu, totalGpuMemoryGB: total };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
