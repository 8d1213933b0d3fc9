/** The VS Code extension manifest (client/package.json) must match the server and the config schema. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { it } from 'node:test';
import { COMMANDS } from '../../server/src/lsp/protocol';

const ROOT = path.resolve(__dirname, '../../..');
const read = (p: string): any => JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8'));

it('client/package.json settings, commands and contributions match the config schema and the server', () => {
  const pkg = read('client/package.json');
  const schema = read('schemas/servelint-config.schema.json');
  const props = pkg.contributes.configuration.properties;
  assert.deepEqual(Object.keys(props).sort(), [
    'servelint.assumptions', 'servelint.defaultGpu', 'servelint.enable', 'servelint.gpuPrices', 'servelint.hostedApi', 'servelint.rules', 'servelint.trace.server',
  ]);
  assert.deepEqual(Object.keys(props['servelint.rules'].properties).sort(), Object.keys(schema.properties.rules.properties).sort(), 'rule ids drifted from the config schema');
  assert.deepEqual(Object.keys(props['servelint.assumptions'].properties).sort(), Object.keys(schema.properties.assumptions.properties).sort(), 'assumptions drifted from the config schema');
  const commands = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(commands, [COMMANDS.openRuleDocs, 'servelint.restartServer', COMMANDS.showCostBreakdown, COMMANDS.showCostMarkdown].sort());
  assert.equal(pkg.main, './dist/extension.js');
  assert.deepEqual(pkg.activationEvents, ['onLanguage:yaml']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /docsBaseUrl/);
  assert.deepEqual(pkg.contributes.yamlValidation, [{ fileMatch: ['.servelint.yaml', '.servelint.yml'], url: './schemas/servelint-config.schema.json' }]);
  assert.equal(pkg.name, 'servelint');
  assert.equal(pkg.publisher, 'servelint');
});
