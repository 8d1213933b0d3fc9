/** Recognises model-server containers (by image, command, accelerator or annotation) and types their arguments. */
import type { ModelServerKind } from '../types';
import { nodeRange, type DocModelRef } from '../yaml/nodes';
import { parseFlags, tokenize, type FlagValue, type Token } from './args';
import type { ContainerModel } from './pod';

export interface ServerArgs {
  model?: FlagValue;
  /** Total context (input + output) the server accepts. */
  maxModelLen?: number;
  maxTotalTokens?: number;
  maxInputTokens?: number;
  maxNewTokens?: number;
  tensorParallel?: number;
  pipelineParallel?: number;
  /** Pods (nodes) that together run one server instance: SGLang / vLLM `--nnodes`. */
  nnodes?: number;
  quantization?: string;
  dtype?: string;
  port?: number;
  gpuMemoryUtilization?: number;
  flags: Map<string, FlagValue>;
  tokens: Token[];
}

export interface ServerModel {
  kind: ModelServerKind;
  detectedBy: 'image' | 'command' | 'accelerator' | 'annotation';
  args: ServerArgs;
}

const IMAGE_PATTERNS: [RegExp, ModelServerKind][] = [
  [/nvcr\.io\/nim\//i, 'nim'],
  [/tritonserver.*trtllm|tensorrt[-_]?llm|trtllm/i, 'trtllm'],
  [/tritonserver/i, 'triton'],
  [/text-generation-inference|(^|\/)tgi[:@-]|huggingface-text-generation|tgi-gaudi/i, 'tgi'],
  [/(^|\/)sglang[:@]|lmsysorg\/sglang|sgl-project/i, 'sglang'],
  [/vllm/i, 'vllm'],
  [/(^|\/)ollama[:@/]|ollama\/ollama/i, 'ollama'],
  [/llama\.cpp|llama-cpp|llamacpp|llama-server/i, 'llamacpp'],
  [/huggingfaceserver/i, 'kserve-huggingface'],
  // JetStream engines on TPU (MaxText, PyTorch, Pathways); not jetstream-http, the HTTP front end that holds no model.
  [/jetstream-(?!http)[\w-]*[:@]|jetstream[:@]/i, 'jetstream'],
];

const COMMAND_PATTERNS: [RegExp, ModelServerKind][] = [
  [/^vllm serve$|^vllm\.entrypoints/, 'vllm'],
  [/^text-generation-launcher$/, 'tgi'],
  [/^sglang\.launch_server$|^sglang serve$/, 'sglang'],
  [/^llama-server$|(^|\/)llama-server$/, 'llamacpp'],
  [/(^|\/)tritonserver$/, 'triton'],
  [/(^|\/)trtllm-serve$/, 'trtllm'],
  [/^ollama serve$/, 'ollama'],
];

/**
 * Images that use accelerators but do not generate text (embeddings, vision, CUDA samples, classic model
 * servers, notebooks): not detected from their GPU alone. `servelint.io/model-server: "true"` still forces it.
 */
const NOT_LLM_IMAGES = /text-embeddings-inference|(^|\/)tei-gaudi|embedding-tei|cuda-sample|\/samples?:|tensorflow\/serving|tf-serving|(^|\/)torchserve|diffusion|jupyter|dcgm|gpu-burn|device-plugin|nvidia-smi|(^|\/)nginx|(^|\/)busybox/i;
/** Commands of classic (non-generative) model servers: not detected from their GPU alone either. */
const NOT_LLM_COMMANDS = /^(torchserve|tensorflow_model_server)$/;

const KINDS: ModelServerKind[] = ['vllm', 'tgi', 'sglang', 'triton', 'trtllm', 'nim', 'ollama', 'llamacpp', 'kserve-huggingface', 'jetstream'];

function kindFromTokens(tokens: Token[]): ModelServerKind | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = (tokens[i] as Token).value;
    const pair = `${t.replace(/^.*\//, '')} ${tokens[i + 1]?.value ?? ''}`;
    for (const [re, kind] of COMMAND_PATTERNS) {
      if (re.test(t) || re.test(pair)) return kind;
    }
  }
  return undefined;
}

