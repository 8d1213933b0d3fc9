/**
 * servelint composed: the engine with the built-in rules. The CLI, the language server and tests start here; the
 * engine itself never imports the rules (server/src/rules → server/src/engine, never the other way).
 */
import { Linter, type LintOptions, type LintResult, type Rule, type RuleMeta, type ServelintConfig } from './engine';
import { ALL_RULES } from './rules';

export * from './engine';
export { ALL_RULES };

/** A Linter with the built-in rules (or others: tests add a rule that throws). */
export function createLinter(rules: readonly Rule[] = ALL_RULES): Linter {
  return new Linter({ rules });
}

const shared = createLinter();

/** Lint one file's text with the built-in rules. Analysis is cached per YAML document and what it looked up. */
export function lint(text: string, options: LintOptions = {}): LintResult {
  return shared.lint(text, options);
}

/** Every built-in rule and engine-reported id, as tools show them. */
export function allRules(config?: ServelintConfig): RuleMeta[] {
  return shared.allRules(config);
}
