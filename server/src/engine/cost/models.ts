/** The embedded model catalog (server/data/models.json) and identifyModel. */
import modelData from '../../../data/models.json';
import { NATIVE_BYTES, dtypeInfo, quantFromFlag, quantFromName, type QuantInfo } from './quantization';
import type { ModelInfo, ModelSpec } from './types';

const embedded = (modelData as unknown as { models: ModelSpec[] }).models;

export function defaultModelCatalog(): ModelSpec[] {
  return embedded;
}

const DROP = new Set([
  'instruct', 'it', 'chat', 'hf', 'base', 'pt', 'awq', 'gptq', 'fp8', 'dynamic', 'int4', 'int8', 'w4a16', 'w8a8', 'w8a16',
  'w4a8', 'fp4', 'nvfp4', 'mxfp4', 'bnb', '4bit', '8bit', 'gguf', 'quantized', 'marlin', 'exl2', 'mlx', 'fp16', 'bf16',
  // AMD's FP8 checkpoints with an FP8 KV cache (amd/Llama-3.1-70B-Instruct-FP8-KV); Qwen3 2507 'Thinking' variants.
  'kv', 'thinking',
]);
const GENERIC_DIRS = new Set(['models', 'model', 'weights', 'mnt', 'data', 'snapshots', 'checkpoints', 'hf', 'huggingface', 'cache', 'hub']);

/** The model name part of an id, path or URI: 'meta-llama/Llama-3.1-8B@main' -> 'Llama-3.1-8B'. Undefined for generic paths. */
export function modelNameFromId(id: string): string | undefined {
  let s = id.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  s = s.replace(/@[^/]*$/, '');
  const parts = s.split('/').filter((p) => p !== '' && p !== '.' && p !== '..');
  const cacheDir = parts.find((p) => p.startsWith('models--'));
  if (cacheDir) return cacheDir.split('--').slice(-1)[0];
  // A Hub id flattened into one directory name (`meta-llama--Meta-Llama-3.1-8B-Instruct`, as in the cache layout).
  const last = parts[parts.length - 1];
  if (last && /^[A-Za-z0-9][\w.-]*--[A-Za-z0-9][\w.-]*$/.test(last) && !last.includes('---')) return last.split('--').slice(-1)[0];
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i];
    if (GENERIC_DIRS.has(p.toLowerCase()) || /^[0-9a-f]{40}$/i.test(p)) continue;
    if (/\.(gguf|safetensors|bin)$/i.test(p) && !/\d+(\.\d+)?b/i.test(p) && i > 0) continue;
    // Ollama-style tags (llama3.1:8b) are part of the name; registry ports are not.
    return p.replace(/:/g, '-');
  }
  return undefined;
}

function tokens(name: string): string[] {
  const n = name
    .toLowerCase()
    .replace(/\.gguf$/, '')
    .replace(/[-_.]?i?q\d_(k_[sml]|k|\d)$/, '')
    .replace(/(^|[-_.])quantized(?=[-_.]|$)/g, '$1')
    .replace(/[-_.](w\d+a\d+)$/, '');
  const t = n.split(/[-_\s:]+/).filter((x) => x !== '');
  const out: string[] = [];
  t.forEach((x, i) => {
    if (DROP.has(x) || /^\d{4}$/.test(x) || /^\d+k$/.test(x)) return;
    if (/^v\d+\.\d+$/.test(x) && i >= 2) return;
    if (i === 0 && x === 'meta') return;
    out.push(x);
  });
  return out;
}

/** Normalized lookup key: 'Meta-Llama-3.1-8B-Instruct-FP8' -> 'llama3.18b'. */
export function modelKey(name: string): string {
  return tokens(name).join('').replace(/[^a-z0-9.]/g, '');
}

const indexCache = new WeakMap<ModelSpec[], Map<string, ModelSpec>>();
function index(models: ModelSpec[]): Map<string, ModelSpec> {
  let m = indexCache.get(models);
  if (!m) {
    m = new Map();
    for (const spec of models) {
      for (const n of [spec.id, ...(spec.aliases ?? [])]) {
        const k = modelKey(modelNameFromId(n) ?? n);
        if (k && !m.has(k)) m.set(k, spec);
      }
    }
    indexCache.set(models, m);
  }
  return m;
}

