/** Bytes per parameter from quantization flags, name suffixes and dtypes (facts section 5). */
import type { WeightDtype } from './types';

export interface QuantInfo {
  /** Normalized name, e.g. 'bf16', 'fp8', 'awq', 'gptq-int4', 'gguf-q4_k_m'. */
  quantization: string;
  bytesPerParam: number;
  note?: string;
}

/** AWQ/GPTQ group-128 int4 ~4.25 bits; MXFP4 4.25 bits (facts); NVFP4 = 4 bits + an FP8 scale per 16 = 4.5 bits (derived). */
const GROUP_INT4 = 4.25 / 8;
const NVFP4 = 4.5 / 8;

export const NATIVE_BYTES: Record<WeightDtype, number> = {
  bf16: 2, fp16: 2, fp32: 4, fp8: 1, int8: 1, int4: 0.5, mxfp4: GROUP_INT4, nvfp4: NVFP4,
};

/** llama.cpp bits per weight of the common GGUF types (approximate, from llama.cpp's quantize table). */
const GGUF_BITS: Record<string, number> = {
  q2_k: 2.63, q3_k_s: 3.5, q3_k_m: 3.91, q3_k_l: 4.27, q4_0: 4.55, q4_1: 5.0, q4_k_s: 4.58, q4_k_m: 4.89,
  q5_0: 5.54, q5_1: 6.0, q5_k_s: 5.54, q5_k_m: 5.7, q6_k: 6.56, q8_0: 8.5, f16: 16, bf16: 16,
};

const tok = (s: string): string => `(?:^|[-_./: @])${s}(?=$|[-_./: @])`;
const has = (name: string, re: string): boolean => new RegExp(tok(re), 'i').test(name);

/** --dtype / --kv-cache-dtype / native dtype values. 'auto' and unknown values give undefined. */
export function dtypeInfo(dtype: string | undefined): QuantInfo | undefined {
  if (!dtype) return undefined;
  const d = dtype.trim().toLowerCase();
  if (['bfloat16', 'bf16'].includes(d)) return { quantization: 'bf16', bytesPerParam: 2 };
  if (['float16', 'fp16', 'half'].includes(d)) return { quantization: 'fp16', bytesPerParam: 2 };
  if (['float32', 'fp32', 'float'].includes(d)) return { quantization: 'fp32', bytesPerParam: 4 };
  if (/^fp8/.test(d)) return { quantization: 'fp8', bytesPerParam: 1 };
  if (d === 'int8') return { quantization: 'int8', bytesPerParam: 1 };
  if (d === 'mxfp4') return { quantization: 'mxfp4', bytesPerParam: GROUP_INT4 };
  if (d === 'nvfp4') return { quantization: 'nvfp4', bytesPerParam: NVFP4 };
  if (d === 'int4') return { quantization: 'int4', bytesPerParam: 0.5 };
  return undefined;
}

/** vLLM --quantization / TGI --quantize values. Returns undefined for values that depend on the checkpoint. */
export function quantFromFlag(flag: string | undefined, modelName = ''): QuantInfo | undefined {
  if (!flag) return undefined;
  const q = flag.trim().toLowerCase();
  if (/^awq/.test(q)) return { quantization: 'awq', bytesPerParam: GROUP_INT4 };
  if (/^gptq/.test(q) || q === 'marlin' || q === 'exl2') {
    return has(modelName, '(int8|8bit|w8a16)') ? { quantization: 'gptq-int8', bytesPerParam: 1 } : { quantization: 'gptq-int4', bytesPerParam: GROUP_INT4 };
  }
  if (q === 'modelopt_fp4' || q === 'nvfp4') return { quantization: 'nvfp4', bytesPerParam: NVFP4 };
  if (q === 'mxfp4') return { quantization: 'mxfp4', bytesPerParam: GROUP_INT4 };
  if (q.includes('fp8') || q === 'modelopt') return { quantization: 'fp8', bytesPerParam: 1 };
  if (q === 'eetq' || q === 'experts_int8' || q === 'int8' || q === 'smoothquant') return { quantization: 'int8', bytesPerParam: 1 };
  if (q === 'bitsandbytes-nf4' || q === 'bitsandbytes-fp4') return { quantization: 'bnb-4bit', bytesPerParam: GROUP_INT4 };
  if (q === 'bitsandbytes') {
    return has(modelName, '(8bit|int8)')
      ? { quantization: 'bnb-8bit', bytesPerParam: 1 }
      : { quantization: 'bnb-4bit', bytesPerParam: GROUP_INT4, note: 'bitsandbytes assumed 4-bit (vLLM loads pre-quantized 4-bit checkpoints; TGI --quantize bitsandbytes is 8-bit)' };
  }
  if (q === 'gguf') return quantFromName(modelName)?.info ?? { quantization: 'gguf-q4_k_m', bytesPerParam: GGUF_BITS.q4_k_m / 8, note: 'GGUF level not in the name: Q4_K_M assumed' };
  return undefined;
}

