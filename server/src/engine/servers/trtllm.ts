/** TensorRT-LLM: `trtllm-serve`, or Triton's TensorRT-LLM backend images. */
import type { ServerProfile } from './types';

export const trtllm: ServerProfile = {
  kind: 'trtllm',
  name: 'TensorRT-LLM',
  image: /tritonserver.*trtllm|tensorrt[-_]?llm|trtllm/i,
  command: /(^|\/)trtllm-serve$/,
  positionalModelAfter: /(^|\/)trtllm-serve$/,
  costEngine: 'tensorrt-llm',
  port: 8000,
  health: '/v2/health/ready',
};
