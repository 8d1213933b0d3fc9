/** KServe's Hugging Face server (kserve/huggingfaceserver): KServe v2 health on port 8080. */
import type { ServerProfile } from './types';

export const kserveHuggingface: ServerProfile = {
  kind: 'kserve-huggingface',
  name: 'KServe Hugging Face server',
  image: /huggingfaceserver/i,
  port: 8080,
  health: '/v2/health/ready',
};
