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
  metrics: {
    ttftP99: 'histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{job="{{args.job}}"}[5m])))',
    errorRate:
      '1 - (sum(rate(vllm:request_success_total{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(vllm:e2e_request_latency_seconds_count{job="{{args.job}}"}[5m])), 1e-9))',
  },
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
