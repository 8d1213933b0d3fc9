/** ajv validation of the catalogs and of user-supplied gpus.extra / models entries. */
import Ajv, { type ValidateFunction } from 'ajv';
import gpuSchema from '../../../../schemas/gpu-catalog.schema.json';
import modelSchema from '../../../../schemas/model-catalog.schema.json';
import type { GpuSpec, ModelSpec } from './types';

export interface ValidationResult<T> {
  valid: T[];
  errors: string[];
}

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validator(name: 'gpuCatalog' | 'modelCatalog' | 'gpu' | 'model'): ValidateFunction {
  let v = compiled.get(name);
  if (v) return v;
  ajv ??= new Ajv({ allErrors: true, strict: false });
  if (!ajv.getSchema(gpuSchema.$id)) ajv.addSchema(gpuSchema);
  if (!ajv.getSchema(modelSchema.$id)) ajv.addSchema(modelSchema);
  const ref = {
    gpuCatalog: gpuSchema.$id,
    modelCatalog: modelSchema.$id,
    gpu: `${gpuSchema.$id}#/definitions/gpu`,
    model: `${modelSchema.$id}#/definitions/model`,
  }[name];
  v = ajv.getSchema(ref);
  if (!v) throw new Error(`schema ${ref} not found`);
  compiled.set(name, v);
  return v;
}

function messages(v: ValidateFunction, prefix: string): string[] {
  return (v.errors ?? []).map((e) => `${prefix}${e.instancePath || ''} ${e.message ?? 'is invalid'}`.trim());
}

/** Validates a whole catalog document (server/data/gpus.json or a replacement). */
export function validateGpuCatalog(doc: unknown): string[] {
  const v = validator('gpuCatalog');
  return v(doc) ? [] : messages(v, 'gpus.json');
}

export function validateModelCatalog(doc: unknown): string[] {
  const v = validator('modelCatalog');
  return v(doc) ? [] : messages(v, 'models.json');
}

function validateEntries<T>(entries: unknown, kind: 'gpu' | 'model', where: string): ValidationResult<T> {
  if (entries === undefined || entries === null) return { valid: [], errors: [] };
  if (!Array.isArray(entries)) return { valid: [], errors: [`${where} must be a list`] };
  const v = validator(kind);
  const valid: T[] = [];
  const errors: string[] = [];
  entries.forEach((e, i) => {
    if (v(e)) valid.push(e as T);
    else errors.push(...messages(v, `${where}[${i}]`));
  });
  return { valid, errors };
}

/** Validates gpus.extra entries from .servelint.yaml; invalid entries are dropped and reported. */
export function validateGpuEntries(entries: unknown): ValidationResult<GpuSpec> {
  return validateEntries<GpuSpec>(entries, 'gpu', 'gpus.extra');
}

/** Validates models entries from .servelint.yaml; invalid entries are dropped and reported. */
export function validateModelEntries(entries: unknown): ValidationResult<ModelSpec> {
  return validateEntries<ModelSpec>(entries, 'model', 'models');
}
