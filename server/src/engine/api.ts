import type { Assumption, Finding, HoverTarget, ModelServerKind, ObjectRef, Range, ServelintConfig } from './types';

/** Cost figures for one workload (see docs/cost-model.md). Filled by the cost model. */
export interface CostReport {
  gpu: { id: string | null; name?: string; source: string; candidates?: string[] };
  gpusPerReplica: number;
  replicas: number;
  replicasMin?: number;
  replicasMax?: number;
  usdPerGpuHour: number | null;
  usdPerHour: number | null;
  usdPerMonth: number | null;
  tokensPerSecond: number | null;
  tokensPerSecondSource: 'measured' | 'estimated' | null;
  /** The regime an estimated tokens/s describes ('saturated, 256 seqs, 1000 in / 500 out', '1 user, ...'). */
  tokensPerSecondRegime?: string | null;
  utilization: number;
  usdPerMillionTokens: number | null;
  assumptions: Assumption[];
  /** What is missing to compute a figure, each with what to add (annotation or config). */
  problems: string[];
  /** No GPU named: $/1M tokens on reference GPUs (L4, A100, H100) that the model fits, labelled as a what-if. */
  whatIf?: WhatIfFigure[];
  [extra: string]: unknown;
}

export interface WhatIfFigure {
  gpu: string;
  usdPerGpuHour: number;
  tokensPerSecond: number;
  usdPerMillionTokens: number;
}

/** Rollout timing for one workload (drives the second CodeLens and the rollout hovers). */
export interface RolloutReport {
  strategy: string;
  stepSeconds: number;
  totalSeconds: number;
  steps: number;
  maxSurge: number;
  maxUnavailable: number;
  surgeGpus: number;
  summary: string;
}

export interface WorkloadReport {
  object: ObjectRef;
  /** Range of the `kind:` key-value pair: CodeLens goes on its line. */
  kindRange: Range;
  /** Range of the whole YAML document that holds the workload. */
  documentRange: Range;
  modelServer: ModelServerKind | null;
  model: string | null;
  replicas: number | null;
  gpusPerPod: number | null;
  cost?: CostReport;
  rollout?: RolloutReport;
  /** Markdown explanations keyed to source ranges (replicas, GPU limit, grace period, ...). */
  hovers: HoverTarget[];
}

export interface LintResult {
  findings: Finding[];
  workloads: WorkloadReport[];
  /** Kubernetes objects in the text (analysed or not): lets reports say "none of the N objects is a workload servelint analyses". */
  objectCount?: number;
  /** Findings that a `# servelint-disable` comment suppressed (present only when there are some; SARIF reports them). */
  suppressed?: Finding[];
}

export interface LintOptions {
  config?: ServelintConfig;
  /** Used only in messages. */
  fileName?: string;
}
