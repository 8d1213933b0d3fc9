/** NVIDIA NIM for LLMs: the image names the model (nvcr.io/nim/<org>/<model>); NIM_* environment variables. */
import type { ServerProfile } from './types';

export const nim: ServerProfile = {
  kind: 'nim',
  costEngine: 'nim',
  name: 'NIM',
  image: /nvcr\.io\/nim\//i,
  port: 8000,
  health: '/v1/health/ready',
  tensorParallelEnv: 'NIM_TENSOR_PARALLEL_SIZE',
  modelFromImage: /nvcr\.io\/nim\/([^/:@]+\/[^/:@]+)/,
};
