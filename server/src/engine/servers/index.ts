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

// A server's release from its image tag, for facts that changed between releases (defaults, flags).

export type Release = [number, number, number];

/**
 * The release in the image tag (`vllm/vllm-openai:v0.18.1` → [0, 18, 1]); `latest` or no tag → 'latest'.
 * Undefined when the image is not one of the server's own (`releaseImage`) or the tag is no release (`sha-…`).
 * When `releaseImage` captures major and minor (its last two groups), the release comes from the image name.
 */
export function releaseOf(profile: ServerProfile, image: string | undefined): Release | 'latest' | undefined {
  const named = image ? profile.releaseImage?.exec(image) : undefined;
  if (!image || !named) return undefined;
  // A release in the image name (the regex's last two groups: major, minor).
  const [major, minor] = named.slice(-2);
  if (major !== undefined && minor !== undefined && /^\d+$/.test(major) && /^\d+$/.test(minor)) return [Number(major), Number(minor), 0];
  const tag = /:([^/:]+)$/.exec(image.replace(/@sha256:.*$/, ''))?.[1];
  if (tag === undefined || tag === 'latest') return 'latest';
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?![\w.])|^v?(\d+)\.(\d+)(?:\.(\d+))?-/.exec(tag);
  if (!m) return undefined;
  const n = m[1] !== undefined ? [m[1], m[2], m[3]] : [m[4], m[5], m[6]];
  return [Number(n[0]), Number(n[1]), Number(n[2] ?? 0)];
}

/** a >= b. */
export function atLeast(a: Release, b: Release): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) > (b[i] as number);
  return true;
}

/** The profile's default total-token limit for this image's release, if one applies. */
export function defaultTotalTokens(profile: ServerProfile, image: string | undefined): { tokens: number; atMost: boolean; release: Release } | undefined {
  const release = releaseOf(profile, image);
  if (!release || release === 'latest') return undefined;
  const d = profile.defaultTotalTokens?.find((x) => atLeast(release, x.since) && (!x.before || !atLeast(release, x.before)));
  return d ? { tokens: d.tokens, atMost: d.atMost === true, release } : undefined;
}
