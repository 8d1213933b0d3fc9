/**
 * .servelint.yaml: parse, validate against schemas/servelint-config.schema.json, and merge layers.
 * Pure (no fs): the file lookup lives in server/src/config/load.ts.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import configSchema from '../../../schemas/servelint-config.schema.json';
import type { ServelintConfig } from './types';

/** A problem in a config file. Positions are 1-based; endColumn is exclusive (UTF-16 code units). */
export interface ConfigError {
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning';
  /** JSON pointer of the offending value ('' for the whole file, absent for YAML syntax errors). */
  path?: string;
}

export interface ParsedConfig {
  config: ServelintConfig;
  errors: ConfigError[];
}

export const CONFIG_FILE_NAMES = ['.servelint.yaml', '.servelint.yml'] as const;

/** The JSON schema of .servelint.yaml (draft-07). */
export const CONFIG_SCHEMA: Record<string, unknown> = configSchema as Record<string, unknown>;

/** Rule ids the config schema accepts under `rules:`. */
export const CONFIG_RULE_IDS: readonly string[] = Object.keys(configSchema.properties.rules.properties);

let validator: ValidateFunction | undefined;
function getValidator(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    ajv.addVocabulary(['markdownDescription']);
    validator = ajv.compile(CONFIG_SCHEMA);
  }
  return validator;
}

type Span = [number, number];

export function parseConfig(text: string, fileName?: string): ParsedConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const errors: ConfigError[] = [];
  const at = (span: Span, message: string, severity: ConfigError['severity'], path?: string): ConfigError => {
    const s = lineCounter.linePos(span[0]);
    const e = lineCounter.linePos(Math.max(span[0], span[1]));
    return { message, line: s.line, column: s.col, endLine: e.line, endColumn: e.col, severity, ...(path !== undefined ? { path } : {}) };
  };
  const prefix = fileName ? `${fileName}: ` : '';

  for (const e of doc.errors) errors.push(at(e.pos, `${prefix}YAML syntax error: ${firstLine(e.message)}`, 'error'));
  for (const w of doc.warnings) errors.push(at(w.pos, `${prefix}${firstLine(w.message)}`, 'warning'));
  if (doc.errors.length > 0) return { config: {}, errors };

  const value: unknown = dropEmptySections(doc.toJS({ maxAliasCount: 100 }) ?? {});
  const validate = getValidator();
  if (validate(value)) return { config: value as ServelintConfig, errors };

  const remove = new Set<string>();
  for (const err of validate.errors ?? []) {
    const { message, path, onKey } = describe(err);
    const loc = locate(doc, text, path, onKey);
    errors.push(at(loc, prefix + message, 'error', path));
    remove.add(path);
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  if (remove.has('')) return { config: {}, errors };
  return { config: prune(value, '', remove) as ServelintConfig, errors };
}

/** `rules:` with every entry commented out parses as null: treat such empty sections (and gpus.*) as absent. */
function dropEmptySections(value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null) continue;
    out[k] = k === 'gpus' ? dropEmptySections(v) : v;
  }
  return out;
}

/** Human message for one ajv error, the pointer to blame, and whether to underline the key rather than the value. */
function describe(err: ErrorObject): { message: string; path: string; onKey: boolean } {
  const path = err.instancePath;
  const where = displayPath(path);
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const childPath = `${path}/${escapePointer(key)}`;
      const allowed = Object.keys(((err.parentSchema ?? {}) as { properties?: object }).properties ?? {}).filter((k) => k !== '$schema');
      if (path === '/rules') {
        const guess = closest(key, allowed);
        return { path: childPath, onKey: true, message: `Unknown rule id "${key}".${guess ? ` Did you mean "${guess}"?` : ''} Known rules: ${allowed.join(', ')}.` };
      }
      const guess = closest(key, allowed);
      const inWhere = path === '' ? 'at the top level' : `in ${where}`;
      return { path: childPath, onKey: true, message: `Unknown key "${key}" ${inWhere}.${guess ? ` Did you mean "${guess}"?` : ''} Allowed keys: ${allowed.join(', ')}.` };
    }
    case 'required':
      return { path, onKey: true, message: `${where || 'The config'} is missing the required key "${String(p.missingProperty)}".` };
    case 'type':
      return { path, onKey: false, message: `${where || 'The config'} must be ${typeName(String(p.type))} (got ${kindOf(err.data)}).` };
    case 'enum':
      return { path, onKey: false, message: `${where} must be one of: ${(p.allowedValues as unknown[]).map(String).join(', ')} (got ${JSON.stringify(err.data)}).` };
    case 'pattern':
      return path === '/docsBaseUrl'
        ? { path, onKey: false, message: `${where} must be an https:// URL (got ${JSON.stringify(err.data)}); the default documentation links are used.` }
        : { path, onKey: false, message: `${where} ${err.message ?? 'is invalid'}.` };
    default:
      return { path, onKey: false, message: `${where || 'The config'} ${err.message ?? 'is invalid'} (got ${JSON.stringify(err.data)}).` };
  }
}

