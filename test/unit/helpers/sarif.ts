/**
 * Validate a SARIF log against the vendored OASIS SARIF 2.1.0 schema (test/schemas/sarif-schema-2.1.0.json).
 * The official schema declares draft-04 (`$schema` draft-04, `id`); it uses no draft-04-only semantics
 * (no boolean exclusiveMinimum/Maximum), so it is compiled as draft-07 with `id` read as `$id`.
 * Formats (uri, date-time, uri-reference) are not checked: ajv-formats is not installed.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { type ValidateFunction } from 'ajv';

const SCHEMA_REL = path.join('test', 'schemas', 'sarif-schema-2.1.0.json');

/** Absolute path of the vendored schema (found by walking up from this file, so it works from out/ too). */
export function sarifSchemaPath(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, SCHEMA_REL);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`Cannot find ${SCHEMA_REL} above ${__dirname}`);
}

let validate: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  if (!validate) {
    const raw = JSON.parse(fs.readFileSync(sarifSchemaPath(), 'utf8')) as Record<string, unknown>;
    const { $schema: _draft04, id, ...rest } = raw;
    void _draft04;
    const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
    validate = ajv.compile({ $id: String(id), ...rest });
  }
  return validate;
}

/** Schema errors as "instancePath message" strings; empty when obj is a valid SARIF 2.1.0 log. */
export function validateSarif(obj: unknown): string[] {
  const v = getValidator();
  if (v(obj)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`);
}
