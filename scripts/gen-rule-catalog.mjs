#!/usr/bin/env node
/**
 * Writes the README's rule table, the config schema's rule entries and the extension's rule settings from the rules' metadata
 * (server/src/rules/catalog.ts). Run after `npm run build`; test/unit/rule-catalog.test.ts fails when they drift.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const catalog = require(path.join(root, 'out/server/src/rules/catalog.js'));

const readmePath = path.join(root, 'README.md');
const readme = fs.readFileSync(readmePath, 'utf8');
const start = readme.indexOf(catalog.TABLE_START);
const end = readme.indexOf(catalog.TABLE_END);
if (start < 0 || end < start) throw new Error('README.md has no rules:start / rules:end markers');
fs.writeFileSync(readmePath, `${readme.slice(0, start + catalog.TABLE_START.length)}\n${catalog.ruleTable()}\n${readme.slice(end)}`);

const schemaPath = path.join(root, 'schemas/servelint-config.schema.json');
const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
schema.properties.rules.properties = catalog.schemaRuleEntries();
fs.writeFileSync(schemaPath, JSON.stringify(schema, null, 2) + '\n');
const clientPath = path.join(root, 'client/package.json');
const client = JSON.parse(fs.readFileSync(clientPath, 'utf8'));
client.contributes.configuration.properties['servelint.rules'].properties = catalog.clientRuleSettings();
fs.writeFileSync(clientPath, JSON.stringify(client, null, 2) + '\n');
console.log('README.md rule table, schema rule entries and client/package.json rule settings written');
