/**
 * Public types of the servelint engine. The engine is pure TypeScript: no fs, no LSP, no vscode.
 * All ranges are UTF-16 offsets into the text that was linted (the same units as JavaScript strings,
 * LSP positions and vscode-languageserver-textdocument's positionAt/offsetAt).
 */

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

export interface Range {
  start: number;
  end: number;
}

export interface TextEdit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The main fix for the finding: applied by --fix and source.fixAll. */
  isPreferred?: boolean;
}

export interface ObjectRef {
  kind: string;
  name?: string;
  namespace?: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  object?: ObjectRef;
  docsUrl: string;
  fixes?: Fix[];
}

export type ModelServerKind =
  | 'vllm'
  | 'tgi'
  | 'sglang'
  | 'triton'
  | 'trtllm'
  | 'nim'
  | 'ollama'
  | 'llamacpp'
  | 'kserve-huggingface'
  | 'jetstream'
  | 'unknown';

/** Where an assumption came from, so every estimate can say how to override it. */
export type AssumptionSource = 'annotation' | 'config' | 'args' | 'default' | 'estimate' | 'catalog' | 'manifest';

export interface Assumption {
  key: string;
  label: string;
  value: number | string;
  unit?: string;
  source: AssumptionSource;
  /** Human text: how to override, e.g. 'annotation servelint.io/seconds-per-output-token'. */
  override: string;
  detail?: string;
}

/** Markdown explanation attached to a source range; the language server turns these into hovers. */
export interface HoverTarget {
  range: Range;
  topic: string;
  markdown: string;
}

/** A rule as tools see it (CLI, SARIF, editor): from the rule's metadata and the configured docs base URL. */
export interface RuleMeta {
  id: string;
  type: 'problem' | 'suggestion';
  defaultSeverity: Severity;
  description: string;
  docsUrl: string;
  hasFix: boolean;
}

export interface HostedApiPrice {
  name?: string;
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface Assumptions {
  maxOutputTokens?: number;
  secondsPerOutputToken?: number;
  ttftSeconds?: number;
  weightLoadSeconds?: number;
  weightLoadGbps?: number;
  startupSeconds?: number;
  utilization?: number;
  gpuMemoryUtilization?: number;
  /** Average input tokens per request (for hosted-API comparisons). */
  inputTokensPerRequest?: number;
}

/** Effective configuration, merged from defaults, .servelint.yaml and editor settings. */
export interface ServelintConfig {
  rules?: Record<string, SeveritySetting>;
  assumptions?: Assumptions;
  gpus?: {
    default?: string;
    /** Cloud whose list prices are the default $/GPU-hr (default aws). */
    provider?: 'aws' | 'azure' | 'gcp';
    prices?: Record<string, number>;
    extra?: unknown[];
  };
  models?: unknown[];
  hostedApi?: HostedApiPrice;
  /** Base URL of the rule docs; defaults to the repository's docs/rules. */
  docsBaseUrl?: string;
}
