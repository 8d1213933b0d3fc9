/** SGLang: `python -m sglang.launch_server` / `sglang serve`, port 30000, `sglang:*` metrics. */
import type { ServerProfile } from './types';

export const sglang: ServerProfile = {
  kind: 'sglang',
  costEngine: 'sglang',
  name: 'SGLang',
  image: /(^|\/)sglang[:@]|lmsysorg\/sglang|sgl-project/i,
  command: /^sglang\.launch_server$|^sglang serve$/,
  port: 30000,
  health: '/health',
  // lmsysorg/sglang runs as root: huggingface_hub's default cache; --download-dir moves it (sglang server_args.py).
  hubCache: { defaultDir: '/root/.cache/huggingface/hub', flag: '--download-dir', source: "huggingface_hub's default ~/.cache/huggingface/hub; the image runs as root" },
  // Gauges sglang:num_queue_reqs, sglang:num_running_reqs, sglang:token_usage (KV-cache use):
  // sgl-project/sglang python/sglang/srt/metrics/collector.py (SchedulerMetricsCollector).
  scalingMetrics: ['sglang:num_queue_reqs', 'sglang:num_running_reqs', 'sglang:token_usage'],
  metrics: {
    ttftP99: 'histogram_quantile(0.99, sum by (le) (rate(sglang:time_to_first_token_seconds_bucket{job="{{args.job}}"}[5m])))',
    errorRate: 'sum(rate(sglang:num_aborted_requests_total{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(sglang:num_requests_total{job="{{args.job}}"}[5m])), 1e-9)',
  },
};
