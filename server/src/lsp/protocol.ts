/**
 * servelint's custom LSP messages and command ids, shared by the language server and the VS Code client.
 * Keep this file free of imports other than types so the client bundle stays small.
 */

export const COMMANDS = {
  showCostBreakdown: 'servelint.showCostBreakdown',
  /** VS Code client only: the cost view as rendered, read-only Markdown. */
  showCostMarkdown: 'servelint.showCostMarkdown',
  openRuleDocs: 'servelint.openRuleDocs',
  applyAllFixes: 'servelint.applyAllFixes',
} as const;

export const FIX_ALL_KIND = 'source.fixAll.servelint';

/** `servelint/costBreakdown`: markdown breakdown of one workload (index into LintResult.workloads; -1: all model-server workloads). */
export const COST_BREAKDOWN_REQUEST = 'servelint/costBreakdown';
export interface CostBreakdownParams {
  uri: string;
  index: number;
}
export interface CostBreakdownResult {
  /** e.g. 'Deployment/llama-3-1-8b'. */
  title: string;
  markdown: string;
}

/** `servelint/documentCost`: the fleet cost of every model-server workload in one document. */
export const DOCUMENT_COST_REQUEST = 'servelint/documentCost';
export interface DocumentCostParams {
  uri: string;
}
export interface DocumentCostResult {
  /** Number of model-server workloads in the document. */
  workloads: number;
  /** Workloads with a $/hr figure. */
  costed: number;
  /** Sum of $/hr over the costed workloads (null when none is costed). */
  usdPerHour: number | null;
  /** Fleet $/1M output tokens, when every costed workload has a per-token figure. */
  usdPerMillionTokens?: number;
}

/** initializationOptions a client may send. */
export interface InitializationOptions {
  /** Commands the client implements itself: the server does not advertise them in executeCommandProvider. */
  clientCommands?: string[];
  /** Push-diagnostics debounce in milliseconds (default 50). */
  debounceMs?: number;
  /**
   * false when the editor does not trust the workspace (VS Code's restricted mode): the server then ignores the
   * settings of the workspace's .servelint.yaml that reach outside it (docsBaseUrl, the link on every
   * diagnostic). Default true.
   */
  workspaceTrusted?: boolean;
  /** Render Helm charts and kustomizations (default true; never when workspaceTrusted is false). The `servelint.render` setting wins. */
  render?: boolean;
  /** Helm values file (relative to the chart) for clients without workspace/configuration; `servelint.helm.valuesFile` wins. */
  helm?: { valuesFile?: string };
}

/** The what-if inputs of the cost view: each replaces one assumption of one workload (unset: the manifest's). */
export interface CostOverrides {
  /** GPU id from the catalog (annotation servelint.io/gpu). */
  gpu?: string;
  /** spec.replicas (only when the manifest writes it). */
  replicas?: number;
  /** 0 < u <= 1 (annotation servelint.io/utilization). */
  utilization?: number;
  /** Concurrent sequences per replica (annotation servelint.io/concurrency). */
  concurrency?: number;
  /** Input / output tokens per request (annotations servelint.io/input-tokens, servelint.io/output-tokens). */
  inputTokens?: number;
  outputTokens?: number;
  /** $/GPU-hour (annotation servelint.io/price-per-gpu-hour, or gpus.prices.<gpu> in .servelint.yaml). */
  usdPerGpuHour?: number;
}

/**
 * `servelint/costWhatIf`: the cost report of one workload with what-if overrides, recomputed by the engine from
 * the manifest with the overrides written in as `servelint.io/*` annotations (nothing is written to the document).
 * The workload is `index` (into LintResult.workloads), else the model-server workload at `position`, else the
 * document's first one.
 */
export const COST_WHAT_IF_REQUEST = 'servelint/costWhatIf';
export interface CostWhatIfParams {
  uri: string;
  index?: number;
  position?: { line: number; character: number };
  overrides?: CostOverrides;
  /** Also compute $/1M tokens on every catalog GPU the model fits on (the chart). Default true. */
  compareGpus?: boolean;
}
export interface CostControl {
  key: keyof CostOverrides;
  label: string;
  value: number | string | null;
  unit?: string;
  /** 'manifest', 'annotation', 'config', 'catalog', 'default', 'estimate', 'args', 'what-if'. */
  source: string;
  detail?: string;
  /** false: no place to write it (e.g. replicas not in the manifest). */
  writable: boolean;
  min?: number;
  max?: number;
  step?: number;
  /** Choices (the GPU select). */
  options?: string[];
}
export interface GpuComparison {
  gpu: string;
  usdPerGpuHour: number;
  tokensPerSecond: number;
  usdPerMillionTokens: number;
}
export interface CostWhatIfResult {
  uri: string;
  index: number;
  /** The document version the figures are for. */
  version: number;
  title: string;
  /** Every model-server workload of the document (the panel's workload picker), with its $/hr as in the manifest. */
  workloads: { index: number; title: string; usdPerHour: number | null }[];
  /** The whole file's fleet $/hr with this workload's what-ifs (null when a workload has no $/hr). */
  fileUsdPerHour: number | null;
  overrides: CostOverrides;
  /** The engine's cost report (plain JSON), with the overrides applied. */
  cost: Record<string, unknown> | null;
  rollout: { strategy: string; totalSeconds: number; steps: number; stepSeconds: number; maxSurge: number; surgeGpus: number; summary: string } | null;
  controls: CostControl[];
  gpuComparison: GpuComparison[];
  /** The same view as Markdown (what servelint/costBreakdown returns for it). */
  markdown: string;
}

/**
 * `servelint/costWhatIfEdit`: the WorkspaceEdit that writes what-if overrides into the manifest (`annotation`:
 * servelint.io/* annotations on the workload, spec.replicas) or into the nearest .servelint.yaml (`config`:
 * gpus.prices.<gpu>, assumptions.utilization, assumptions.inputTokensPerRequest). The client applies it (undoable).
 */
export const COST_WHAT_IF_EDIT_REQUEST = 'servelint/costWhatIfEdit';
export interface CostWhatIfEditParams {
  uri: string;
  index: number;
  overrides: CostOverrides;
  target: 'annotation' | 'config';
}
export interface CostWhatIfEditResult {
  /** An LSP WorkspaceEdit (null when nothing can be written). */
  edit: unknown | null;
  /** What the edit writes, one line per setting (for a confirmation message), or why nothing can be written. */
  summary: string[];
}
