/**
 * RayService `spec.serveConfigV2`: the Ray Serve config as an embedded YAML string (ray-project/kuberay @
 * feeaf72facab4881ba2b179248bb67315634e229, ray-operator/apis/ray/v1/rayservice_types.go:117-119: "should be a YAML
 * multi-line scalar string"). Read: the model, the vLLM engine arguments and whether the app runs vLLM (Ray Serve LLM
 * `ray.serve.llm:build_openai_app` with `llm_configs[].model_loading_config` / `engine_kwargs`, or a custom vLLM app
 * that takes MODEL_ID-style `runtime_env.env_vars`). Positions inside a literal block scalar (`|`) are mapped back to
 * the document, so a finding about the model points at its line inside the string; otherwise at the key.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Scalar } from 'yaml';
import { nodeRange, type DocModelRef } from '../yaml/nodes';
import type { FlagValue } from '../model/args';

export interface ServeConfig {
  vllm: boolean;
  model?: FlagValue;
  tensorParallel?: number;
  /** The GPU `llm_configs[].accelerator_type` asks for, as a GPU catalog id. */
  gpu?: string;
  /** `bitsandbytes` when an app installs it (runtime_env.pip): the cost model then assumes 4-bit weights, with a note. */
  quantization?: string;
  /** vLLM flags from `engine_kwargs` (and the usual env_vars of custom vLLM apps), as command-line words. */
  extraArgs: string;
}

/** Inner offset → document offset for a literal block scalar (`|`), or undefined when it is not one. */
function literalOffsets(node: Scalar, text: string): ((inner: number) => number) | undefined {
  if (node.type !== 'BLOCK_LITERAL' || !node.range) return undefined;
  const [start, end] = node.range;
  const lines: { inner: number; outer: number }[] = [];
  let outer = text.indexOf('\n', start) + 1;
  if (outer <= 0) return undefined;
  let indent: number | undefined;
  let inner = 0;
  while (outer < end) {
    const eol = text.indexOf('\n', outer);
    const line = text.slice(outer, eol < 0 ? text.length : eol);
    const lead = /^ */.exec(line)![0].length;
    if (indent === undefined && line.trim() !== '') indent = lead;
    const content = indent !== undefined && line.length >= indent ? line.slice(indent) : '';
    lines.push({ inner, outer: outer + (indent ?? lead) });
    inner += content.length + 1;
    if (eol < 0) break;
    outer = eol + 1;
  }
  return (offset) => {
    let l = lines[0]!;
    for (const x of lines) if (x.inner <= offset) l = x;
    return l.outer + (offset - l.inner);
  };
}

function at(map: unknown, key: string): unknown {
  return isMap(map) ? map.get(key, true) : undefined;
}

function scalar(n: unknown): string | undefined {
  return isScalar(n) && n.value !== null && typeof n.value !== 'object' ? String(n.value) : undefined;
}

/** The first value found at `path` in any item of `list` (applications, deployments, llm_configs). */
function seqItems(n: unknown): unknown[] {
  return isSeq(n) ? n.items : [];
}

/** Ray's accelerator type names (ray/util/accelerators/accelerators.py) that differ from the GPU catalog's ids. */
const RAY_ACCELERATORS: Record<string, string> = { H100: 'H100-SXM', 'A100-40G': 'A100-SXM-40GB', 'A100-80G': 'A100-SXM-80GB' };

const ENV_FLAGS: Record<string, string> = {
  MAX_MODEL_LEN: '--max-model-len',
  GPU_MEMORY_UTILIZATION: '--gpu-memory-utilization',
  TENSOR_PARALLEL_SIZE: '--tensor-parallel-size',
  TENSOR_PARALLELISM: '--tensor-parallel-size',
};

export function readServeConfig(node: Node | undefined, key: Node | undefined, doc: DocModelRef): ServeConfig | undefined {
  const text = scalar(node);
  if (!text || !isScalar(node)) return undefined;
  const inner = parseDocument(text);
  if (inner.errors.length) return undefined;
  const toOuter = literalOffsets(node, doc.text);
  const keyRange = nodeRange(key);
  const flagAt = (n: unknown, value: string, flag: string): FlagValue => {
    const r = isScalar(n) ? n.range : undefined;
    const i = r ? text.indexOf(value, r[0]) : -1;
    if (toOuter && i >= 0) {
      const start = toOuter(i);
      if (doc.text.slice(start, start + value.length) === value) return { value, flag, token: { value, node, start, end: start + value.length } };
    }
    return { value, flag, token: { value } };
  };
  const out: ServeConfig = { vllm: false, extraArgs: '' };
  const args: string[] = [];
  for (const app of seqItems(at(inner.contents, 'applications'))) {
    const importPath = scalar(at(app, 'import_path')) ?? '';
    const env = at(at(app, 'runtime_env'), 'env_vars');
    const pip = seqItems(at(at(app, 'runtime_env'), 'pip')).map(scalar).join(' ');
    const deployments = seqItems(at(app, 'deployments')).map((d) => scalar(at(d, 'name')) ?? '').join(' ');
    if (/ray\.serve\.llm|vllm/i.test(`${importPath} ${pip} ${deployments}`)) out.vllm = true;
    if (/(^|\s)bitsandbytes\b/.test(pip)) out.quantization ??= 'bitsandbytes';
    for (const cfg of seqItems(at(at(app, 'args'), 'llm_configs'))) {
      const loading = at(cfg, 'model_loading_config');
      // model_source is what vLLM loads (a Hugging Face id, or a bucket path); model_id is the name it serves.
      const source = at(loading, 'model_source');
      const id = at(loading, 'model_id');
      const src = scalar(source);
      const pick = src && !/^[a-z0-9]+:\/\//i.test(src) ? { n: source, v: src, f: 'model_source' } : scalar(id) ? { n: id, v: scalar(id)!, f: 'model_id' } : undefined;
      if (pick && !out.model) out.model = flagAt(pick.n, pick.v, pick.f);
      const accelerator = scalar(at(cfg, 'accelerator_type'));
      if (accelerator) out.gpu ??= RAY_ACCELERATORS[accelerator] ?? accelerator;
      const kwargs = at(cfg, 'engine_kwargs');
      if (isMap(kwargs)) {
        for (const p of kwargs.items) {
          const k = scalar(p.key);
          const v = scalar(p.value);
          if (!k || v === undefined || v === 'false') continue;
          args.push(`--${k.replace(/_/g, '-')}`, ...(v === 'true' ? [] : [v]));
        }
      }
    }
    // Custom vLLM apps (vllm_serve:deployment) take the model and engine settings from runtime_env.env_vars.
    if (isMap(env)) {
      const model = at(env, 'MODEL_ID');
      const m = scalar(model);
      if (m && !m.startsWith('$') && !out.model) out.model = flagAt(model, m, 'runtime_env MODEL_ID');
      for (const [name, flag] of Object.entries(ENV_FLAGS)) {
        const v = scalar(at(env, name));
        if (v && /^[\d.]+$/.test(v)) args.push(flag, v);
      }
    }
  }
  out.extraArgs = args.join(' ');
  const tp = /--tensor-parallel-size (\d+)/.exec(out.extraArgs)?.[1];
  if (tp) out.tensorParallel = Number(tp);
  // Without a literal block to point into, findings about the model point at the serveConfigV2 key.
  if (out.model && out.model.token.start === undefined && keyRange) out.model.token = { value: out.model.value, node: key, start: keyRange[0], end: keyRange[1] };
  return out;
}
