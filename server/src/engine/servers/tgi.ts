/** Hugging Face Text Generation Inference: `text-generation-launcher`, which reads every option from env too. */
import type { ServerProfile } from './types';

export const tgi: ServerProfile = {
  kind: 'tgi',
  name: 'TGI',
  image: /text-generation-inference|(^|\/)tgi[:@-]|huggingface-text-generation|tgi-gaudi/i,
  command: /^text-generation-launcher$/,
  port: 80,
  /**
   * The router shuts down gracefully on SIGTERM (axum `with_graceful_shutdown(shutdown_signal())`, router/src/server.rs)
   * and the launcher waits 90 s for it before killing it (`terminate("webserver", webserver, Duration::from_secs(90))`,
   * launcher/src/main.rs; huggingface/text-generation-inference v3.0.0, 8f326c97912a20d20cddb6ba61bf1569fa9a8601;
   * the same 90 s in v2.0.4). So running requests get at most 90 s after SIGTERM, whatever the grace period.
   */
  sigterm: { defaultSeconds: 90 },
  health: '/health',
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
  metrics: {
    ttftP99: 'histogram_quantile(0.99, sum by (le) (rate(tgi_request_queue_duration_bucket{job="{{args.job}}"}[5m])))',
    errorRate: 'sum(rate(tgi_request_failure{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(tgi_request_count{job="{{args.job}}"}[5m])), 1e-9)',
  },
};
