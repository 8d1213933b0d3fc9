/**
 * servelint's custom LSP messages and command ids, shared by the language server and the VS Code client.
 * Keep this file free of imports other than types so the client bundle stays small.
 */

export const COMMANDS = {
  showCostBreakdown: 'servelint.showCostBreakdown',
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
