/**
 * Markdown explanations keyed to source ranges: replicas, the accelerator limit, the GPU node selector or
 * affinity value, the model argument, terminationGracePeriodSeconds, maxSurge/maxUnavailable and the probes.
 * Each shows the figure worked out with this workload's numbers and where every assumption came from.
 */
import type { Node } from 'yaml';
import type { Assumption } from './types';
import type { WorkloadAnalysis } from './analyze';
import { fmtSeconds } from './assumptions';
import { instancesOf } from './cost-bridge';
import { formatCostBreakdown } from './cost';
import { loc, type Loc } from './yaml/nodes';
import type { ProbeModel } from './model/pod';

export interface LocHover {
  loc: Loc;
  topic: string;
  markdown: string;
}

const GPU_LABELS = new Set([
  'nvidia.com/gpu.product',
  'cloud.google.com/gke-accelerator',
  'karpenter.k8s.aws/instance-gpu-name',
  'karpenter.k8s.aws/instance-gpu-memory',
  'eks.amazonaws.com/instance-gpu-name',
  'node.kubernetes.io/instance-type',
  'beta.kubernetes.io/instance-type',
  'karpenter.azure.com/sku-gpu-name',
  'amd.com/gpu.product-name',
]);

function assumptionLine(a: Assumption): string {
  const unit = a.unit ? ` ${a.unit}` : '';
  return `- ${a.label}: **${a.value}${unit}** — ${a.detail ?? a.source} (override: ${a.override})`;
}

function costSection(a: WorkloadAnalysis): string {
  const r = a.costReport;
  if (!r) return '_No cost estimate: the cost model could not run for this workload._';
  const problems = r.problems.length ? `\n\n**Missing for a complete estimate:**\n${r.problems.map((p) => `- ${p}`).join('\n')}` : '';
  return formatCostBreakdown(r) + problems;
}

function generationMarkdown(a: WorkloadAnalysis, grace: number, explicit: boolean, preStop: number): string {
  const need = preStop + a.generationSeconds;
  const verdict = grace >= need ? `✅ ${grace} s covers it.` : `❌ ${grace} s${explicit ? '' : ' (Kubernetes default)'} is ${Math.ceil(need - grace)} s short: answers are cut off when the pod stops.`;
  return [
    `**Grace period vs. the longest answer**`,
    '',
    `needed = preStop ${preStop} s + TTFT ${a.ttft.value} s + ${a.maxOutputTokens.value} tokens × ${a.tpot.value} s/token = **${Math.ceil(need)} s**`,
    '',
    verdict,
    '',
    assumptionLine(a.maxOutputTokens),
    assumptionLine(a.tpot),
    assumptionLine(a.ttft),
  ].join('\n');
}

function rolloutMarkdown(a: WorkloadAnalysis): string {
  const r = a.rollout;
  const perInstance = a.topology.replicasPerInstance;
  const instances = perInstance > 1 ? instancesOf(a.topology, r.replicas) : r.replicas;
  const gpus = a.topology.accelerators?.count ?? 0;
  const down = Math.min(r.maxUnavailable, instances);
  const removed = perInstance > 1
    ? `${down} pod(s), each stopping its ${perInstance}-pod instance (--nnodes ${perInstance})${gpus ? `: ${down * gpus} GPU(s)` : ''} (${Math.round((down / instances) * 100)}%)`
    : `${down} replica(s)${gpus ? `, ${down * gpus} GPU(s)` : ''} (${r.replicas ? Math.round((down / r.replicas) * 100) : 0}%)`;
  return [
    `**${r.strategyLabel}: maxSurge ${r.maxSurge}, maxUnavailable ${r.maxUnavailable}** (of ${r.replicas} replicas)`,
    '',
    r.defaultsNote ? `_${r.defaultsNote}._` : '',
    '',
    `- Each step waits ~${fmtSeconds(Number(a.weightLoad.value))} for new replicas to load weights (${a.weightLoad.detail}).`,
    `- ${a.rolloutSteps} step(s): the whole rollout takes ~${fmtSeconds(a.rolloutSeconds)}.`,
    `- Capacity removed per step: ${r.stableKeptFull ? 'none (traffic routing keeps the stable set full)' : removed}.`,
    `- Extra capacity per step: ${r.maxSurge} replica(s)${gpus ? `, ${r.maxSurge * gpus} GPU(s) that must be free in the cluster` : ''}.`,
    '',
    `Override the load time with annotation \`servelint.io/weight-load-seconds\`.`,
  ].join('\n');
}

