/** Recognises model-server containers (by image, command, accelerator or annotation) and types their arguments. */
import type { ModelServerKind } from '../types';
import { nodeRange, type DocModelRef } from '../yaml/nodes';
import { parseFlags, tokenize, type FlagValue, type Token } from './args';
import type { ContainerModel } from './pod';
import { profileOf, SERVER_KINDS, SERVER_PROFILES } from '../servers';

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

/**
 * Images that use accelerators but do not generate text (embeddings, vision, CUDA samples, classic model
 * servers, notebooks): not detected from their GPU alone. `servelint.io/model-server: "true"` still forces it.
 */
const NOT_LLM_IMAGES = /text-embeddings-inference|(^|\/)tei-gaudi|embedding-tei|cuda-sample|\/samples?:|tensorflow\/serving|tf-serving|(^|\/)torchserve|diffusion|jupyter|dcgm|gpu-burn|device-plugin|nvidia-smi|(^|\/)nginx|(^|\/)busybox/i;
/** Commands of classic (non-generative) model servers: not detected from their GPU alone either. */
const NOT_LLM_COMMANDS = /^(torchserve|tensorflow_model_server)$/;

function kindFromTokens(tokens: Token[]): ModelServerKind | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = (tokens[i] as Token).value;
    const pair = `${t.replace(/^.*\//, '')} ${tokens[i + 1]?.value ?? ''}`;
    for (const p of SERVER_PROFILES) {
      if (p.command && (p.command.test(t) || p.command.test(pair))) return p.kind;
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

export function serverArgs(tokens: Token[], env: Record<string, string>, kind?: ModelServerKind): ServerArgs {
  const { flags, positionals } = parseFlags(tokens);
  const profile = kind ? profileOf(kind) : undefined;
  if (profile?.keyValueArgs) {
    for (const t of positionals) {
      const m = /^([a-z_]+)=(.+)$/.exec(t.value);
      const flag = m ? profile.keyValueArgs[m[1] as string] : undefined;
      if (!m || !flag || flags.has(flag)) continue;
      const value = m[2] as string;
      const start = t.start !== undefined ? t.start + (m[1] as string).length + 1 : undefined;
      flags.set(flag, { value, token: { ...t, value, start, end: start !== undefined ? start + value.length : undefined }, flag: m[1] as string });
    }
  }
  if (profile?.envFlags) {
    for (const [name, flag] of Object.entries(profile.envFlags)) {
      const value = env[name];
      if (value !== undefined && !flags.has(flag)) flags.set(flag, { value, token: { value }, flag: `env ${name}` });
    }
  }
  let model = first(flags, ['--model', '--model-id', '--model_id', '--model-path', '--model-name', '--served-model']);
  // `vllm serve <model>`: the first positional after `serve`.
  if (!model) {
    // `serve` right after `vllm`, or first in args when the image's entrypoint is `vllm`.
    const serveAt = tokens.findIndex((t, i) => t.value === 'serve' && (i === 0 ? profile?.serveSubcommand === true : /(^|\/)vllm$/.test(tokens[i - 1]?.value ?? '')));
    const after = serveAt >= 0 ? tokens[serveAt + 1] : undefined;
    if (after && !after.value.startsWith('-') && positionals.includes(after)) model = { value: after.value, token: after, flag: 'serve' };
  }
  // `trtllm-serve <model>` (optionally `trtllm-serve serve <model>`): the first positional after the command.
  if (!model && profile?.positionalModelAfter) {
    const at = tokens.findIndex((t) => profile.positionalModelAfter?.test(t.value));
    const after = at >= 0 ? tokens.slice(at + 1).find((t) => positionals.includes(t) && t.value !== 'serve') : undefined;
    if (after) model = { value: after.value, token: after, flag: 'positional' };
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
  const envTp = profile?.tensorParallelEnv ? Number(env[profile.tensorParallelEnv]) || undefined : undefined;
  return {
    model,
    maxModelLen: int(first(flags, ['--max-model-len', '--context-length', '--max-seq-len', '--ctx-size', '-c'])),
    maxTotalTokens: int(flags.get('--max-total-tokens')),
    maxInputTokens: int(first(flags, ['--max-input-tokens', '--max-input-length'])),
    maxNewTokens: int(first(flags, ['--max-new-tokens', '--max-tokens', '--n-predict', '-n'])),
    tensorParallel: int(first(flags, ['--tensor-parallel-size', '-tp', '--tp', '--tp-size', '--num-shard'])) ?? envTp,
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
  const annotatedKind = SERVER_KINDS.includes(annotation as ModelServerKind) ? (annotation as ModelServerKind) : undefined;
  const tokens = tokenize(c.commandNode, c.argsNode, c.env, doc.text);
  const image = c.image ?? '';
  const detected = ((): Omit<ServerModel, 'args'> | undefined => {
    for (const p of SERVER_PROFILES) if (p.image?.test(image)) return { kind: p.kind, detectedBy: 'image' };
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
  // Images that name their model: nvcr.io/nim/meta/llama-3.1-8b-instruct:1.1.0 serves meta/llama-3.1-8b-instruct.
  const named = profileOf(detected.kind).modelFromImage?.exec(image)?.[1];
  if (!args.model && named) {
    const r = nodeRange(c.imageNode);
    const at = r ? doc.text.indexOf(named, r[0]) : -1;
    const token = at >= 0 ? { value: named, node: c.imageNode, start: at, end: at + named.length } : { value: named };
    args.model = { value: named, token, flag: 'image' };
  }
  return { ...detected, args };
}
