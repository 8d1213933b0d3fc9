/** NVIDIA Triton Inference Server (without the TensorRT-LLM backend image): KServe v2 health on port 8000. */
import type { ServerProfile } from './types';

export const triton: ServerProfile = {
  kind: 'triton',
  name: 'Triton',
  image: /tritonserver/i,
  command: /(^|\/)tritonserver$/,
  port: 8000,
  health: '/v2/health/ready',
};