function probeMarkdown(a: WorkloadAnalysis, name: string, p: ProbeModel, startup?: ProbeModel): string {
  const load = Number(a.weightLoad.value);
  const budget = `${p.initialDelaySeconds} + ${p.failureThreshold} × ${p.periodSeconds} = **${p.budgetSeconds} s**`;
  let verdict = '';
  if (name === 'livenessProbe') verdict = startup ? `The startupProbe holds liveness off for up to ${startup.budgetSeconds} s.` : p.budgetSeconds >= load ? '✅ longer than the load.' : '❌ shorter than the load: the kubelet restarts the pod while it loads.';
  if (name === 'startupProbe') verdict = p.budgetSeconds >= load ? '✅ covers the load.' : '❌ shorter than the load.';
  if (name === 'readinessProbe') verdict = 'Keeps the pod out of the Service until the model is loaded.';
  return [
    `**${name}**: gives up after initialDelaySeconds + failureThreshold × periodSeconds = ${budget}`,
    '',
    `Weight load: ~${fmtSeconds(load)} (${a.weightLoad.detail}). ${verdict}`,
    '',
    'Kubernetes defaults: initialDelaySeconds 0, periodSeconds 10, failureThreshold 3.',
  ].join('\n');
}

export function buildHovers(a: WorkloadAnalysis): LocHover[] {
  const out: LocHover[] = [];
  const w = a.workload;
  const push = (l: Loc | undefined, topic: string, markdown: string): void => {
    if (l) out.push({ loc: l, topic, markdown });
  };
  const pairLoc = (doc: Loc['doc'], key: unknown, value: unknown): Loc | undefined => {
    const k = loc(doc, key);
    const v = loc(doc, value);
    return k && v ? { doc, start: k.start, end: v.end } : k ?? v;
  };
  const cost = costSection(a);
  if (w.replicasPair) push(pairLoc(w.doc, w.replicasPair.key, w.replicasPair.value), 'replicas', cost);
  push(loc(w.doc, w.kindPair.value), 'cost', cost);
  const r = a.costReport;
  for (const t of a.templates) {
    const doc = t.doc;
    for (const c of t.containers) {
      if (c.accelerator) {
        const fit = r?.memoryFit;
        const gpuLine = r?.gpu.id ? `**${c.accelerator.count} × ${r.gpu.id}** per pod (${c.accelerator.resource} ${c.accelerator.from})` : `**${c.accelerator.count} × ${c.accelerator.resource}** per pod`;
        push(loc(doc, c.accelerator.node), 'accelerator', [
          gpuLine,
          '',
          r ? `- ${r.gpusPerReplica} GPU(s) per replica × ${r.replicas} replica(s)${r.replicasMax !== undefined && r.replicasMax !== r.replicas ? ` (HPA ${r.replicasMin ?? r.replicas}–${r.replicasMax})` : ''}` : '',
          r?.usdPerGpuHour != null ? `- $${r.usdPerGpuHour}/GPU-hr → fleet $${r.usdPerHour?.toFixed(2)}/hr` : '- price unknown: set annotation `servelint.io/price-per-gpu-hour` or `gpus.prices` in .servelint.yaml',
          fit ? `- memory: ${fit.weightsGB.toFixed(1)} GB of weights in ${fit.availableGB.toFixed(1)} GB usable (${fit.totalGpuMemoryGB} GB × ${fit.gpuMemoryUtilization}) — ${fit.fits ? `${fit.headroomGB.toFixed(1)} GB left for the KV cache` : 'does not fit'}` : '',
          '',
          cost,
        ].join('\n'));
      }
      if (c.server?.args.model?.token.start !== undefined && c.server.args.model.token.end !== undefined) {
        const m = r?.model;
        const md = m
          ? [
              `**${m.id}** — ${m.totalParamsB}B parameters${m.activeParamsB && m.activeParamsB !== m.totalParamsB ? ` (${m.activeParamsB}B active)` : ''}`,
              '',
              `- weights: ${m.totalParamsB}B × ${m.bytesPerParam} bytes = **${(m.weightBytes / 1e9).toFixed(1)} GB** (${m.quantization}, ${m.quantizationSource})`,
              `- load time: ~${fmtSeconds(Number(a.weightLoad.value))} (${a.weightLoad.detail})`,
              r?.memoryFit ? `- fits: ${r.memoryFit.fits ? 'yes' : '**no**'} — ${r.memoryFit.availableGB.toFixed(1)} GB usable on ${r.gpusPerReplica} × ${r.gpu.id}` : '',
              ...(m.notes ?? []).map((n) => `- ${n}`),
              '',
              'Unknown or custom model? Add it under `models` in .servelint.yaml.',
            ].join('\n')
          : `**${c.server.args.model.value}**: not in the model catalog. Add it under \`models\` in .servelint.yaml (id, totalParamsB) so servelint can size its weights, load time and throughput.`;
        push({ doc, start: c.server.args.model.token.start, end: c.server.args.model.token.end }, 'model', md);
      }
      if (c.server) {
        for (const [name, p] of [
          ['readinessProbe', c.readinessProbe],
          ['livenessProbe', c.livenessProbe],
          ['startupProbe', c.startupProbe],
        ] as const) {
          if (p?.pair) push(loc(doc, p.pair.key), name, probeMarkdown(a, name, p, c.startupProbe));
        }
      }
    }
    for (const s of t.nodeSelector) if (GPU_LABELS.has(s.key)) push(loc(doc, s.node), 'gpu', gpuMarkdown(a));
    for (const e of t.requiredAffinity) if (GPU_LABELS.has(e.key)) push(loc(doc, e.node as Node), 'gpu', gpuMarkdown(a));
    if (t.gracePair) {
      const preStop = Math.max(0, ...t.containers.map((c) => c.preStop?.sleepSeconds ?? 0));
      push(pairLoc(doc, t.gracePair.key, t.gracePair.value), 'grace', generationMarkdown(a, t.graceSeconds ?? t.graceDefault?.seconds ?? 30, true, preStop));
    }
  }
  const ro = a.rollout;
  for (const p of [ro.surgePair, ro.unavailablePair]) if (p) push(pairLoc(w.doc, p.key, p.value), 'rollout', rolloutMarkdown(a));
  if (ro.strategyPair) push(loc(w.doc, ro.strategyPair.key), 'rollout', rolloutMarkdown(a));
  return out;
}

function gpuMarkdown(a: WorkloadAnalysis): string {
  const r = a.costReport;
  if (!r) return '_GPU unknown._';
  const id = r.gpu.id;
  const lines = [
    id ? `**${id}**${r.gpu.name ? ` (${r.gpu.name})` : ''}` : '**GPU not identified**',
    '',
    `- identified from: ${r.gpu.source}`,
    r.gpu.candidates && r.gpu.candidates.length > 1 ? `- several candidates (${r.gpu.candidates.join(', ')}): servelint uses the first` : '',
    r.usdPerGpuHour != null ? `- price: $${r.usdPerGpuHour}/GPU-hr (${(r as { priceSource?: string }).priceSource ?? 'catalog'})` : '',
    `- override: annotation \`servelint.io/gpu: <id>\`, price with \`servelint.io/price-per-gpu-hour\` or \`gpus.prices\` in .servelint.yaml`,
    ...r.problems.map((p) => `- ⚠ ${p}`),
  ];
  return lines.filter((l) => l !== '').join('\n');
}
