/** The servelint engine's public entry point: text in, findings, workloads, hovers and fixes out. */
export * from './types';
export * from './api';
import type { LintOptions, LintResult } from './api';
import { Linter, allRules } from './linter';

export { Linter, allRules };
export { LineIndex } from './positions';
export { applyEdits, applyAllFixes, minimalEdit, preferredFix } from './fixes';

const shared = new Linter();

/** Lint one file's text. Analysis is cached per YAML document (keyed by its text and the config). */
export function lint(text: string, options: LintOptions = {}): LintResult {
  return shared.lint(text, options);
}
