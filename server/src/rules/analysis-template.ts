/** The Argo Rollouts AnalysisTemplate servelint proposes: TTFT p99 and error rate from the server's metrics. */
import type { ModelServerKind } from '../engine/types';
import { metricsOf } from '../engine/servers';

export const ANALYSIS_TEMPLATE_NAME = 'servelint-llm-slo';

/** A new YAML document (starting with ---) holding the AnalysisTemplate. */
export function analysisTemplateDocument(kind: ModelServerKind, namespace?: string): string {
  const q = metricsOf(kind);
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
    `          query: '${q.ttftP99}'`,
    '    - name: error-rate',
    '      interval: 1m',
    '      failureLimit: 2',
    '      successCondition: result[0] <= float(args["max-error-rate"])',
    '      provider:',
    '        prometheus:',
    '          address: "{{args.prometheus-address}}"',
    `          query: '${q.errorRate}'`,
    '',
  ].join('\n');
}

/** The `templates` + `args` block that references the template, for canary.analysis or prePromotionAnalysis. */
export function analysisRef(job: string): string {
  // The job name is written as a YAML string (a workload called `-1` or `true` is still a name).
  const value = /^[a-z][a-z0-9-]*$/.test(job) ? job : JSON.stringify(job);
  return ['templates:', `  - templateName: ${ANALYSIS_TEMPLATE_NAME}`, 'args:', '  - name: job', `    value: ${value}`].join('\n');
}