/** A parameter count in the name: '13b' -> 13; '8x7b' -> 56 (upper bound); 'a3b' -> active 3. */
function paramsFromName(name: string): { total: number; active?: number } | undefined {
  const t = name.toLowerCase().split(/[-_\s:]+/);
  let total: number | undefined;
  let active: number | undefined;
  for (const x of t) {
    const moe = /^(\d+)x(\d+(?:\.\d+)?)b$/.exec(x);
    const dense = /^(\d+(?:\.\d+)?)([bm])$/.exec(x);
    const act = /^a(\d+(?:\.\d+)?)b$/.exec(x);
    if (moe && total === undefined) total = Number(moe[1]) * Number(moe[2]);
    else if (dense && total === undefined) total = Number(dense[1]) / (dense[2] === 'm' ? 1000 : 1);
    else if (act) active = Number(act[1]);
  }
  return total && total > 0 ? { total, active } : undefined;
}

export interface IdentifyModelOptions {
  /** --quantization / --quantize value. */
  quantization?: string;
  /** --dtype value. */
  dtype?: string;
}

/** --quantization / QUANTIZE methods that quantize a full-precision checkpoint in memory at start-up. */
const LOAD_TIME_QUANTIZATION = /^(bitsandbytes(-nf4|-fp4)?|eetq|experts_int8|fp8)$/;

/**
 * Identifies a model from a Hugging Face id, URI or local path. Catalog (config extras first), then a parameter
 * count in the name (labelled as an estimate). Undefined when nothing is known: the caller reports a problem.
 */
export function identifyModel(id: string, opts: IdentifyModelOptions = {}, extraModels: ModelSpec[] = []): ModelInfo | undefined {
  // The same workload asks several times (its cost input, the cost model, the weight-load fact), and a fleet of
  // copies asks for the same few models: identifications against the embedded catalog alone are kept (a copy is
  // returned, its notes an array of its own: callers add to them).
  if (extraModels.length) return identifyModelUncached(id, opts, extraModels);
  const key = `${id}\u0000${opts.quantization ?? ''}\u0000${opts.dtype ?? ''}`;
  let found = identified.get(key);
  if (found === undefined) {
    if (identified.size >= 2048) identified.clear();
    found = identifyModelUncached(id, opts, []) ?? null;
    identified.set(key, found);
  }
  return found ? Object.assign({}, found, { notes: [...found.notes] }) : undefined;
}
const identified = new Map<string, ModelInfo | null>();

