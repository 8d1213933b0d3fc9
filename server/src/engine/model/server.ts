/** Recognises model-server containers (by image, command, accelerator or annotation) and types their arguments. */
import type { ModelServerKind } from '../types';
import { nodeRange, type DocModelRef } from '../yaml/nodes';
import { parseFlags, shellWords, tokenize, type FlagValue, type Token } from './args';
import type { ContainerModel } from './pod';
import { profileOf, SERVER_KINDS, SERVER_PROFILES } from '../servers';
import { parseBounded } from '../fields';

export interface ServerArgs {
  model?: FlagValue;
  /** Total context (input + output) the server accepts. */
  maxModelLen?: number;
  maxTotalTokens?: number;
  maxInputTokens?: number;
  maxNewTokens?: number;
  tensorParallel?: number;
  pipelineParallel?: number;
  /** Data-parallel engines (vLLM `--data-parallel-size`, SGLang `--dp` / `--dp-size`). */
  dataParallel?: number;
  /** Pods (nodes) that together run one server instance: SGLang / vLLM `--nnodes`. */
  nnodes?: number;
  quantization?: string;
  dtype?: string;
  port?: number;
  gpuMemoryUtilization?: number;
  flags: Map<string, FlagValue>;
  tokens: Token[];
  /** Flag values out of range (reported by invalid-value; the fields above are then unset). */
  invalid: InvalidFlag[];
}

export interface ServerModel {
  kind: ModelServerKind;
  detectedBy: 'image' | 'command' | 'port' | 'accelerator' | 'annotation' | 'operator';
  args: ServerArgs;
  /** Engines an operator places across its pods' accelerators (Ray Serve replicas), when it runs several. */
  placement?: EnginePlacement;
}

/** Ray Serve replicas spread over a RayService's worker pods (kinds/rayservice.ts). */
export interface EnginePlacement {
  by: string;
  /** Accelerators the stated replicas use in all (replicas × tensor × pipeline parallel); undefined when a count is not stated. */
  needed?: number;
  /** e.g. "num_replicas 8 × tensor_parallel_size 1". */
  detail: string;
  /** Accelerators of the pods they are placed on, and their resource name. */
  available: number;
  resource: string;
  availableDetail: string;
  /** Where the replica count is written (inside serveConfigV2), for findings. */
  token?: FlagValue['token'];
}

/**
 * Images that use accelerators but do not generate text (embeddings, vision, CUDA samples, classic model
 * servers, notebooks): not detected from their GPU alone. `servelint.io/model-server: "true"` still forces it.
 */
const NOT_LLM_IMAGES = /text-embeddings-inference|(^|\/)tei-gaudi|embedding-tei|cuda-sample|\/samples?:|tensorflow\/serving|tf-serving|(^|\/)torchserve|diffusion|jupyter|dcgm|gpu-burn|device-plugin|nvidia-smi|(^|\/)nginx|(^|\/)busybox/i;
/**
 * Commands of classic (non-generative) model servers, GPU checks and CUDA samples: not detected from their GPU
 * alone either.
 */
const NOT_LLM_COMMANDS = /^(torchserve|tensorflow_model_server|nvidia-smi|vectorAdd|deviceQuery|bandwidthTest|nbody)$/;
/**
 * Mock and simulator images of model servers (aibrix/vllm-mock in vllm-project/aibrix samples, llm-d's
 * llm-d-inference-sim, vllm-sim): they answer the API without a model, so the rules about generations, weights and
 * GPUs do not apply. `servelint.io/model-server: "<kind>"` still forces analysis.
 */
const MOCK_IMAGES = /(^|[/_.-])(mock|mocked|sim|simulator|fake|stub)([/:_.@-]|$)/i;

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

/** A flag value outside the range its server accepts: reported by invalid-value, never used. */
export interface InvalidFlag {
  flag: FlagValue;
  expected: string;
}

const TOKENS = { min: 1, max: 1e9, integer: true, expected: 'a whole number of tokens ≥ 1' };
const COUNT = { min: 1, max: 65_536, integer: true, expected: 'a whole number ≥ 1' };
const PORT = { min: 1, max: 65_535, integer: true, expected: 'a port from 1 to 65535' };
const FRACTION = { min: Number.MIN_VALUE, max: 1, integer: false, expected: 'a fraction in (0, 1]' };
type Range = typeof TOKENS;

/** A flag's number within its range; out of range it is recorded in `invalid` and not used. */
function bounded(v: FlagValue | undefined, r: Range, invalid: InvalidFlag[]): number | undefined {
  if (!v) return undefined;
  const n = parseBounded(v.value, r.min, r.max, r.integer);
  // Only numbers out of range are reported: a word after a short flag may be something else (`sh -c "..."`).
  if (n === undefined && /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v.value)) invalid.push({ flag: v, expected: r.expected });
  return n;
}


function first(flags: Map<string, FlagValue>, names: string[]): FlagValue | undefined {
  for (const n of names) {
    const v = flags.get(n);
    if (v) return v;
  }
  return undefined;
}