/** Quantization named in a model id or path (suffixes such as -AWQ, -FP8-Dynamic, -w4a16, .Q4_K_M.gguf). */
export function quantFromName(name: string): { info: QuantInfo; suffix: string } | undefined {
  const n = name.toLowerCase();
  const gg = /(?:^|[-_./: ])(i?q\d_(?:k_[sml]|k|\d)|f16|bf16)(?:\.gguf)?$/i.exec(n) ?? /(?:^|[-_./: ])(q\d_(?:k_[sml]|k|\d))(?=$|[-_./: ])/i.exec(n);
  if (gg && (n.includes('gguf') || /^q\d/.test(gg[1]))) {
    const bits = GGUF_BITS[gg[1]];
    if (bits) return { info: { quantization: `gguf-${gg[1]}`, bytesPerParam: bits / 8 }, suffix: gg[1].toUpperCase() };
  }
  if (has(n, 'gguf')) {
    return { info: { quantization: 'gguf-q4_k_m', bytesPerParam: GGUF_BITS.q4_k_m / 8, note: 'GGUF level not in the name: Q4_K_M assumed' }, suffix: '-GGUF' };
  }
  if (has(n, '(nvfp4|fp4)')) return { info: { quantization: 'nvfp4', bytesPerParam: NVFP4 }, suffix: '-NVFP4' };
  if (has(n, 'mxfp4')) return { info: { quantization: 'mxfp4', bytesPerParam: GROUP_INT4 }, suffix: '-MXFP4' };
  if (has(n, 'fp8')) return { info: { quantization: 'fp8', bytesPerParam: 1 }, suffix: has(n, 'fp8.dynamic') ? '-FP8-Dynamic' : '-FP8' };
  if (has(n, 'awq')) return { info: { quantization: 'awq', bytesPerParam: GROUP_INT4 }, suffix: '-AWQ' };
  if (has(n, 'gptq')) {
    return has(n, '(int8|8bit)')
      ? { info: { quantization: 'gptq-int8', bytesPerParam: 1 }, suffix: '-GPTQ-Int8' }
      : { info: { quantization: 'gptq-int4', bytesPerParam: GROUP_INT4 }, suffix: '-GPTQ' };
  }
  if (has(n, 'bnb') || has(n, '4bit')) {
    return has(n, '8bit')
      ? { info: { quantization: 'bnb-8bit', bytesPerParam: 1 }, suffix: '-bnb-8bit' }
      : { info: { quantization: 'bnb-4bit', bytesPerParam: GROUP_INT4 }, suffix: '-bnb-4bit' };
  }
  if (has(n, '(?:quantized.)?w4a16') || has(n, 'w4a8')) return { info: { quantization: 'w4a16', bytesPerParam: GROUP_INT4 }, suffix: '-w4a16' };
  if (has(n, '(?:quantized.)?w8a8') || has(n, 'w8a16')) return { info: { quantization: 'int8', bytesPerParam: 1 }, suffix: '-w8a8' };
  if (has(n, '(int8|8bit)')) return { info: { quantization: 'int8', bytesPerParam: 1 }, suffix: '-Int8' };
  if (has(n, 'int4')) return { info: { quantization: 'int4', bytesPerParam: 0.5 }, suffix: '-Int4' };
  return undefined;
}
