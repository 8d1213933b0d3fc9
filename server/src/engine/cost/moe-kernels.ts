/**
 * Engine- and version-specific MoE kernel paths that run slower than the expert GEMMs the throughput model is fitted on.
 * Pure data and functions; used by step-model.ts.
 */
import type { ThroughputParams } from './step-model';

/** NVIDIA Hopper (SM90) GPUs in the catalog. */
export const HOPPER_GPUS = new Set(['H100-SXM', 'H100-PCIe', 'H100-NVL', 'H200']);

/** Major and minor version from '1.2.0rc1', 'v1.0.0', 'release:1.0.0' ; undefined when none. */
export function majorMinor(version: string | undefined): [number, number] | undefined {
  const m = version ? /(\d+)\.(\d+)/.exec(version) : null;
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * The MoE kernel an engine uses by default when it differs from the expert GEMMs the model is fitted on, as a factor on
 * the routed experts' GEMM efficiency. One case is known:
 * - TensorRT-LLM up to 1.2 runs MXFP4 expert weights (gpt-oss) on Hopper with its default MoE backend, CUTLASS, with
 *   BF16 activations ("Hopper | bf16 | mxfp4 | **TRITON**, CUTLASS"; "For best performance, use the `TRITON` backend on
 *   Hopper", NVIDIA/TensorRT-LLM examples/models/core/gpt_oss/README.md @ 0ee4114c; "The default moe backend is CUTLASS,
 *   so for the best possible perf, one must set the moe_config.backend explicitly", deployment guide of 1.2.0rc2.post2,
 *   https://nvidia.github.io/TensorRT-LLM/1.2.0rc2.post2/deployment-guide/deployment-guide-for-gpt-oss-on-trtllm.html;
 *   MoeConfig.backend default='CUTLASS' in tensorrt_llm/llmapi/llm_args.py of those versions). NVIDIA/TensorRT-LLM PR
 *   #11074 (merged 2026-01-30) made the default AUTO, "For Hopper, the default MoE backend is `TRITON`"; the 1.3.0rc27
 *   API reference shows backend = 'AUTO'. So versions below 1.3 are taken as CUTLASS. The size of the slowdown is not
 *   published: `efficiency` is TUNING.trtllmHopperMxfp4MoeEfficiency, fitted (docs/cost-model.md). A manifest that sets moe_config.backend in an
 *   --extra_llm_api_options file is not read; an unknown version is taken as a current one (no slowdown).
 */
export function moeKernelPath(p: Pick<ThroughputParams, 'engine' | 'engineVersion' | 'gpu' | 'model'>, efficiency: number): { factor: number; note: string } | undefined {
  const v = majorMinor(p.engineVersion);
  if (p.engine !== 'tensorrt-llm' || p.model.quantization !== 'mxfp4' || !HOPPER_GPUS.has(p.gpu.id) || !v) return undefined;
  if (v[0] > 1 || (v[0] === 1 && v[1] >= 3)) return undefined;
  return { factor: efficiency,
    note: `TensorRT-LLM ${p.engineVersion} runs MXFP4 experts on Hopper with its default CUTLASS MoE backend (Triton is faster; default from 1.3): ` +
      `expert GEMMs at ${efficiency} of the usual efficiency (fitted). Set moe_config.backend: TRITON to avoid it.` };
}