function int(v: FlagValue | undefined): number | undefined {
  if (!v) return undefined;
  const n = Number(v.value);
  return Number.isFinite(n) ? n : undefined;
}

function first(flags: Map<string, FlagValue>, names: string[]): FlagValue | undefined {
  for (const n of names) {
    const v = flags.get(n);
    if (v) return v;
  }
  return undefined;
}

/** TGI's launcher reads every option from an environment variable too (MODEL_ID, NUM_SHARD, QUANTIZE, ...). */
const TGI_ENV: Record<string, string> = {
  MODEL_ID: '--model-id',
  NUM_SHARD: '--num-shard',
  QUANTIZE: '--quantize',
  DTYPE: '--dtype',
  MAX_INPUT_TOKENS: '--max-input-tokens',
  MAX_INPUT_LENGTH: '--max-input-length',
  MAX_TOTAL_TOKENS: '--max-total-tokens',
  PORT: '--port',
};

/** MaxText / JetStream take `key=value` arguments: the ones servelint reads, as the equivalent flags. */
const MAXTEXT_KEYS: Record<string, string> = {
  model_name: '--model',
  max_target_length: '--max-model-len',
  max_prefill_predict_length: '--max-input-tokens',
  quantization: '--quantization',
};

export function serverArgs(tokens: Token[], env: Record<string, string>, kind?: ModelServerKind): ServerArgs {
  const { flags, positionals } = parseFlags(tokens);
  if (kind === 'jetstream') {
    for (const t of positionals) {
      const m = /^([a-z_]+)=(.+)$/.exec(t.value);
      const flag = m ? MAXTEXT_KEYS[m[1] as string] : undefined;
      if (!m || !flag || flags.has(flag)) continue;
      const value = m[2] as string;
      const start = t.start !== undefined ? t.start + (m[1] as string).length + 1 : undefined;
      flags.set(flag, { value, token: { ...t, value, start, end: start !== undefined ? start + value.length : undefined }, flag: m[1] as string });
    }
  }
  if (kind === 'tgi') {
    for (const [name, flag] of Object.entries(TGI_ENV)) {
      const value = env[name];
      if (value !== undefined && !flags.has(flag)) flags.set(flag, { value, token: { value }, flag: `env ${name}` });
    }
  }
  let model = first(flags, ['--model', '--model-id', '--model_id', '--model-path', '--model-name', '--served-model']);
  // `vllm serve <model>`: the first positional after `serve`.
  if (!model) {
    // `serve` right after `vllm`, or first in args when the image's entrypoint is `vllm`.
    const serveAt = tokens.findIndex((t, i) => t.value === 'serve' && (i === 0 ? kind === 'vllm' : /(^|\/)vllm$/.test(tokens[i - 1]?.value ?? '')));
    const after = serveAt >= 0 ? tokens[serveAt + 1] : undefined;
    if (after && !after.value.startsWith('-') && positionals.includes(after)) model = { value: after.value, token: after, flag: 'serve' };
  }
  if (model && /^\$\(?\{?[A-Za-z_]/.test(model.value)) model = undefined;
  if (!model) {
    for (const name of ['MODEL_ID', 'MODEL_NAME', 'MODEL', 'HF_MODEL_ID', 'MODEL_PATH', 'NIM_MODEL_NAME', 'NIM_SERVED_MODEL_NAME']) {
      const value = env[name]?.replace(/^hf:\/\//, '');
      if (value) {
        model = { value, token: { value }, flag: `env ${name}` };
        break;
      }
    }
  }
  const nimTp = kind === 'nim' ? Number(env.NIM_TENSOR_PARALLEL_SIZE) || undefined : undefined;
  return {
    model,
    maxModelLen: int(first(flags, ['--max-model-len', '--context-length', '--max-seq-len', '--ctx-size', '-c'])),
    maxTotalTokens: int(flags.get('--max-total-tokens')),
    maxInputTokens: int(first(flags, ['--max-input-tokens', '--max-input-length'])),
    maxNewTokens: int(first(flags, ['--max-new-tokens', '--max-tokens', '--n-predict', '-n'])),
    tensorParallel: int(first(flags, ['--tensor-parallel-size', '-tp', '--tp', '--tp-size', '--num-shard'])) ?? nimTp,
    pipelineParallel: int(first(flags, ['--pipeline-parallel-size', '-pp', '--pp', '--pp-size'])),
    nnodes: int(first(flags, ['--nnodes', '--num-nodes'])),
    quantization: first(flags, ['--quantization', '--quantize', '-q'])?.value,
    dtype: flags.get('--dtype')?.value,
    port: int(flags.get('--port')),
    gpuMemoryUtilization: int(first(flags, ['--gpu-memory-utilization', '--mem-fraction-static'])),
    flags,
    tokens,
  };
}

/**
 * Annotation `servelint.io/model-server`: "false" turns detection off. A server kind ("vllm") sets the kind of the
 * containers detected by image, command or GPU; when none is detected, the pod's first container is forced to be
 * the server (`force`, decided by the pod template), as it is for "true" (kind unknown).
 */
export function detectServer(c: ContainerModel, doc: DocModelRef, annotations: Record<string, string>, force = false): ServerModel | undefined {
  const annotation = annotations['servelint.io/model-server']?.trim().toLowerCase();
  if (annotation === 'false') return undefined;
  const annotatedKind = KINDS.includes(annotation as ModelServerKind) ? (annotation as ModelServerKind) : undefined;
  const tokens = tokenize(c.commandNode, c.argsNode, c.env, doc.text);
  const image = c.image ?? '';
  const detected = ((): Omit<ServerModel, 'args'> | undefined => {
    for (const [re, kind] of IMAGE_PATTERNS) if (re.test(image)) return { kind, detectedBy: 'image' };
    const byCommand = kindFromTokens(tokens);
    if (byCommand) return { kind: byCommand, detectedBy: 'command' };
    const classic = tokens.some((t) => NOT_LLM_COMMANDS.test(t.value.replace(/^.*\//, '')));
    if (c.accelerator && !NOT_LLM_IMAGES.test(image) && !classic) return { kind: 'unknown', detectedBy: 'accelerator' };
    if (force && (annotatedKind || annotation === 'true')) return { kind: 'unknown', detectedBy: 'annotation' };
    return undefined;
  })();
  // The annotated kind wins over the guess (a custom image with a GPU that is really vLLM gets vLLM's defaults).
  if (detected && annotatedKind) detected.kind = annotatedKind;
  if (!detected) return undefined;
  const args = serverArgs(tokens, c.env, detected.kind);
  // NIM images name their model: nvcr.io/nim/meta/llama-3.1-8b-instruct:1.1.0 serves meta/llama-3.1-8b-instruct.
  const nim = /nvcr\.io\/nim\/([^/:@]+\/[^/:@]+)/.exec(image);
  if (!args.model && detected.kind === 'nim' && nim?.[1]) {
    const r = nodeRange(c.imageNode);
    const at = r ? doc.text.indexOf(nim[1], r[0]) : -1;
    const token = at >= 0 ? { value: nim[1], node: c.imageNode, start: at, end: at + nim[1].length } : { value: nim[1] };
    args.model = { value: nim[1], token, flag: 'image' };
  }
  return { ...detected, args };
}

/** Default HTTP port and health path of each server, for generated probes and drains. */
export const SERVER_DEFAULTS: Record<ModelServerKind, { port: number; health: string; name: string }> = {
  vllm: { port: 8000, health: '/health', name: 'vLLM' },
  tgi: { port: 80, health: '/health', name: 'TGI' },
  sglang: { port: 30000, health: '/health', name: 'SGLang' },
  triton: { port: 8000, health: '/v2/health/ready', name: 'Triton' },
  trtllm: { port: 8000, health: '/v2/health/ready', name: 'TensorRT-LLM' },
  nim: { port: 8000, health: '/v1/health/ready', name: 'NIM' },
  ollama: { port: 11434, health: '/', name: 'Ollama' },
  llamacpp: { port: 8080, health: '/health', name: 'llama.cpp server' },
  'kserve-huggingface': { port: 8080, health: '/v2/health/ready', name: 'KServe Hugging Face server' },
  // The jetstream-http front end beside the engine answers on 8000.
  jetstream: { port: 8000, health: '/healthcheck', name: 'JetStream' },
  unknown: { port: 8000, health: '/health', name: 'model server' },
};
