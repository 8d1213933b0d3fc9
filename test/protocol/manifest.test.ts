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
    'servelint.assumptions', 'servelint.defaultGpu', 'servelint.enable', 'servelint.gpuPrices', 'servelint.helm.valuesFile', 'servelint.hostedApi', 'servelint.render', 'servelint.rules', 'servelint.trace.server',
  ]);
  assert.deepEqual(Object.keys(props['servelint.rules'].properties).sort(), Object.keys(schema.properties.rules.properties).sort(), 'rule ids drifted from the config schema');
  assert.deepEqual(Object.keys(props['servelint.assumptions'].properties).sort(), Object.keys(schema.properties.assumptions.properties).sort(), 'assumptions drifted from the config schema');
  const commands = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  for (const c of [COMMANDS.openRuleDocs, 'servelint.restartServer', COMMANDS.showCostBreakdown, COMMANDS.showCostMarkdown]) assert.ok(commands.includes(c), `${c} is not contributed`);
  // Every contributed command is registered by the extension (its id appears in client/src).
  const clientSrc = (dir: string): string => fs.readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? clientSrc(path.join(dir, e.name)) : e.name.endsWith('.ts') ? fs.readFileSync(path.join(dir, e.name), 'utf8') : '')).join('\n');
  const src = clientSrc(path.join(ROOT, 'client/src')) + fs.readFileSync(path.join(ROOT, 'server/src/lsp/protocol.ts'), 'utf8');
  for (const c of commands) assert.ok(src.includes(`'${c}'`), `${c} is contributed but its id appears nowhere in client/src`);
  assert.equal(pkg.main, './dist/extension.js');
  assert.deepEqual(pkg.activationEvents, ['onLanguage:yaml', 'workspaceContains:**/.servelint.yaml', 'workspaceContains:**/.servelint.yml']);
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.match(pkg.capabilities.untrustedWorkspaces.description, /docsBaseUrl/);
  assert.deepEqual(pkg.contributes.yamlValidation, [{ fileMatch: ['.servelint.yaml', '.servelint.yml'], url: './schemas/servelint-config.schema.json' }]);
  assert.equal(pkg.name, 'servelint');
  assert.equal(pkg.publisher, 'servelint');
});
