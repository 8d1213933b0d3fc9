/** Text for CodeLens titles, the cost breakdown and the status bar (presentation only; figures come from the engine). */
import type { CostReport, WorkloadReport } from '../engine/api';
import { formatCostBreakdown } from '../engine/cost/format';

function money(x: number, digits = 2): string {
  return `$${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`;
}

/** $/1M tokens: two decimals, more significant digits below a cent. */
export function perMillion(x: number): string {
  if (x > 0 && x < 0.01) return `$${Number(x.toPrecision(2))}`;
  return money(x);
}

export function workloadName(w: WorkloadReport): string {
  return `${w.object.kind}/${w.object.name ?? '(unnamed)'}${w.object.namespace ? ` (${w.object.namespace})` : ''}`;
}

function fleet(c: CostReport): string {
  return `${c.replicas} × ${c.gpusPerReplica}× ${c.gpu.id ?? 'GPU'}`;
}

/** `≈ $0.60 / 1M tokens (est.) · 4 × 2× H100-SXM · $55.04/hr · $40,179/mo`, or `servelint: cost unknown — …`. */
export function costLensTitle(w: WorkloadReport): string {
  const c = w.cost;
  if (!c) return 'servelint: cost unknown — the cost model has no figure for this workload';
  const parts: string[] = [];
  if (c.usdPerMillionTokens !== null && c.usdPerMillionTokens !== undefined) {
    const how = c.tokensPerSecondSource === 'measured' ? ' (measured)' : ` (est.${c.tokensPerSecondRegime ? `: ${c.tokensPerSecondRegime}` : ''})`;
    parts.push(`≈ ${perMillion(c.usdPerMillionTokens)} / 1M tokens${how}`);
  } else if (c.whatIf?.length) {
    parts.push(`servelint: no GPU named — what-if: ${c.whatIf.map((w) => `on ${w.gpu} ${perMillion(w.usdPerMillionTokens)}`).join(', ')} / 1M tokens`);
  } else {
    parts.push(`servelint: cost unknown${c.problems[0] ? ` — ${c.problems[0]}` : ''}`);
  }
  if (c.gpu.id) parts.push(fleet(c));
  if (c.usdPerHour !== null && c.usdPerHour !== undefined) parts.push(`${money(c.usdPerHour)}/hr`);
  if (c.usdPerMonth !== null && c.usdPerMonth !== undefined) parts.push(`${money(c.usdPerMonth, 0)}/mo`);
  return parts.join(' · ');
}

export function rolloutLensTitle(w: WorkloadReport): string | undefined {
  return w.rollout?.summary || undefined;
}

/** Markdown shown by servelint.showCostBreakdown. */
export function breakdownMarkdown(w: WorkloadReport): string {
  const lines = [`# servelint cost breakdown: ${workloadName(w)}`, ''];
  const facts = [
    w.modelServer ? `- **Model server:** ${w.modelServer}` : undefined,
    w.model ? `- **Model:** ${w.model}` : undefined,
    w.replicas !== null ? `- **Replicas:** ${w.replicas}` : undefined,
    w.gpusPerPod !== null ? `- **GPUs per pod:** ${w.gpusPerPod}` : undefined,
  ].filter((x): x is string => !!x);
  lines.push(...facts, '');
  if (w.cost) {
    lines.push('## $ / 1M tokens', '', costLensTitle(w), '', formatCostBreakdown(w.cost));
  } else {
    lines.push('## $ / 1M tokens', '', 'Cost not computed for this workload: the cost model returned no report.');
  }
  if (w.rollout) {
    lines.push('', '## Rollout', '', w.rollout.summary, '',
      `- Strategy: ${w.rollout.strategy}`, `- ${w.rollout.steps} step(s) of ~${Math.round(w.rollout.stepSeconds)} s (cold start each)`,
      `- maxSurge ${w.rollout.maxSurge}, maxUnavailable ${w.rollout.maxUnavailable}; ${w.rollout.surgeGpus} extra GPU(s) during the rollout`);
  }
  return lines.join('\n') + '\n';
}
