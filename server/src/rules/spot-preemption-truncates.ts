import type { Rule } from '../engine/rule';
import { loc } from '../engine/yaml/nodes';
import type { PodTemplateModel } from '../engine/model/pod';
import { articleFor, prefillOnly, servingTemplatesOf } from './helpers';

/**
 * Node labels that pin a pod to reclaimable capacity, with the notice the cloud gives before it takes the node.
 * - GCP Spot and preemptible VMs: a preemption notice ~30 s before the VM stops ("Compute Engine sends a preemption
 *   notice to the instance in the form of an ACPI G2 Soft Off signal"; 30 s:
 *   https://cloud.google.com/compute/docs/instances/preemptible and
 *   https://cloud.google.com/compute/docs/instances/create-use-spot#handle-preemption).
 * - AWS Spot: "a warning that is issued two minutes before Amazon EC2 stops or terminates your Spot Instance"
 *   (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/spot-instance-termination-notices.html). Karpenter's
 *   `karpenter.sh/capacity-type: spot` is read as AWS (its main provider).
 * - Azure Spot VMs: eviction is announced through Scheduled Events as a `Preempt` event, at least 30 s ahead
 *   (https://learn.microsoft.com/azure/virtual-machines/linux/scheduled-events, event types table).
 * A toleration alone (AKS taints its spot pools) is not reported: it allows spot nodes but does not require them,
 * so on-demand nodes stay a fallback.
 */
interface SpotLabel {
  key: string;
  spot: RegExp;
  cloud: string;
  noticeSeconds: number;
}

export const SPOT_LABELS: readonly SpotLabel[] = [
  { key: 'cloud.google.com/gke-spot', spot: /^true$/i, cloud: 'GKE Spot VMs', noticeSeconds: 30 },
  { key: 'cloud.google.com/gke-preemptible', spot: /^true$/i, cloud: 'GKE preemptible VMs', noticeSeconds: 30 },
  { key: 'karpenter.sh/capacity-type', spot: /^spot$/i, cloud: 'Karpenter spot nodes', noticeSeconds: 120 },
  { key: 'eks.amazonaws.com/capacityType', spot: /^spot$/i, cloud: 'EKS Spot node groups', noticeSeconds: 120 },
  { key: 'kubernetes.azure.com/scalesetpriority', spot: /^spot$/i, cloud: 'AKS Spot node pools', noticeSeconds: 30 },
];

/** The label (and its YAML value) that pins the template to spot nodes: a nodeSelector, or required affinity with only spot values. */
export function spotPin(t: PodTemplateModel): { label: SpotLabel; value: string; node: unknown } | undefined {
  for (const s of t.nodeSelector) {
    const label = SPOT_LABELS.find((l) => l.key === s.key && l.spot.test(s.value));
    if (label) return { label, value: s.value, node: s.node };
  }
  for (const r of t.requiredAffinity) {
    const label = SPOT_LABELS.find((l) => l.key === r.key);
    if (!label) continue;
    // `In [spot]` pins; `In [spot, on-demand]` keeps a fallback; `Exists` on a true/false label pins to GKE spot.
    const pinned = r.operator === 'In' ? r.values.length > 0 && r.values.every((v) => label.spot.test(v)) : r.operator === 'Exists' && label.spot.source === '^true$';
    if (pinned) return { label, value: r.values[0] ?? r.key, node: r.node };
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'spot-preemption-truncates',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'An online model server pinned to spot / preemptible nodes loses every answer longer than the preemption notice (GCP and Azure ~30 s, AWS 2 min), whatever its grace period.',
    docs: { catches: 'model server pinned to spot / preemptible nodes whose notice (30 s / 2 min) is shorter than the longest answer' },
    fixable: false,
    needs: ['generation'],
    messages: {
      pinned:
        'This model server only runs on {{cloud}} ({{key}}: {{value}}), which get ~{{notice}} s notice before the node is reclaimed, ' +
        'but {{article}} {{tokens}}-token answer takes ~{{seconds}} s: no grace period can save those answers. ' +
        'Keep an on-demand node pool as a fallback for online traffic (e.g. preferred instead of required spot affinity), ' +
        'or move batch traffic to spot.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    for (const { template, units } of servingTemplatesOf(a)) {
      const pin = spotPin(template);
      // Prefill-only pods stream no answers: a preemption costs them their in-flight prefills (TTFT) at most.
      const need = units.every((u) => prefillOnly(u)) ? Number(a.ttft.value) : a.generationSeconds;
      if (!pin || need <= pin.label.noticeSeconds) continue;
      const tokens = Number(a.maxOutputTokens.value);
      ctx.report({
        loc: loc(template.doc, pin.node),
        messageId: 'pinned',
        data: {
          cloud: pin.label.cloud,
          key: pin.label.key,
          value: pin.value,
          notice: pin.label.noticeSeconds,
          article: articleFor(tokens),
          tokens,
          seconds: Math.round(a.generationSeconds),
        },
      });
    }
  },
};
