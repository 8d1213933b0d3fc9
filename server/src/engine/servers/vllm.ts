/** vLLM (vllm-project/vllm): `vllm serve <model>` or the OpenAI entrypoint module, port 8000, Prometheus `vllm:*` metrics. */
import type { ServerProfile } from './types';

/** Seconds a drain waits first, so that endpoints stop routing to the pod. */
export const DRAIN_SETTLE_SECONDS = 5;

export const vllm: ServerProfile = {
  kind: 'vllm',
  costEngine: 'vllm',
  name: 'vLLM',
  image: /vllm/i,
  command: /^vllm serve$|^vllm\.entrypoints/,
  port: 8000,
  health: '/health',
  serveSubcommand: true,
  // vllm/vllm-openai runs as root: huggingface_hub's default cache ~/.cache/huggingface/hub; --download-dir moves it
  // (vllm-project/vllm vllm/engine/arg_utils.py: download_dir "Directory to download and load the weights, default
  // to the default cache dir of huggingface").
  hubCache: { defaultDir: '/root/.cache/huggingface/hub', flag: '--download-dir', source: "huggingface_hub's default ~/.cache/huggingface/hub; the image runs as root" },
  /**
   * On SIGTERM vLLM aborts every in-flight request unless `--shutdown-timeout=SECONDS` (> 0) is set: then it stops
   * accepting requests and waits up to SECONDS for running ones. Default 0 ("immediate shutdown — in-flight requests
   * are aborted on SIGTERM"). Added by vllm-project/vllm#34730 (reverted, re-applied as #36666), first released in
   * v0.18.0 (vllm-project/vllm#24885 RFC; release per llm-d/llm-d#927); Kubernetes guide: vllm-project/vllm#43208
   * (terminationGracePeriodSeconds >= preStop sleep + --shutdown-timeout), as KServe sets it (kserve/kserve#5496).
   */
  sigterm: { defaultSeconds: 0, flag: '--shutdown-timeout', since: [0, 18, 0] },
  // The project's images on Docker Hub (vllm/vllm-openai, vllm/vllm-tpu, vllm/vllm-openai-cpu): tagged vX.Y.Z or latest.
  releaseImage: /^(docker\.io\/)?vllm\/vllm-[a-z0-9-]+([:@]|$)/i,
  metrics: {
    ttftP99: 'histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{job="{{args.job}}"}[5m])))',
    errorRate:
      '1 - (sum(rate(vllm:request_success_total{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(vllm:e2e_request_latency_seconds_count{job="{{args.job}}"}[5m])), 1e-9))',
  },
  // Gauges vllm:num_requests_waiting, vllm:num_requests_running, vllm:kv_cache_usage_perc (vllm:gpu_cache_usage_perc
  // before V1): vllm-project/vllm vllm/v1/metrics/loggers.py (PrometheusStatLogger).
  scalingMetrics: ['vllm:num_requests_waiting', 'vllm:num_requests_running', 'vllm:kv_cache_usage_perc'],
  /** Let endpoints drop the pod, then wait (at most `boundSeconds`) until /metrics shows no running requests. */
  drain(port, boundSeconds) {
    const py =
      `import re,sys,urllib.request as u; t=u.urlopen("http://localhost:${port}/metrics",timeout=2).read().decode(); ` +
      `sys.exit(0 if re.search(r"^vllm:num_requests_running[{][^}]*[}] [1-9]", t, re.M) else 1)`;
    return {
      seconds: DRAIN_SETTLE_SECONDS,
      describe: 'wait until /metrics shows no running requests',
      block: [
        'preStop:',
        '  exec:',
        '    command:',
        '      - /bin/sh',
        '      - -c',
        '      - |',
        `        # servelint drain: let endpoints drop this pod, then wait (at most ${boundSeconds} s) until vLLM has no running requests`,
        `        sleep ${DRAIN_SETTLE_SECONDS}`,
        '        i=0',
        `        while [ "$i" -lt ${boundSeconds} ] && python3 -c '${py}'; do`,
        '          i=$((i+1)); sleep 1',
        '        done',
      ].join('\n'),
    };
  },
};
