/** Markdown breakdown of a cost report, for hovers, CodeLens details and the CLI. */
import type { CostReport } from '../api';
import type { Assumption } from '../types';
import { formatEnUs } from '../numfmt';

const SOURCE_TEXT: Record<Assumption['source'], string> = {
  annotation: 'annotation', config: '.servelint.yaml', args: 'container args', default: 'servelint default',
  estimate: 'servelint estimate', catalog: 'catalog', manifest: 'manifest',
};

export function usd(x: number): string {
  if (x !== 0 && Math.abs(x) < 0.01) return `$${Number(x.toPrecision(2))}`;
  if (x !== 0 && Math.abs(x) < 1) return `$${x.toFixed(3)}`;
  return `$${formatEnUs(x, 2, 2)}`;
}

export function num(x: number, digits = 0): string {
  return formatEnUs(x, 0, digits);
}

function cell(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

interface ExtraFields {
  hoursPerMonth?: number;
  usdPerHourPerReplica?: number | null;
  priceSource?: string | null;
  throughput?: { bound?: string; concurrency?: number; notes: string[] } | null;
  weightLoad?: { seconds: number };
  memoryFit?: { weightsGB: number; availableGB: number; fits: boolean } | null;
  model?: { id: string; input?: string; quantization: string; weightBytes: number; match: string } | null;
  rollout?: { surgeGpus?: number; surgeUsd?: number; cutoverSeconds?: number; cutoverUsd?: number };
  hostedApi?: { name?: string; breakEvenRequestsPerDay: number; breakEvenTokensPerDay: number; fleetCapacityRequestsPerDay: number | null; hostedUsdPerRequest: number };
  usdPerHourRange?: { min: number; max: number };
}

/** Markdown with the formula worked out with this workload's numbers and every assumption with its source and override. */
export function formatCostBreakdown(report: CostReport): string {
  const r = report as CostReport & ExtraFields;
  const lines: string[] = [];
  const hours = r.hoursPerMonth ?? 730;
  lines.push(r.usdPerMillionTokens !== null ? `**${usd(r.usdPerMillionTokens)} per 1M output tokens**` : '**Cost per token: not computed**', '');
  if (r.whatIf?.length) {
    lines.push(`- **What-if (no GPU named):** ${r.whatIf.map((w) => `on ${w.gpu} ${usd(w.usdPerMillionTokens)} (${num(w.tokensPerSecond)} tok/s est. at ${usd(w.usdPerGpuHour)}/GPU-hr)`).join('; ')} per 1M tokens, at ${r.gpusPerReplica} GPU${r.gpusPerReplica === 1 ? '' : 's'}/replica`);
  }
  lines.push(`- **GPU:** ${r.gpu.id ?? 'unknown'}${r.gpu.name ? ` (${r.gpu.name})` : ''}: ${r.gpu.source}`);
  if (r.model) lines.push(`- **Model:** ${modelLabel(r.model)}${r.model.quantization}, ${num(r.model.weightBytes / 1e9, 1)} GB of weights${r.model.match === 'name-estimate' ? ', estimated from the name' : ''})`);
  if (r.usdPerGpuHour !== null && r.usdPerHour !== null) {
    const perReplica = r.usdPerHourPerReplica ?? r.usdPerGpuHour * r.gpusPerReplica;
    lines.push(`- **Fleet:** ${r.gpusPerReplica} GPU${r.gpusPerReplica === 1 ? '' : 's'}/replica x ${r.replicas} replica${r.replicas === 1 ? '' : 's'} x ${usd(r.usdPerGpuHour)}/GPU-hr = **${usd(r.usdPerHour)}/hr**` +
      ` (${usd(perReplica)}/hr per replica); x ${hours} h = **${usd(r.usdPerMonth ?? r.usdPerHour * hours)}/month**`);
    if (r.usdPerHourRange) lines.push(`- **Autoscaling:** ${r.replicasMin}-${r.replicasMax} replicas = ${usd(r.usdPerHourRange.min)}-${usd(r.usdPerHourRange.max)}/hr`);
    if (r.tokensPerSecond !== null && r.usdPerMillionTokens !== null) {
      lines.push(`- **Per 1M tokens:** ${usd(perReplica)}/hr / (${num(r.tokensPerSecond)} tok/s x ${r.utilization} utilization x 3,600 s/h) x 1,000,000 = **${usd(r.usdPerMillionTokens)}**`);
    }
  }
  if (r.tokensPerSecond !== null) {
    const t = r.throughput;
    const how = r.tokensPerSecondSource === 'measured' ? 'measured' :
      `estimated${r.tokensPerSecondRegime ? ` for ${r.tokensPerSecondRegime}` : ''}${t?.bound ? `, ${t.bound} bound` : ''}`;
    lines.push(`- **Throughput:** ${num(r.tokensPerSecond)} output tok/s per replica (${how})`);
  }
  if (r.weightLoad) lines.push(`- **Cold start:** ~${num(r.weightLoad.seconds)} s to load weights and start`);
  if (r.memoryFit) lines.push(`- **Memory:** ${num(r.memoryFit.weightsGB, 1)} GB of weights in ${num(r.memoryFit.availableGB, 1)} GB usable${r.memoryFit.fits ? '' : ' (does not fit)'}`);
  if (r.rollout?.surgeUsd !== undefined) lines.push(`- **Rollout surge:** ${r.rollout.surgeGpus} extra GPU${r.rollout.surgeGpus === 1 ? '' : 's'} for the rollout = ${usd(r.rollout.surgeUsd)}`);
  if (r.rollout?.cutoverUsd !== undefined) lines.push(`- **Blue-green cutover:** two fleets for ${num(r.rollout.cutoverSeconds ?? 0)} s = ${usd(r.rollout.cutoverUsd)}`);
  if (r.hostedApi) {
    const h = r.hostedApi;
    lines.push(`- **vs ${h.name ?? 'hosted API'}:** ${usd(h.hostedUsdPerRequest)}/request; break-even at ${num(h.breakEvenRequestsPerDay)} requests/day (${num(h.breakEvenTokensPerDay / 1e6, 1)}M tokens/day)` +
      (h.fleetCapacityRequestsPerDay !== null ? `; this fleet serves ~${num(h.fleetCapacityRequestsPerDay)} requests/day` : ''));
  }
  const notes = r.throughput?.notes ?? [];
  if (notes.length) lines.push('', ...notes.map((n) => `> ${n}`));
  if (r.assumptions.length) {
    lines.push('', '| Assumption | Value | Source | Override |', '|---|---|---|---|');
    for (const a of r.assumptions) {
      const v = `${typeof a.value === 'number' ? num(a.value, 3) : a.value}${a.unit ? ` ${a.unit}` : ''}`;
      lines.push(`| ${cell(a.label)} | ${cell(v)}${a.detail ? ` (${cell(a.detail)})` : ''} | ${SOURCE_TEXT[a.source]} | ${cell(a.override)} |`);
    }
  }
  if (r.problems.length) lines.push('', '**To complete the figure:**', ...r.problems.map((p) => `- ${p}`));
  return lines.join('\n');
}

/** "org/Name-Instruct (catalog org/Name; " when the manifest's id was matched to a differently named catalog entry. */
function modelLabel(m: { id: string; input?: string; match: string }): string {
  if (m.match === 'name-estimate' || !m.input || m.input === m.id) return `${m.id} (`;
  return `${m.input} (catalog ${m.id}; `;
}
