/** The contract every rule implements (one file per rule under server/src/rules). */
import type { LocEdit } from './edits';
import type { WorkloadAnalysis } from './analyze';
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

export interface RuleContext {
  analysis: WorkloadAnalysis;
  config: ServelintConfig;
  report(loc: Loc | undefined, message: string, fixes?: (LocFix | undefined)[]): void;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  description: string;
  hasFix: boolean;
  check(ctx: RuleContext): void;
}

export const DOCS_BASE = 'https://github.com/servelint/servelint/blob/main/docs/rules/';

export function ruleMeta(rule: Rule, config?: ServelintConfig): RuleMeta {
  const base = config?.docsBaseUrl ?? DOCS_BASE;
  return {
    id: rule.id,
    defaultSeverity: rule.defaultSeverity,
    description: rule.description,
    docsUrl: `${base.replace(/\/?$/, '/')}${rule.id}.md`,
    hasFix: rule.hasFix,
  };
}

/** A fix built from edits that may be unavailable (flow maps etc.): undefined when any edit is missing. */
export function fix(title: string, edits: (LocEdit | undefined)[], isPreferred = true): LocFix | undefined {
  if (edits.length === 0 || edits.some((e) => e === undefined)) return undefined;
  return { title, edits: edits as LocEdit[], isPreferred };
}
