/**
 * JetStream engines on TPU (MaxText, PyTorch, Pathways). They listen on gRPC (9000); their health check is the
 * jetstream-http front end's, on 8000. jetstream-http itself holds no model and is not a server here.
 */
import type { ServerProfile } from './types';

export const jetstream: ServerProfile = {
  kind: 'jetstream',
  name: 'JetStream',
  image: /jetstream-(?!http)[\w-]*[:@]|jetstream[:@]/i,
  port: 8000,
  health: '/healthcheck',
  healthPort: 8000,
  // MaxText takes `key=value` arguments: the ones servelint reads, as the equivalent flags.
  keyValueArgs: {
    model_name: '--model',
    max_target_length: '--max-model-len',
    max_prefill_predict_length: '--max-input-tokens',
    quantization: '--quantization',
  },
};
