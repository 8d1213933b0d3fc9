/** Per-workload analysis shared by rules, hovers and cost: serving containers, assumptions, rollout. */
import type { Assumption, ServelintConfig } from './types';
import { ASSUMPTIONS, resolveAssumption } from './assumptions';
import { hasModelServer, servingTemplates, type WorkloadModel } from './model/workload';
import type { ContainerModel, PodTemplateModel } from './model/pod';
import type { ServerModel } from './model/server';
import { resolveRollout, rolloutTiming, type RolloutResolution } from './rollout';
import { costFor, withRolloutCost, type CostAnalysis } from './cost-bridge';

export interface ServingUnit {
  template: PodTemplateModel;
  container: ContainerModel;
  server: ServerModel;
}

export interface WorkloadAnalysis {
  workload: WorkloadModel;
  templates: PodTemplateModel[];
  servers: ServingUnit[];
  primary: ServingUnit;
  annotations: Record<string, string>;
  maxOutputTokens: Assumption;
  tpot: Assumption;
  ttft: Assumption;
  weightLoad: Assumption;
  /** TTFT + max output tokens × TPOT. */
  generationSeconds: number;
  replicas: number;
  rollout: RolloutResolution;
  rolloutSteps: number;
  rolloutSeconds: number;
  cost: CostAnalysis;
}

/**
 * The output limit a server's arguments impose, if any (it bounds the longest answer). A total-token or context
 * limit bounds prompt + answer, and the prompt can be one token, so the answer can take all but one of them
 * (TGI's launcher: a budget of 1512 allows "a prompt of 1 and ask for 1511 max_new_tokens"). An input limit
 * (--max-input-tokens) caps the prompt only: it does not shorten the longest answer.
 */
function outputLimit(server: ServerModel): { value: number; detail: string } | undefined {
  const a = server.args;
  if (a.maxNewTokens && a.maxNewTokens > 0) return { value: a.maxNewTokens, detail: `${a.flags.has('--max-new-tokens') ? '--max-new-tokens' : 'output limit'} ${a.maxNewTokens} in the server args` };
  const total = a.maxTotalTokens && a.maxTotalTokens > 1 ? { n: a.maxTotalTokens, what: 'max total tokens' }
    : a.maxModelLen && a.maxModelLen > 1 ? { n: a.maxModelLen, what: 'context limit' } : undefined;
  if (total && total.n - 1 < ASSUMPTIONS.maxOutputTokens!.defaultValue) {
    return { value: total.n - 1, detail: `${total.what} ${total.n} set on the server, less a 1-token prompt` };
  }
  return undefined;
}

export function analyzeWorkload(w: WorkloadModel, config: ServelintConfig): WorkloadAnalysis | undefined {
  if (!hasModelServer(w)) return undefined;
  const templates = servingTemplates(w);
  const servers: ServingUnit[] = [];
  for (const template of templates) {
    for (const container of template.containers) {
      if (container.server) servers.push({ template, container, server: container.server });
    }
  }
  const primary = servers[0] as ServingUnit;
  const annotations = { ...w.workloadRef?.resolved?.annotations, ...w.annotations, ...primary.template.annotations };
  const limit = outputLimit(primary.server);
  const maxOutputTokens = resolveAssumption(
    'maxOutputTokens',
    annotations,
    config,
    limit ? { value: limit.value, source: 'args', detail: limit.detail } : undefined,
  );
  const tpot = resolveAssumption('secondsPerOutputToken', annotations, config);
  const ttft = resolveAssumption('ttftSeconds', annotations, config);
  const replicas = w.replicas ?? w.hpa?.min ?? w.workloadRef?.resolved?.replicas ?? 1;
  const cost = costFor(w, primary, annotations, config, replicas);
  const weightLoad = resolveAssumption('weightLoadSeconds', annotations, config, cost.weightLoad);
  const rollout = resolveRollout(w, Math.max(0, Math.floor(replicas)));
  const timing = rolloutTiming(rollout, Number(weightLoad.value));
  const fullCost = withRolloutCost(cost, w, primary, annotations, config, replicas, rollout, timing.totalSeconds, timing.steps);
  return {
    workload: w,
    templates,
    servers,
    primary,
    annotations,
    maxOutputTokens,
    tpot,
    ttft,
    weightLoad,
    generationSeconds: Number(ttft.value) + Number(maxOutputTokens.value) * Number(tpot.value),
    replicas,
    rollout,
    rolloutSteps: timing.steps,
    rolloutSeconds: timing.totalSeconds,
    cost: fullCost,
  };
}
