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
  // Hugging Face's images (release in the tag) and Google Cloud's Deep Learning Containers, which carry the TGI
  // release in the name: huggingface-text-generation-inference-cu121.1-4.ubuntu2204.py310 is TGI 1.4.
  releaseImage: /(^|\/)(huggingface\/)?text-generation-inference(:|@|$)|huggingface-text-generation-inference-cu\d+\.(\d+)-(\d+)\./i,
  /**
   * --max-total-tokens when unset (huggingface/text-generation-inference, launcher/src/main.rs):
   * - 1.x: `#[clap(default_value = "2048", long, env)] max_total_tokens: usize` (v1.0.0 3ef5ffbc, v1.4.5 4ee0a0c4).
   * - 2.x: "Default to min(max_position_embeddings, 4096)" (v2.0.0 c38a7d7d through v2.4.0 0a655a0a): at most
   *   4096, whatever the model.
   * - 3.x: "Default to min(max_allocatable, max_position_embeddings)" (v3.0.0 8f326c97): depends on the model
   *   and the GPU, so no fixed default.
   */
  defaultTotalTokens: [
    { since: [1, 0, 0], before: [2, 0, 0], tokens: 2048 },
    { since: [2, 0, 0], before: [3, 0, 0], tokens: 4096, atMost: true },
  ],
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
