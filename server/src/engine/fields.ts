/**
 * Validation at the boundary: every number servelint reads from a manifest passes one range check, defined once
 * here per field (Kubernetes' own limits: int32 counts, non-negative durations, the API server's defaulting of 0).
 * Readers get `undefined` for a value out of range, so no rule, hover, cost or fix computes with it; the
 * invalid-value rule reports the same check at the value, saying what servelint assumed instead.
 */
import { isScalar } from 'yaml';
import { formatEnUs } from './numfmt';

export const INT32_MAX = 2_147_483_647;

export interface NumericField {
  /** As messages name it: "replicas", "startupProbe.periodSeconds". */
  name: string;
  /** Whole numbers only (Kubernetes integer fields). */
  integer: boolean;
  min: number;
  max: number;
  /** The API server replaces 0 by this default (probe periodSeconds, failureThreshold, timeoutSeconds). */
  zeroMeans?: number;
  /** What servelint uses instead of an invalid value ("1 replica", "the default 30 s"). */
  assumed: string;
}

const int = (name: string, min: number, assumed: string, extra: Partial<NumericField> = {}): NumericField => ({ name, integer: true, min, max: INT32_MAX, assumed, ...extra });

export const FIELDS = {
  replicas: int('replicas', 0, '1 replica'),
  progressDeadlineSeconds: int('progressDeadlineSeconds', 1, 'the default 600 s'),
  terminationGracePeriodSeconds: int('terminationGracePeriodSeconds', 0, 'the default 30 s'),
  initialDelaySeconds: int('initialDelaySeconds', 0, 'the Kubernetes default 0'),
  periodSeconds: int('periodSeconds', 0, 'the Kubernetes default 10 s', { zeroMeans: 10 }),
  failureThreshold: int('failureThreshold', 0, 'the Kubernetes default 3', { zeroMeans: 3 }),
  timeoutSeconds: int('timeoutSeconds', 0, 'the Kubernetes default 1 s', { zeroMeans: 1 }),
  sleepSeconds: int('preStop sleep', 0, 'no sleep'),
  groupSize: int('leaderWorkerTemplate.size', 1, 'a group of 1 pod'),
  minReplicas: int('minReplicas', 0, 'the default'),
  maxReplicas: int('maxReplicas', 1, 'no maximum'),
  port: int('port', 1, 'the server port', { max: 65_535 }),
  percent: int('percent', 0, 'the default', { max: 100 }),
} satisfies Record<string, NumericField>;

export type FieldName = keyof typeof FIELDS;

export interface FieldCheck {
  /** The value to use (after the API server's defaulting), or undefined when the field is unset or invalid. */
  value?: number;
  /** Why the value is invalid ("a whole number ≥ 0"), when it is. */
  expected?: string;
}

function describe(f: NumericField, v: number): string {
  const whole = f.integer ? 'a whole number' : 'a number';
  if (v > f.max) return `${whole} ≤ ${formatEnUs(f.max)}`;
  return `${whole} ≥ ${f.min}`;
}

/** The one range check of a numeric field; a non-numeric scalar (a quoted "30") is invalid too. */
export function checkNumber(node: unknown, f: NumericField): FieldCheck {
  if (node === undefined || node === null) return {};
  const v = isScalar(node) ? node.value : undefined;
  if (v === null || v === undefined) return {};
  if (typeof v !== 'number') return { expected: f.integer ? 'a whole number' : 'a number' };
  if (!Number.isFinite(v) || (f.integer && !Number.isInteger(v)) || v < f.min || v > f.max) return { expected: describe(f, v) };
  return { value: v === 0 && f.zeroMeans !== undefined ? f.zeroMeans : v };
}

/** A field's value, or undefined when unset or out of range. */
export function readNumber(node: unknown, f: NumericField): number | undefined {
  return checkNumber(node, f).value;
}

/** A number parsed from a command-line flag or an annotation, within [min, max]; undefined otherwise. */
export function parseBounded(raw: string | undefined, min: number, max: number, integer = false): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) return undefined;
  return n;
}
