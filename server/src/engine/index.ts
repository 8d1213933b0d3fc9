/** The servelint engine's public entry point: text in, findings, workloads, hovers and fixes out. Rules come in. */
export * from './types';
export * from './api';
export { Linter, type LinterOptions } from './linter';
export type { Rule, RuleContext, RuleMetaData, ReportDescriptor, LocFix, LocFinding, StrategyScope } from './rule';
export { BUILTIN_RULES, fix, interpolate } from './rule';
export type { FactName } from './analyze';
export { FACT_OF_PROPERTY, WorkloadAnalysis } from './analyze';
export { LineIndex } from './positions';
export { disableDirectives, directiveCovers, type DisableDirective } from './suppress';
export { applyEdits, applyAllFixes, minimalEdit, preferredFix } from './fixes';
export { Inventory } from './inventory';
export { KIND_ADAPTERS, adapterFor } from './kinds';
export { SERVER_PROFILES, profileOf } from './servers';
