/** servelint.io/* annotations read by the cost model, and number parsing that reports bad values. */
import type { Assumption } from '../types';
import { ASSUMPTIONS } from '../assumptions';

export const ANNOTATIONS = {
  gpu: 'servelint.io/gpu',
  tokensPerSecond: 'servelint.io/tokens-per-second',
  utilization: 'servelint.io/utilization',
  pricePerGpuHour: 'servelint.io/price-per-gpu-hour',
  weightLoadGbps: 'servelint.io/weight-load-gbps',
  weightLoadSeconds: 'servelint.io/weight-load-seconds',
  concurrency: 'servelint.io/concurrency',
  inputTokens: 'servelint.io/input-tokens',
  outputTokens: 'servelint.io/output-tokens',
} as const;

/**
 * The range each annotation's number must be in (validation at the boundary): outside it the annotation is
 * ignored with a problem, so no estimate, fix or bill computes with `1e308 $/GPU-hr` or a 10^300 s load.
 */
export const ANNOTATION_RANGES: Record<string, { min: number; max: number }> = {
  [ANNOTATIONS.tokensPerSecond]: { min: 0, max: 1e8 },
  [ANNOTATIONS.utilization]: { min: 0, max: 1 },
  [ANNOTATIONS.pricePerGpuHour]: { min: 0, max: 1000 },
  [ANNOTATIONS.weightLoadGbps]: { min: 0.001, max: 1000 },
  // The same range as the assumption the rules read (engine/assumptions.ts): one check for one annotation.
  [ANNOTATIONS.weightLoadSeconds]: { min: ASSUMPTIONS.weightLoadSeconds!.min, max: ASSUMPTIONS.weightLoadSeconds!.max },
  [ANNOTATIONS.concurrency]: { min: 1, max: 1e6 },
  [ANNOTATIONS.inputTokens]: { min: 1, max: 1e7 },
  [ANNOTATIONS.outputTokens]: { min: 1, max: 1e7 },
};

export interface Picked {
  value: number;
  source: Assumption['source'];
  /** e.g. 'annotation servelint.io/utilization' */
  from: string;
}

/** Reads a positive number from an annotation; a value that is not a number becomes a problem. */
export function annotationNumber(
  annotations: Record<string, string> | undefined, key: string, problems: string[], opts: { max?: number } = {},
): number | undefined {
  const raw = annotations?.[key];
  if (raw === undefined || raw.trim() === '') return undefined;
  // "$2.50", "50%", and for seconds "900s" (as the rules read them).
  const v = Number(raw.trim().replace(/^\$/, '').replace(/%$/, '').replace(/(\d)\s*s$/, '$1'));
  const pct = raw.trim().endsWith('%');
  const value = pct ? v / 100 : v;
  const range = ANNOTATION_RANGES[key] ?? { min: 0, max: Number.MAX_VALUE };
  const max = Math.min(range.max, opts.max ?? Infinity);
  if (!Number.isFinite(value) || value < range.min || value > max) {
    problems.push(`annotation ${key}: "${raw}" is not a valid number between ${range.min} and ${max}; ignored.`);
    return undefined;
  }
  return value;
}

/** First defined of annotation, config, args; undefined when none. */
export function pick(
  annotation: number | undefined, annotationKey: string,
  config: number | undefined, configKey: string,
  args?: number, argsName?: string,
): Picked | undefined {
  if (annotation !== undefined) return { value: annotation, source: 'annotation', from: `annotation ${annotationKey}` };
  if (args !== undefined && args > 0) return { value: args, source: 'args', from: `flag ${argsName}` };
  if (config !== undefined) return { value: config, source: 'config', from: `config ${configKey}` };
  return undefined;
}
