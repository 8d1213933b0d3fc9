/**
 * The rule catalog as documentation, generated from each rule's metadata: the README's rule table and the config
 * schema's `rules` entries. `node scripts/gen-rule-catalog.mjs` writes them; a unit test fails when they drift.
 */
import { BUILTIN_RULES, type RuleMetaData } from '../engine';
import { ALL_RULES } from '.';

/** Every rule id servelint reports, with full metadata: the rules, then the engine's built-in ids. */
export function ruleCatalog(): RuleMetaData[] {
  return [...ALL_RULES.map((r) => r.meta), ...BUILTIN_RULES];
}

export const TABLE_START = '<!-- rules:start (generated from rule metadata: node scripts/gen-rule-catalog.mjs) -->';
export const TABLE_END = '<!-- rules:end -->';

/** The README's rule table (between TABLE_START and TABLE_END). */
export function ruleTable(metas: RuleMetaData[] = ruleCatalog()): string {
  const rows = metas.map((m) => `| [${m.id}](docs/rules/${m.id}.md) | ${m.defaultSeverity} | ${m.docs.catches} | ${m.docs.fix ?? '—'} |`);
  return ['| rule | severity | catches | fix |', '| --- | --- | --- | --- |', ...rows].join('\n');
}

export interface SchemaRuleEntry {
  $ref: string;
  description: string;
  markdownDescription: string;
}

/** `properties.rules.properties` of schemas/servelint-config.schema.json. */
export function schemaRuleEntries(metas: RuleMetaData[] = ruleCatalog()): Record<string, SchemaRuleEntry> {
  return Object.fromEntries(
    metas.map((m) => [
      m.id,
      { $ref: '#/definitions/severity', description: m.description, markdownDescription: `${m.description}\n\nSee \`docs/rules/${m.id}.md\`.` },
    ]),
  );
}

/** `servelint.rules` properties of the VS Code extension's settings (client/package.json). */
export function clientRuleSettings(metas: RuleMetaData[] = ruleCatalog()): Record<string, { type: 'string'; enum: string[]; description: string }> {
  return Object.fromEntries(metas.map((m) => [m.id, { type: 'string' as const, enum: ['error', 'warning', 'info', 'off'], description: m.description }]));
}