function identifyModelUncached(id: string, opts: IdentifyModelOptions, extraModels: ModelSpec[]): ModelInfo | undefined {
  const name = modelNameFromId(id);
  if (!name) return undefined;
  const key = modelKey(name);
  let spec = index(extraModels).get(key);
  let match: ModelInfo['match'] = 'extra';
  if (!spec) { spec = index(embedded).get(key); match = 'catalog'; }
  const notes: string[] = [];
  if (!spec) {
    const p = paramsFromName(name);
    if (!p) return undefined;
    match = 'name-estimate';
    spec = { id: name, totalParamsB: p.total, activeParamsB: p.active };
    notes.push(`Not in the model catalog: ${p.total}B parameters estimated from the name "${name}". Add it under \`models\` in .servelint.yaml for exact figures.`);
    if (/\d+x\d/.test(name)) notes.push('Mixture-of-experts total estimated as experts x expert size (an upper bound: attention is shared).');
  }
  if (spec.notes) notes.push(spec.notes);

  const native = spec.nativeDtype ?? 'bf16';
  let q: QuantInfo | undefined;
  let qSource = '';
  const flagQ = quantFromFlag(opts.quantization, name);
  const nameQ = quantFromName(name);
  const nativeIsFloat = native === 'bf16' || native === 'fp16' || native === 'fp32';
  if (flagQ) { q = flagQ; qSource = `flag --quantization ${opts.quantization}`; }
  else if (nameQ) { q = nameQ.info; qSource = `name suffix ${nameQ.suffix}`; }
  else if (nativeIsFloat && dtypeInfo(opts.dtype)) { q = dtypeInfo(opts.dtype); qSource = `flag --dtype ${opts.dtype}`; }
  if (opts.quantization && !flagQ) notes.push(`--quantization ${opts.quantization} depends on the checkpoint: bytes per parameter taken from ${q ? 'the name' : 'the native dtype'}.`);
  if (q?.note) notes.push(q.note);

  const totalParamsB = spec.totalParamsB;
  const activeParamsB = spec.activeParamsB ?? spec.totalParamsB;
  let bytesPerParam: number;
  let weightBytes: number;
  let quantization: string;
  if (q) {
    bytesPerParam = q.bytesPerParam;
    quantization = q.quantization;
    weightBytes = totalParamsB * 1e9 * bytesPerParam;
  } else {
    quantization = native;
    qSource = match === 'name-estimate' ? 'assumed BF16 (no quantization in the name or flags)' : `catalog native dtype ${native}`;
    if (spec.checkpointGB) {
      weightBytes = spec.checkpointGB * 1e9;
      bytesPerParam = weightBytes / (totalParamsB * 1e9);
      qSource += ` (published checkpoint ${spec.checkpointGB} GB)`;
    } else {
      bytesPerParam = NATIVE_BYTES[native];
      weightBytes = totalParamsB * 1e9 * bytesPerParam;
    }
  }
  // Quantized while loading: a flag asks for it and neither the name nor the catalog says the checkpoint is
  // already quantized, so the server reads the full-precision checkpoint and quantizes it in memory.
  let checkpointBytes = weightBytes;
  let checkpointNote: string | undefined;
  if (flagQ && !nameQ && nativeIsFloat && LOAD_TIME_QUANTIZATION.test(opts.quantization?.trim().toLowerCase() ?? '')) {
    checkpointBytes = spec.checkpointGB ? spec.checkpointGB * 1e9 : totalParamsB * 1e9 * NATIVE_BYTES[native];
    checkpointNote = `${native} checkpoint, quantized to ${quantization} while loading,`;
  }
  return {
    input: id, id: spec.id, match, spec, totalParamsB, activeParamsB, quantization, bytesPerParam,
    quantizationSource: qSource, weightBytes, checkpointBytes, checkpointNote, kvBytesPerTokenBf16: kvBytesPerToken(spec, 2), notes,
  };
}

/** KV-cache bytes per token (all layers): 2 x layers x kvHeads x headDim x bytes; MLA: layers x mlaKvDim x bytes. */
export function kvBytesPerToken(spec: ModelSpec, bytesPerValue: number): number | undefined {
  if (!spec.layers) return undefined;
  if (spec.mlaKvDim) return spec.layers * spec.mlaKvDim * bytesPerValue;
  if (!spec.kvHeads || !spec.headDim) return undefined;
  return 2 * spec.layers * spec.kvHeads * spec.headDim * bytesPerValue;
}

/**
 * Pod labels that name the served model, by the convention of the platform that reads them. Used only when the
 * server's args, env and image name no model, and only when the value resolves (catalog or a parameter count).
 * - `ai.gke.io/model`: GoogleCloudPlatform/kubernetes-engine-samples ai-ml/llm-serving-gemma/vllm/vllm-3-27b-it.yaml
 *   @ 2b503651 (`ai.gke.io/model: gemma-3-27b-it`).
 * - `llm-d.ai/model`: llm-d/llm-d guides/recipes/observability/inferencecost/README.md @ c62f4884 (the pod label
 *   cost is grouped by; the guides set it to the `--served-model-name` short name, e.g. Qwen3-32B).
 * - `model.aibrix.ai/name`: vllm-project/aibrix samples/heterogeneous/deepseek-coder-7b-l20-deployment.yaml
 *   @ bcf362fa (the routing label; often a served alias such as `deepseek-coder-7b`).
 */
export const MODEL_LABEL_KEYS = ['ai.gke.io/model', 'llm-d.ai/model', 'model.aibrix.ai/name'] as const;

/** The first well-known model label whose value identifies a model (see MODEL_LABEL_KEYS). */
export function modelFromLabels(labels: Record<string, string>, extraModels: ModelSpec[] = []): { key: string; value: string } | undefined {
  for (const key of MODEL_LABEL_KEYS) {
    const value = labels[key]?.trim();
    if (value && identifyModel(value, {}, extraModels)) return { key, value };
  }
  return undefined;
}
