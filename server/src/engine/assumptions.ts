/**
 * Every number servelint assumes, in one place. Each can be overridden by an annotation on the workload or its
 * pod template (annotation wins), then by `assumptions` in .servelint.yaml / editor settings, then the default.
 * docs/assumptions.md documents this table.
 */
import type { Assumption, ServelintConfig } from './types';

export interface AssumptionSpec {
  key: keyof NonNullable<ServelintConfig['assumptions']>;
  annotation: string;
  label: string;
  unit: string;
  defaultValue: number;
  min: number;
  max: number;
}

export const ASSUMPTIONS: Record<string, AssumptionSpec> = {
  maxOutputTokens: {
    key: 'maxOutputTokens',
    annotation: 'servelint.io/max-output-tokens',
    label: 'longest answer',
    unit: 'tokens',
    defaultValue: 4096,
    min: 1,
    max: 10_000_000,
  },
  secondsPerOutputToken: {
    key: 'secondsPerOutputToken',
    annotation: 'servelint.io/seconds-per-output-token',
    label: 'time per output token (TPOT)',
    unit: 's',
    defaultValue: 0.03,
    // Above 0, as in the config schema (exclusiveMinimum 0): a 0 s TPOT would silently turn the grace check off.
    min: 1e-6,
    max: 60,
  },
  ttftSeconds: {
    key: 'ttftSeconds',
    annotation: 'servelint.io/ttft-seconds',
    label: 'time to first token (TTFT)',
    unit: 's',
    defaultValue: 0.5,
    min: 0,
    max: 3600,
  },
  weightLoadSeconds: {
    key: 'weightLoadSeconds',
    annotation: 'servelint.io/weight-load-seconds',
    label: 'time for a new replica to load weights and become ready',
    unit: 's',
    defaultValue: 300,
    min: 0,
    max: 86_400,
  },
  utilization: {
    key: 'utilization',
    annotation: 'servelint.io/utilization',
    label: 'average utilization',
    unit: '',
    defaultValue: 0.7,
    min: 0.0001,
    max: 1,
  },
};

/** Parses a numeric annotation; undefined (and a note) when missing or out of range. */
export function annotationNumber(annotations: Record<string, string>, name: string, min: number, max: number): number | undefined {
  const raw = annotations[name];
  if (raw === undefined) return undefined;
  const n = Number(String(raw).trim().replace(/s$/, ''));
  return Number.isFinite(n) && n >= min && n <= max ? n : undefined;
}

/**
 * Resolve one assumption. `derived` is a value worked out from the manifest (e.g. an output limit from the
 * server's args, or the cost model's weight-load estimate) that beats the built-in default but not the user.
 */
export function resolveAssumption(
  name: keyof typeof ASSUMPTIONS,
  annotations: Record<string, string>,
  config: ServelintConfig | undefined,
  derived?: { value: number; source: Assumption['source']; detail: string },
): Assumption {
  const spec = ASSUMPTIONS[name] as AssumptionSpec;
  const override = `annotation ${spec.annotation}, or assumptions.${spec.key} in .servelint.yaml`;
  const base = { key: spec.key, label: spec.label, unit: spec.unit, override };
  const fromAnnotation = annotationNumber(annotations, spec.annotation, spec.min, spec.max);
  if (fromAnnotation !== undefined) {
    return Object.assign({}, base, { value: fromAnnotation, source: 'annotation' as const, detail: `${spec.annotation}: "${annotations[spec.annotation]}"` });
  }
  const fromConfig = config?.assumptions?.[spec.key];
  if (typeof fromConfig === 'number' && fromConfig >= spec.min && fromConfig <= spec.max) {
    return Object.assign({}, base, { value: fromConfig, source: 'config' as const, detail: `assumptions.${spec.key} in config` });
  }
  if (derived && Number.isFinite(derived.value)) {
    // An estimate outside the assumption's range (a 600 GB download at 1 MB/s) is capped, and says so.
    const value = Math.min(spec.max, Math.max(spec.min, derived.value));
    const detail = value === derived.value ? derived.detail : `${derived.detail}; capped at ${value} ${spec.unit}`.trim();
    return Object.assign({}, base, { value, source: derived.source, detail });
  }
  return Object.assign({}, base, { value: spec.defaultValue, source: 'default' as const, detail: 'built-in default' });
}

export function fmtSeconds(s: number): string {
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
