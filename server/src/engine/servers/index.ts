/** The server profile registry: one file per model server. Order matters for image detection (specific first). */
import type { ModelServerKind } from '../types';
import type { ServerProfile } from './types';
import { nim } from './nim';
import { trtllm } from './trtllm';
import { triton } from './triton';
import { tgi } from './tgi';
import { sglang } from './sglang';
import { vllm } from './vllm';
import { ollama } from './ollama';
import { llamacpp } from './llamacpp';
import { kserveHuggingface } from './kserve-huggingface';
import { jetstream } from './jetstream';
import { unknown } from './unknown';

export type { ServerProfile, ServerMetrics, DrainHook } from './types';

/** Known servers, in image-detection order (NIM before TensorRT-LLM before Triton; vLLM after SGLang and TGI). */
export const SERVER_PROFILES: readonly ServerProfile[] = [nim, trtllm, triton, tgi, sglang, vllm, ollama, llamacpp, kserveHuggingface, jetstream];

const BY_KIND = new Map<ModelServerKind, ServerProfile>([...SERVER_PROFILES, unknown].map((p) => [p.kind, p]));

export function profileOf(kind: ModelServerKind): ServerProfile {
  return BY_KIND.get(kind) ?? unknown;
}

/** Server kinds an annotation may name (`servelint.io/model-server: vllm`). */
export const SERVER_KINDS: readonly ModelServerKind[] = SERVER_PROFILES.map((p) => p.kind);

/** The generated analysis queries: the server's own metrics, else vLLM's names (many servers export them). */
export function metricsOf(kind: ModelServerKind): NonNullable<ServerProfile['metrics']> {
  return profileOf(kind).metrics ?? vllm.metrics!;
}

/** Gauges that show GPU load for autoscaling advice (queue first); empty when the server's names are not known. */
export function scalingMetricsOf(kind: ModelServerKind): string[] {
  return profileOf(kind).scalingMetrics ?? [];
}