/**
 * Parallelism flags: vLLM `--tensor-parallel-size` / `-tp`, `--pipeline-parallel-size` / `-pp`,
 * `--data-parallel-size` / `-dp`; SGLang `--tp` / `--tp-size`, `--pp-size`, `--dp` / `--dp-size`; TGI `--num-shard`
 * (or NUM_SHARD); trtllm-serve `--tp_size` / `--pp_size` (NVIDIA/TensorRT-LLM tensorrt_llm/commands/serve.py).
 */
export const TENSOR_PARALLEL_FLAGS = ['--tensor-parallel-size', '-tp', '--tp', '--tp-size', '--tp_size', '--num-shard'];
export const PIPELINE_PARALLEL_FLAGS = ['--pipeline-parallel-size', '-pp', '--pp', '--pp-size', '--pp_size'];
export const DATA_PARALLEL_FLAGS = ['--data-parallel-size', '-dp', '--dp', '--dp-size'];

/** The first of `names` set in the parsed flags. */
export function firstFlag(flags: Map<string, FlagValue>, names: string[]): FlagValue | undefined {
  return first(flags, names);
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
      flags.set(flag, { value, token: Object.assign({}, t, { value, start, end: start !== undefined ? start + value.length : undefined }), flag: m[1] as string });
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
  const envTp = profile?.tensorParallelEnv ? parseBounded(env[profile.tensorParallelEnv], COUNT.min, COUNT.max, true) : undefined;
  const invalid: InvalidFlag[] = [];
  return {
    model,
    maxModelLen: bounded(first(flags, ['--max-model-len', '--context-length', '--max-seq-len', '--ctx-size', '-c']), TOKENS, invalid),
    maxTotalTokens: bounded(flags.get('--max-total-tokens'), TOKENS, invalid),
    maxInputTokens: bounded(first(flags, ['--max-input-tokens', '--max-input-length']), TOKENS, invalid),
    maxNewTokens: bounded(first(flags, ['--max-new-tokens', '--max-tokens', '--n-predict', '-n']), TOKENS, invalid),
    tensorParallel: bounded(first(flags, TENSOR_PARALLEL_FLAGS), COUNT, invalid) ?? envTp,
    pipelineParallel: bounded(first(flags, PIPELINE_PARALLEL_FLAGS), COUNT, invalid),
    dataParallel: bounded(first(flags, DATA_PARALLEL_FLAGS), COUNT, invalid),
    nnodes: bounded(first(flags, ['--nnodes', '--num-nodes']), COUNT, invalid),
    quantization: first(flags, ['--quantization', '--quantize', '-q'])?.value,
    dtype: flags.get('--dtype')?.value,
    port: bounded(flags.get('--port'), PORT, invalid),
    gpuMemoryUtilization: bounded(first(flags, ['--gpu-memory-utilization', '--mem-fraction-static']), FRACTION, invalid),
    invalid,
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
  const forced = (): Omit<ServerModel, 'args'> | undefined => (force && (annotatedKind || annotation === 'true') ? { kind: 'unknown', detectedBy: 'annotation' } : undefined);
  const detected = ((): Omit<ServerModel, 'args'> | undefined => {
    // A mock or simulator (registry host left out) is a model server only when the annotation says so.
    if (MOCK_IMAGES.test(image.replace(/^[^/]*\.[^/]*\//, ''))) return forced();
    const byImage = SERVER_PROFILES.find((p) => p.image?.test(image));
    // Triton's plain image with no LLM backend in its command serves classic models (an image classifier).
    const classicServer = byImage?.classicImage?.test(image) === true && !tokens.some((t) => byImage.llmArgs?.test(t.value));
    if (byImage && !classicServer) return { kind: byImage.kind, detectedBy: 'image' };
    const byCommand = classicServer ? undefined : kindFromTokens(tokens);
    if (byCommand) return { kind: byCommand, detectedBy: 'command' };
    const byPort = classicServer ? undefined : SERVER_PROFILES.find((p) => p.portIdentifies && c.ports.includes(p.port));
    if (byPort) return { kind: byPort.kind, detectedBy: 'port' };
    const classic = classicServer || tokens.some((t) => NOT_LLM_COMMANDS.test(t.value.replace(/^.*\//, '')));
    if (c.accelerator && !NOT_LLM_IMAGES.test(image) && !classic) return { kind: 'unknown', detectedBy: 'accelerator' };
    return forced();
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
  return Object.assign({}, detected, { args });
}

/**
 * A server an operator launches whatever the container says (KServe's LLMInferenceService presets run
 * `vllm serve`): the kind is known; flags come from the container's args (and `extraArgs`, e.g. an env variable the
 * launch script expands), the model from the CRD's own field when the args name none.
 */
export function operatorServer(
  c: ContainerModel,
  doc: DocModelRef,
  kind: ModelServerKind,
  extra: { extraArgs?: string; model?: FlagValue; tensorParallel?: number } = {},
): ServerModel {
  const tokens = [...tokenize(c.commandNode, c.argsNode, c.env, doc.text), ...shellWords(extra.extraArgs ?? '').map((w) => ({ value: w.word }))];
  const args = serverArgs(tokens, c.env, kind);
  if (!args.model && extra.model) args.model = extra.model;
  if (args.tensorParallel === undefined && extra.tensorParallel !== undefined) args.tensorParallel = extra.tensorParallel;
  return { kind, detectedBy: 'operator', args };
}
