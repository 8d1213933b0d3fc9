import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { fmtSeconds } from '../engine/assumptions';
import { sameNamespace } from '../engine/inventory';
import { get, getIn, loc, stringMap } from '../engine/yaml/nodes';
import type { WorkloadAnalysis } from '../engine/analyze';
import type { K8sObject } from '../engine/model/workload';
import { appendDocument } from './canary-without-analysis';
import { budgetsOf, instancesOf, podsOf, stableSelector, yamlString } from './disruption-budget';
import { plural, weightLoadSource } from './helpers';

const fmtLabels = (l: Record<string, string>): string => Object.entries(l).map(([k, v]) => `${k}=${v}`).join(', ') || 'none';

/**
 * A PDB in the input that looks meant for this workload (same name prefix, or a selector sharing a label with its
 * pods) but selects none of them: its selector is missing (selects nothing) or does not match.
 */
function brokenBudget(a: WorkloadAnalysis): string {
  const w = a.workload;
  const labels = a.primary.template.labels;
  for (const pdb of a.lookups.ofKind('PodDisruptionBudget') as K8sObject[]) {
    if (!sameNamespace(pdb.namespace, w.namespace)) continue;
    const selector = getIn(pdb.node, ['spec', 'selector'], pdb.doc.doc);
    const wanted = stringMap(get(selector, 'matchLabels', pdb.doc.doc));
    const named = !!w.name && !!pdb.name && (pdb.name.startsWith(w.name) || w.name.startsWith(pdb.name));
    const shares = Object.entries(wanted).some(([k, v]) => labels[k] === v);
    if (!named && !shares) continue;
    if (!selector) return ` (PodDisruptionBudget ${pdb.name ?? ''} has no spec.selector, so it selects no pods)`;
    return ` (PodDisruptionBudget ${pdb.name ?? ''} selects ${fmtLabels(wanted)}, which these pods do not all carry)`;
  }
  return '';
}

function budgetDocument(a: WorkloadAnalysis, selector: Record<string, string>): string {
  const w = a.workload;
  // A name no PodDisruptionBudget of the input has (a broken one may already be called <name>-pdb).
  // Object names are DNS-1123 subdomains: lower case, digits, '-' and '.', at most 253 characters.
  const stem = (w.name ?? '').toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '').slice(0, 240);
  const base = `${stem || 'model-server'}-pdb`;
  let name = base;
  for (let i = 2; a.lookups.find('PodDisruptionBudget', name, w.namespace); i++) name = `${base}-${i}`;
  return [
    '---',
    'apiVersion: policy/v1',
    'kind: PodDisruptionBudget',
    'metadata:',
    `  name: ${yamlString(name)}`,
    ...(w.namespace ? [`  namespace: ${yamlString(w.namespace)}`] : []),
    'spec:',
    '  maxUnavailable: 1',
    '  selector:',
    '    matchLabels:',
    ...Object.entries(selector).map(([k, v]) => `      ${yamlString(k)}: ${yamlString(v)}`),
    '',
  ].join('\n');
}

export const rule: Rule = {
  meta: {
    id: 'no-disruption-budget',
    type: 'suggestion',
    defaultSeverity: 'warning',
    description:
      'No PodDisruptionBudget in the linted input selects a replicated model server: a node drain may evict every replica at once, and each one reloads its weights.',
    docs: { catches: 'a model server with 2+ serving instances and no PodDisruptionBudget in the input (one instance: info)', fix: 'appends a PDB with maxUnavailable: 1' },
    fixable: true,
    needs: ['weightLoad'],
    messages: {
      missing:
        'No PodDisruptionBudget in the linted input selects these {{pods}} ({{labels}}){{broken}}: a node drain (cluster or GPU-driver upgrade, ' +
        'node autoscaler consolidation) may evict all of them at once, and each takes ~{{load}} ({{loadSource}}) to load weights again. ' +
        'A PDB with maxUnavailable: 1 lets drains proceed one pod at a time. If it is in another file, lint the files together.',
      single:
        'This model server runs {{instance}} and no PodDisruptionBudget in the linted input selects it ({{labels}}){{broken}}: any node drain ' +
        '(cluster or GPU-driver upgrade, node autoscaler consolidation) is a full outage of ~{{load}} ({{loadSource}}). A PDB cannot prevent ' +
        'that without blocking the drain; run 2 replicas (then add a PDB with maxUnavailable: 1) if this endpoint must stay up.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    // A template (a KServe ServingRuntime) runs no pods of its own: the workloads that use it get the finding.
    if (a.workload.adapter.template) return;
    const pods = podsOf(a);
    if (pods < 1 || budgetsOf(a).length) return;
    const w = a.workload;
    const at = loc(w.doc, w.replicasPair?.key) ?? loc(w.doc, w.kindPair.value);
    const data = {
      pods: plural(pods, 'pod'),
      instance: pods === 1 ? '1 pod' : `1 serving instance of ${plural(pods, 'pod')} (evicting any of them stops it)`,
      labels: fmtLabels(a.primary.template.labels),
      broken: brokenBudget(a),
      load: fmtSeconds(Number(a.weightLoad.value)),
      loadSource: weightLoadSource(a),
    };
    // One serving instance (one pod, or one multi-pod group): a drain that evicts any of its pods is an outage.
    if (instancesOf(a) <= 1) {
      ctx.report({ loc: at, messageId: 'single', data, severity: 'info' });
      return;
    }
    const selector = stableSelector(a);
    ctx.report({
      loc: at,
      messageId: 'missing',
      data,
      fixes: [selector ? fix('Add a PodDisruptionBudget with maxUnavailable: 1', [appendDocument(a, budgetDocument(a, selector))]) : undefined],
    });
  },
};
