/**
 * The contract every rule implements (one file per rule under server/src/rules), in the style of ESLint's rule
 * `meta`: what it is, how severe by default, whether it fixes, where it applies, its messages (templates with ids)
 * and the facts it needs. The engine receives its rules from outside (it never imports server/src/rules).
 */
import type { LocEdit } from './edits';
import type { FactName, WorkloadAnalysis } from './analyze';
import type { RolloutResolution } from './rollout';
import type { Loc } from './yaml/nodes';
import type { RuleMeta, ServelintConfig, Severity } from './types';

export interface LocFix {
  title: string;
  edits: LocEdit[];
  isPreferred?: boolean;
}

export interface LocFinding {
  rule: string;
  severity: Severity;
  message: string;
  loc: Loc;
  fixes?: LocFix[];
}

/** Update strategies a rule can be limited to: the rollout's mode, or "canary" for an Argo canary. */
export type StrategyScope = RolloutResolution['mode'] | 'canary';

export interface RuleMetaData {
  id: string;
  /** ESLint's distinction: "problem" (the manifest misbehaves) or "suggestion" (it could be safer). */
  type: 'problem' | 'suggestion';
  defaultSeverity: Severity;
  /** One sentence: what the rule catches and why it matters (config schema, SARIF, docs). */
  description: string;
  docs: {
    /** What it catches, in a few words (README rule table). */
    catches: string;
    /** What its fix does, in a few words; undefined when there is no fix. */
    fix?: string;
  };
  fixable: boolean;
  /** Where the rule applies; undefined: every model-server workload. */
  scope?: {
    /** Only kinds whose adapter declares these capabilities. */
    requires?: 'progressDeadline'[];
    /** Only these update strategies. */
    strategies?: StrategyScope[];
  };
  /** The facts of the workload analysis the rule reads (computed lazily, once per workload). */
  needs: FactName[];
  /** Message templates by id; `{{name}}` is replaced by `data.name`. */
  messages: Record<string, string>;
}

export interface ReportDescriptor {
  loc: Loc | undefined;
  messageId: string;
  data?: Record<string, string | number>;
  fixes?: (LocFix | undefined)[];
  /** This finding's severity when it differs from the rule's default; a severity the user configured wins. */
  severity?: Severity;
}

export interface RuleContext {
  analysis: WorkloadAnalysis;
  config: ServelintConfig;
  report(d: ReportDescriptor): void;
}

export interface Rule {
  meta: RuleMetaData;
  check(ctx: RuleContext): void;
}

export const DOCS_BASE = 'https://github.com/servelint/servelint/blob/main/docs/rules/';

/** Rule ids the engine itself reports (no check function, but documented and configurable like rules). */
export const BUILTIN_RULES: RuleMetaData[] = [
  {
    id: 'invalid-yaml', type: 'problem', defaultSeverity: 'error', fixable: false, needs: [], messages: {},
    description: "The document is not valid YAML; servelint analyses the file's other documents.",
    docs: { catches: 'a document that does not parse (the file\'s other documents are still linted)' },
  },
  {
    id: 'document-too-large', type: 'problem', defaultSeverity: 'warning', fixable: false, needs: [], messages: {},
    description: 'A YAML document is larger than the API server accepts (3 MiB); servelint does not analyse it.',
    docs: { catches: 'a YAML document over 3 MiB (more than the API server accepts) is not parsed' },
  },
  {
    id: 'helm-template-skipped', type: 'suggestion', defaultSeverity: 'info', fixable: false, needs: [], messages: {},
    description: 'The file contains Helm / Go template syntax; render it (helm template) and lint the output.',
    docs: { catches: 'Helm template syntax: render with `helm template` first' },
  },
  {
    id: 'kind-not-analysed', type: 'suggestion', defaultSeverity: 'info', fixable: false, needs: [], messages: {},
    description: 'An object of a kind servelint does not analyse runs a model server: no rule or cost estimate ran on it.',
    docs: { catches: 'a model server in a kind servelint has no adapter for (no silent pass: lint what the operator renders)' },
  },
  {
    id: 'internal-error', type: 'problem', defaultSeverity: 'error', fixable: false, needs: [], messages: {},
    description: "A rule failed on this workload (a servelint bug); the other rules' findings are still reported.",
    docs: { catches: 'a rule that crashed on a workload (please report it); other rules still run' },
  },
];

export function ruleMeta(meta: RuleMetaData, config?: ServelintConfig): RuleMeta {
  const base = config?.docsBaseUrl ?? DOCS_BASE;
  return {
    id: meta.id,
    type: meta.type,
    defaultSeverity: meta.defaultSeverity,
    description: meta.description,
    docsUrl: `${base.replace(/\/?$/, '/')}${meta.id}.md`,
    hasFix: meta.fixable,
  };
}

/** `{{name}}` placeholders filled from data (ESLint's message interpolation); unknown names are left as written. */
export function interpolate(template: string, data: Record<string, string | number> = {}): string {
  let parts = compiledTemplates.get(template);
  if (!parts) {
    // Split once per template: [text, name, placeholder as written, text, name, placeholder, ..., text].
    parts = template.split(/(\{\{\s*([\w-]+)\s*\}\})/g);
    if (compiledTemplates.size >= 4096) compiledTemplates.clear();
    compiledTemplates.set(template, parts);
  }
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i += 3) {
    const name = parts[i + 1]!;
    out += (name in data ? String(data[name]) : parts[i]!) + parts[i + 2]!;
  }
  return out;
}
/** Message templates split at their placeholders (rules have a few dozen; tests may add more). */
const compiledTemplates = new Map<string, string[]>();

/** A fix built from edits that may be unavailable (flow maps etc.): undefined when any edit is missing. */
export function fix(title: string, edits: (LocEdit | undefined)[], isPreferred = true): LocFix | undefined {
  if (edits.length === 0 || edits.some((e) => e === undefined)) return undefined;
  return { title, edits: edits as LocEdit[], isPreferred };
}
