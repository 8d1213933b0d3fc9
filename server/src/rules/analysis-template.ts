/** The Argo Rollouts AnalysisTemplate servelint proposes: TTFT p99 and error rate from the server's metrics. */
import type { ModelServerKind } from '../engine/types';

export const ANALYSIS_TEMPLATE_NAME = 'servelint-llm-slo';

interface Queries {
  ttft: string;
  errors: string;
}

function queries(kind: ModelServerKind): Queries {
  switch (kind) {
    case 'tgi':
      return {
        ttft: 'histogram_quantile(0.99, sum by (le) (rate(tgi_request_queue_duration_bucket{job="{{args.job}}"}[5m])))',
        errors: 'sum(rate(tgi_request_failure{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(tgi_request_count{job="{{args.job}}"}[5m])), 1e-9)',
      };
    case 'sglang':
      return {
        ttft: 'histogram_quantile(0.99, sum by (le) (rate(sglang:time_to_first_token_seconds_bucket{job="{{args.job}}"}[5m])))',
        errors: 'sum(rate(sglang:num_aborted_requests_total{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(sglang:num_requests_total{job="{{args.job}}"}[5m])), 1e-9)',
      };
    default:
      return {
        ttft: 'histogram_quantile(0.99, sum by (le) (rate(vllm:time_to_first_token_seconds_bucket{job="{{args.job}}"}[5m])))',
        errors:
          '1 - (sum(rate(vllm:request_success_total{job="{{args.job}}"}[5m])) / clamp_min(sum(rate(vllm:e2e_request_latency_seconds_count{job="{{args.job}}"}[5m])), 1e-9))',
      };
  }
}

/** A new YAML document (starting with ---) holding the AnalysisTemplate. */
export function analysisTemplateDocument(kind: ModelServerKind, namespace?: string): string {
  const q = queries(kind);
  return [
    '---',
    '# servelint: rolls a canary back when TTFT p99 or the error rate regress (thresholds are arguments).',
    'apiVersion: argoproj.io/v1alpha1',
    'kind: AnalysisTemplate',
    'metadata:',
    `  name: ${ANALYSIS_TEMPLATE_NAME}`,
    ...(namespace ? [`  namespace: ${namespace}`] : []),
    'spec:',
    '  args:',
    '    - name: job',
    '    - name: prometheus-address',
    '      value: http://prometheus.monitoring.svc:9090',
    '    - name: max-ttft-p99-seconds',
    '      value: "2"',
    '    - name: max-error-rate',
    '      value: "0.01"',
    '  metrics:',
    '    - name: ttft-p99',
    '      interval: 1m',
    '      failureLimit: 2',
    '      successCondition: result[0] <= float(args["max-ttft-p99-seconds"])',
    '      provider:',
    '        prometheus:',
    '          address: "{{args.prometheus-address}}"',
    `          query: '${q.ttft}'`,
    '    - name: error-rate',
    '      interval: 1m',
    '      failureLimit: 2',
    '      successCondition: result[0] <= float(args["max-error-rate"])',
    '      provider:',
    '        prometheus:',
    '          address: "{{args.prometheus-address}}"',
    `          query: '${q.errors}'`,
    '',
  ].join('\n');
}

/** The `templates` + `args` block that references the template, for canary.analysis or prePromotionAnalysis. */
export function analysisRef(job: string): string {
  return ['templates:', `  - templateName: ${ANALYSIS_TEMPLATE_NAME}`, 'args:', '  - name: job', `    value: ${job}`].join('\n');
}
