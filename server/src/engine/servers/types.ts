/**
 * A model-server profile: everything servelint knows about one server (vLLM, TGI, ...), in one place. Detection,
 * argument parsing, rules (probes, drains, generated analysis) and the cost model read it; nothing else switches
 * on the server kind.
 */
import type { ModelServerKind } from '../types';

/** PromQL over the server's own metrics, for the AnalysisTemplate servelint proposes (`{{args.job}}` is the job). */
export interface ServerMetrics {
  ttftP99: string;
  errorRate: string;
}

/** A preStop hook servelint can propose: the YAML block (under `lifecycle:`) and the seconds it waits at least. */
export interface DrainHook {
  block: string;
  seconds: number;
  /** How the fix title describes it: "wait until /metrics shows no running requests". */
  describe: string;
}

export interface ServerProfile {
  kind: ModelServerKind;
  /** Display name in messages: "vLLM", "TGI". */
  name: string;
  /** Images of this server (tested in registry order, so more specific servers come first). */
  image?: RegExp;
  /** The server's command: matched against each token, and a token with the next one ("vllm serve"). */
  command?: RegExp;
  /**
   * Images of this server that serve classic (non-generative) models unless an argument names an LLM backend
   * (`llmArgs`): not model servers for servelint then, unless annotated.
   */
  classicImage?: RegExp;
  llmArgs?: RegExp;
  /** The default port names the server on its own (Ollama's 11434): a container exposing it is this server, GPU or not. */
  portIdentifies?: boolean;
  /** Default HTTP port and health path (for generated probes and drains). */
  port: number;
  health: string;
  /** The health endpoint always answers on this port, whatever --port says (JetStream's HTTP front end). */
  healthPort?: number;
  /** Environment variables the server reads as flags (TGI's launcher: MODEL_ID → --model-id). */
  envFlags?: Record<string, string>;
  /** `key=value` positional arguments read as flags (MaxText / JetStream: model_name= → --model). */
  keyValueArgs?: Record<string, string>;
  /** The image's entrypoint takes a `serve <model>` subcommand as the first argument (vllm/vllm-openai). */
  serveSubcommand?: boolean;
  /** The model is the first positional after a token matching this (`trtllm-serve <model>`, `trtllm-serve serve <model>`). */
  positionalModelAfter?: RegExp;
  /** The cost model's scheduler defaults for this server (engine/cost/throughput.ts engineMaxConcurrency). */
  costEngine?: 'vllm' | 'sglang' | 'tensorrt-llm' | 'nim';
  /** Environment variable that sets tensor parallelism when no flag does (NIM). */
  tensorParallelEnv?: string;
  /** The image names the model it serves: capture group 1 is the model id (NIM: nvcr.io/nim/meta/llama-3.1-8b-instruct). */
  modelFromImage?: RegExp;
  /**
   * Where the server downloads a Hugging Face Hub model when given a repo id: the hub cache directory in its
   * image (huggingface_hub: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub) and the flag that
   * moves it. Undefined: the server does not download Hub ids itself (or servelint does not know where).
   */
  hubCache?: {
    defaultDir: string;
    flag?: string;
    source: string;
    /** The image sets HUGGINGFACE_HUB_CACHE itself, so HF_HOME / TRANSFORMERS_CACHE in the manifest do not move it. */
    setByImageEnv?: boolean;
  };
  /** Prometheus metrics for TTFT p99 and the error rate; servers without their own use vLLM's names. */
  metrics?: ServerMetrics;
  /**
   * Gauges that show load on the GPU (queue length, KV-cache use), for autoscaling advice; the first is the
   * queue. Servers without their own use vLLM's names when they export them, else none.
   */
  scalingMetrics?: string[];
  /**
   * What the server does with running requests on SIGTERM: drains them for up to `defaultSeconds` (0: aborts
   * them at once), or for the value of `flag` from release `since` on.
   */
  sigterm?: { defaultSeconds: number; flag?: string; since?: [number, number, number] };
  /**
   * Total tokens (prompt + answer) the server allows by default when no flag sets it, per release range
   * [since, before): bounds the longest answer.
   */
  defaultTotalTokens?: { since: [number, number, number]; before?: [number, number, number]; tokens: number; atMost?: boolean }[];
  /** Images whose tag is the server's release (vllm/vllm-openai:v0.18.1); other images' tags say nothing about it. */
  releaseImage?: RegExp;
  /** A drain that waits for running requests (bounded by `boundSeconds`); otherwise a plain sleep is proposed. */
  drain?(port: number, boundSeconds: number): DrainHook;
}
