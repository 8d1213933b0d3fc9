/** Hugging Face Text Generation Inference: `text-generation-launcher`, which reads every option from env too. */
import type { ServerProfile } from './types';

export const tgi: ServerProfile = {
  kind: 'tgi',
  name: 'TGI',
  image: /text-generation-inference|(^|\/)tgi[:@-]|huggingface-text-generation|tgi-gaudi/i,
  command: /^text-generation-launcher$/,
  port: 80,
  health: '/health',
  // huggingface/text-generation-inference Dockerfile (commit 008733313cec1a5e2a38788207cd6ee1d1812a14), base image:
  // `ENV HUGGINGFACE_HUB_CACHE=/data`; the launcher's --huggingface-hub-cache moves it.
  hubCache: { defaultDir: '/data', flag: '--huggingface-hub-cache', source: "TGI's image sets HUGGINGFACE_HUB_CACHE=/data", setByImageEnv: true },
  // TGI's launcher reads every option from an environment variable too (MODEL_ID, NUM_SHARD, QUANTIZE, ...).
  envFlags: {
    MODEL_ID: '--model-id',
    NUM_SHARD: '--num-shard',
    QUANTIZE: '--quantize',
    DTYPE: '--dtype',
    MAX_INPUT_TOKENS: '--max-input-tokens',
    MAX_INPUT_LENGTH: '--max-input-length',
    MAX_TOTAL_TOKENS: '--max-total-tokens',
    PORT: '--port',
  },
  // Gauges tgi_queue_size (router/src/queue.rs) and tgi_batch_current_size (set in the router's batching loop):
  // huggingface/text-generation-inference.
  scalingMetrics: ['tgi_queue_size', 'tgi_batch_current_size'],
  metrics: {
    ttftP99: 'histogram_quantile(0.99, sum by (le) (rate(tgi_request_queue_duration_bucket{job="{{args.job}}"}[5m])))',
    errorRate: 'sum(rate(tgi_request_failure{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(tgi_request_count{job="{{args.job}}"}[5m])), 1e-9)',
  },
};