/** Offsets of the YAML node at a JSON pointer: the key when asked (or when the value is empty), else the value. */
function locate(doc: Document, text: string, pointer: string, onKey: boolean): Span {
  let node: unknown = doc.contents;
  let key: unknown = undefined;
  const segments = pointer === '' ? [] : pointer.slice(1).split('/').map(unescapePointer);
  for (const seg of segments) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && keyString(it.key) === seg);
      if (!pair) break;
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node)) {
      const item = node.items[Number(seg)];
      if (item === undefined) break;
      key = undefined;
      node = item;
    } else break;
  }
  const keyRange = rangeOf(key);
  const valueRange = rangeOf(node);
  if (keyRange && (onKey || !valueRange || valueRange[0] === valueRange[1] || !isScalar(node))) return keyRange;
  if (valueRange && valueRange[0] !== valueRange[1]) {
    if (isScalar(node)) return valueRange;
    return firstLine2(text, valueRange);
  }
  return firstLine2(text, [0, text.length]);
}

function rangeOf(node: unknown): Span | undefined {
  const r = (node as Node | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

/** Clip a span to the end of its first line (without trailing spaces), so a squiggle does not cover a whole block. */
function firstLine2(text: string, span: Span): Span {
  const nl = text.indexOf('\n', span[0]);
  let end = nl < 0 || nl > span[1] ? span[1] : nl;
  while (end > span[0] && /\s/.test(text[end - 1] ?? '')) end--;
  return [span[0], end];
}

function keyString(k: unknown): string {
  return isScalar(k) ? String(k.value) : String(k);
}

/** Deep copy without the values at the given pointers (array items are dropped, not nulled). */
function prune(value: unknown, path: string, remove: Set<string>): unknown {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => (remove.has(`${path}/${i}`) ? [] : [prune(v, `${path}/${i}`, remove)]));
  }
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = `${path}/${escapePointer(k)}`;
      if (!remove.has(p)) out[k] = prune(v, p, remove);
    }
    return out;
  }
  return value;
}

function displayPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer.slice(1).split('/').map(unescapePointer)
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');
const firstLine = (s: string): string => s.split('\n')[0] ?? s;
const TYPE_NAMES: Record<string, string> = { object: 'a mapping', array: 'a list', integer: 'an integer', number: 'a number', string: 'a string', boolean: 'true or false' };
const typeName = (t: string): string => t.split(',').map((x) => TYPE_NAMES[x] ?? x).join(' or ');

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

/** Closest candidate by edit distance, if it is close enough to be a likely typo. */
function closest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    if (word.length >= 4 && c.toLowerCase().includes(word.toLowerCase())) return c;
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) { best = c; bestD = d; }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Merge config layers; later layers win. rules, assumptions and gpus.prices merge key by key;
 * gpus.extra and models are concatenated (consumers should let the last entry with a given id win);
 * hostedApi, gpus.default and docsBaseUrl are replaced whole. Undefined values never override.
 * Inputs are not mutated.
 */
/**
 * Validates a config object that did not come from a file (editor settings) against the same schema: entries that
 * break it (utilization 5, a negative price) are dropped, the rest is kept, and the messages say why.
 */
export function validateConfigObject(value: unknown): { config: ServelintConfig; errors: string[] } {
  const cleaned: unknown = dropEmptySections(value ?? {});
  // Nothing set (the editor's defaults): valid without compiling the schema (test/unit/config.test.ts checks `{}`).
  if (cleaned !== null && typeof cleaned === 'object' && !Array.isArray(cleaned) && Object.keys(cleaned).length === 0) return { config: cleaned as ServelintConfig, errors: [] };
  const validate = getValidator();
  if (validate(cleaned)) return { config: cleaned as ServelintConfig, errors: [] };
  const remove = new Set<string>();
  const errors: string[] = [];
  for (const err of validate.errors ?? []) {
    const { message, path } = describe(err);
    errors.push(message);
    remove.add(path);
  }
  if (remove.has('')) return { config: {}, errors };
  return { config: prune(cleaned, '', remove) as ServelintConfig, errors };
}

export function mergeConfig(...layers: (ServelintConfig | undefined)[]): ServelintConfig {
  const out: ServelintConfig = {};
  for (const layer of layers) {
    if (!layer) continue;
    if (layer.rules) out.rules = Object.assign({}, out.rules, defined(layer.rules));
    if (layer.assumptions) out.assumptions = Object.assign({}, out.assumptions, defined(layer.assumptions));
    if (layer.gpus) {
      const g = { ...out.gpus };
      if (layer.gpus.default !== undefined) g.default = layer.gpus.default;
      if (layer.gpus.prices) g.prices = Object.assign({}, g.prices, defined(layer.gpus.prices));
      if (layer.gpus.extra) g.extra = [...(g.extra ?? []), ...layer.gpus.extra];
      out.gpus = g;
    }
    if (layer.models) out.models = [...(out.models ?? []), ...layer.models];
    if (layer.hostedApi !== undefined) out.hostedApi = { ...layer.hostedApi };
    if (layer.docsBaseUrl !== undefined) out.docsBaseUrl = layer.docsBaseUrl;
  }
  return out;
}

/** The same object without keys whose value is undefined (so they cannot erase an earlier layer). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
