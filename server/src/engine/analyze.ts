/**
 * Per-workload analysis shared by rules, hovers and cost. The workload's serving containers, annotations, replicas
 * and topology are worked out up front (cheap); the other facts (generation time, the cost model, weight load, the
 * rollout and its timing, the cost report with rollout costs) are computed the first time something asks for them
 * and then kept, so a rule that needs no cost never runs the cost model, and nothing runs it twice.
 */
import type { Assumption, ServelintConfig } from './types';
import { ASSUMPTIONS, resolveAssumption } from './assumptions';
import { isPatch, type WorkloadModel } from './model/workload';
import type { ContainerModel, PodTemplateModel, ServingUnit } from './model/pod';
import { detectServer, type ServerModel } from './model/server';
import { defaultTotalTokens, profileOf } from './servers';
import { get, stringMap } from './yaml/nodes';
import { resolveRollout, rolloutTiming, type RolloutResolution } from './rollout';
import { costFor, memoryFitOf, rolloutCostReport, weightLoadFor, type CostAnalysis, type CostSubject, type MemoryFitReport } from './cost-bridge';
import type { WorkloadCostReport } from './cost';
import type { Autoscaler } from './inventory';
import type { InstanceTopology } from './kinds';
import type { Lookups } from './lookups';


export type { ServingUnit } from './model/pod';

/** The facts computed on demand, by the name rules declare in `meta.needs`. */
export type FactName = 'generation' | 'cost' | 'memoryFit' | 'weightLoad' | 'rollout' | 'rolloutTiming' | 'costReport';

/** Which fact each lazy property of WorkloadAnalysis belongs to. */
export const FACT_OF_PROPERTY: Record<string, FactName> = {
  maxOutputTokens: 'generation',
  tpot: 'generation',
  ttft: 'generation',
  generationSeconds: 'generation',
  cost: 'cost',
  memoryFit: 'memoryFit',
  weightLoad: 'weightLoad',
  rollout: 'rollout',
  rolloutSteps: 'rolloutTiming',
  rolloutSeconds: 'rolloutTiming',
  costReport: 'costReport',
};

/**
 * The output limit a server's arguments impose, if any (it bounds the longest answer). A total-token or context
 * limit bounds prompt + answer, and the prompt can be one token, so the answer can take all but one of them
 * (TGI's launcher: a budget of 1512 allows "a prompt of 1 and ask for 1511 max_new_tokens"). An input limit
 * (--max-input-tokens) caps the prompt only: it does not shorten the longest answer.
 */
function outputLimit(server: ServerModel, image: string | undefined): { value: number; detail: string } | undefined {
  const a = server.args;
  if (a.maxNewTokens && a.maxNewTokens > 0) return { value: a.maxNewTokens, detail: `${a.flags.has('--max-new-tokens') ? '--max-new-tokens' : 'output limit'} ${a.maxNewTokens} in the server args` };
  const total = a.maxTotalTokens && a.maxTotalTokens > 1 ? { n: a.maxTotalTokens, what: 'max total tokens' }
    : a.maxModelLen && a.maxModelLen > 1 ? { n: a.maxModelLen, what: 'context limit' } : serverDefault(server, image);
  if (total && total.n - 1 < ASSUMPTIONS.maxOutputTokens!.defaultValue) {
    return { value: total.n - 1, detail: `${total.what} ${total.n}${total.what.includes('default') ? '' : ' set on the server'}, less a 1-token prompt` };
  }
  return undefined;
}

/** The server's own default total-token limit for the image's release (TGI 1.x: 2048), from its profile. */
function serverDefault(server: ServerModel, image: string | undefined): { n: number; what: string } | undefined {
  const d = defaultTotalTokens(profileOf(server.kind), image);
  return d && { n: d.tokens, what: `${profileOf(server.kind).name} ${d.release.slice(0, 2).join('.')} default --max-total-tokens${d.atMost ? ', at most' : ''}` };
}

/**
 * `envFrom: [{configMapRef: {name}}]` pointing at a ConfigMap in the same input: its data joins the container's
 * environment (its own `env` wins, as in Kubernetes), so `--model $(MODEL_ID)` or TGI's MODEL_ID resolve. The
 * parsed template is not changed: containers that see a ConfigMap are copied with their server detected again.
 */
function withEnvFrom(t: PodTemplateModel, namespace: string | undefined, lookups: Lookups): PodTemplateModel {
  let changed = false;
  const containers = t.containers.map((c): ContainerModel => {
    if (!c.envFrom.length) return c;
    const env: Record<string, string> = {};
    let found = false;
    for (const ref of c.envFrom) {
      const cm = lookups.configMap(ref.configMap, namespace);
      if (!cm) continue;
      found = true;
      for (const [k, v] of Object.entries(stringMap(get(cm.node, 'data', cm.doc.doc)))) env[ref.prefix + k] = v;
    }
    if (!found) return c;
    changed = true;
    const linked: ContainerModel = Object.assign({}, c, { env: Object.assign({}, env, c.ownEnv) });
    linked.server = detectServer(linked, t.doc, c.annotations, c.forced);
    return linked;
  });
  return changed ? Object.assign({}, t, { containers }) : t;
}

export class WorkloadAnalysis implements CostSubject {
  /** The pod templates that serve: the workload's own, or those of the Deployment its workloadRef points at. */
  readonly templates: PodTemplateModel[];
  readonly servers: ServingUnit[];
  readonly primary: ServingUnit;
  readonly annotations: Record<string, string>;
  readonly autoscaler?: Autoscaler;
  /** Replicas the workload runs: declared, else the autoscaler's minimum, else the workloadRef target's, else 1. */
  readonly replicas: number;
  readonly topology: InstanceTopology;
  private memo = new Map<string, unknown>();

  private constructor(
    readonly workload: WorkloadModel,
    readonly config: ServelintConfig,
    /**
     * Cross-object lookups (PodDisruptionBudgets, Services, AnalysisTemplates, ...) for rules: what they find is
     * recorded, so the cached result is reused only while those lookups still find the same objects.
     */
    readonly lookups: Lookups,
    templates: PodTemplateModel[],
    servers: ServingUnit[],
    target: WorkloadModel | undefined,
    autoscaler: Autoscaler | undefined,
    /** The caller reads every workload's cost (LinterOptions.costs): facts derived from it come from that one computation. */
    private readonly costsWanted: boolean,
  ) {
    this.templates = templates;
    this.servers = servers;
    this.primary = servers[0] as ServingUnit;
    this.annotations = Object.assign({}, target?.annotations, workload.annotations, this.primary.template.annotations);
    this.autoscaler = autoscaler;
    this.replicas = workload.replicas ?? autoscaler?.min ?? target?.replicas ?? 1;
    this.topology = workload.adapter.topology(workload, this.primary);
  }

  /** The analysis of a model-server workload; undefined when none of its containers is a model server. */
  static of(w: WorkloadModel, config: ServelintConfig, lookups: Lookups, costsWanted = false): WorkloadAnalysis | undefined {
    const target = w.workloadRef ? lookups.workloadRefTarget(w) : undefined;
    const owner = target ?? w;
    if (!owner.operatorCompleted && isPatch(owner.templates)) return undefined;
    const templates = owner.templates.map((t) => withEnvFrom(t, owner.namespace, lookups));
    const servers: ServingUnit[] = [];
    for (const template of templates) {
      for (const container of template.containers) if (container.server) servers.push({ template, container, server: container.server });
    }
    if (!servers.length) return undefined;
    return new WorkloadAnalysis(w, config, lookups, templates, servers, target, lookups.autoscaler(w) ?? w.ownAutoscaler, costsWanted);
  }

  private once<T>(key: string, compute: () => T): T {
    if (!this.memo.has(key)) this.memo.set(key, compute());
    return this.memo.get(key) as T;
  }

  /** Longest answer: annotation, config, the server's own output limit, else the default. */
  get maxOutputTokens(): Assumption {
    return this.once('maxOutputTokens', () => {
      const limit = outputLimit(this.primary.server, this.primary.container.image);
      return resolveAssumption('maxOutputTokens', this.annotations, this.config, limit ? { value: limit.value, source: 'args', detail: limit.detail } : undefined);
    });
  }

  get tpot(): Assumption {
    return this.once('tpot', () => resolveAssumption('secondsPerOutputToken', this.annotations, this.config));
  }

  get ttft(): Assumption {
    return this.once('ttft', () => resolveAssumption('ttftSeconds', this.annotations, this.config));
  }

  /** TTFT + max output tokens × TPOT. */
  get generationSeconds(): number {
    return Number(this.ttft.value) + Number(this.maxOutputTokens.value) * Number(this.tpot.value);
  }

  /** Whether the partial cost facts (memoryFit, weightLoad) are read off the full cost: it is wanted or already there. */
  private get fromCost(): boolean {
    return this.costsWanted || this.memo.has('cost');
  }

  /** The cost model's view: GPU, model, throughput, $, memory fit and the weight-load estimate. */
  get cost(): CostAnalysis {
    return this.once('cost', () => costFor(this, this.config));
  }

  /**
   * The model, the GPU and whether the weights fit (the same figures as this.cost.report's), without the throughput
   * model, prices' what-ifs and rollout costs: what diagnostics need of the cost model.
   */
  get memoryFit(): MemoryFitReport | undefined {
    return this.once('memoryFit', () => (this.fromCost ? this.cost.report : memoryFitOf(this, this.config)));
  }

  /** Time for a new replica to load weights and become ready: annotation, config, the cost model's estimate, default. */
  get weightLoad(): Assumption {
    // From the model alone (the same figure as this.cost.weightLoad): the throughput model runs only when the cost is asked for.
    return this.once('weightLoad', () => resolveAssumption('weightLoadSeconds', this.annotations, this.config, this.fromCost ? this.cost.weightLoad : weightLoadFor(this, this.config)));
  }

  get rollout(): RolloutResolution {
    return this.once('rollout', () => resolveRollout(this.workload, Math.max(0, Math.floor(this.replicas))));
  }

  private get timing(): { steps: number; totalSeconds: number } {
    return this.once('timing', () => rolloutTiming(this.rollout, Number(this.weightLoad.value)));
  }

  get rolloutSteps(): number {
    return this.timing.steps;
  }

  get rolloutSeconds(): number {
    return this.timing.totalSeconds;
  }

  /** The cost report shown to people: the cost model's, with the rollout's surge or cutover cost. */
  get costReport(): WorkloadCostReport | undefined {
    return this.once('costReport', () => rolloutCostReport(this.cost, this.rollout, this.rolloutSeconds, this.rolloutSteps));
  }
}

export function analyzeWorkload(w: WorkloadModel, config: ServelintConfig, lookups: Lookups, costsWanted = false): WorkloadAnalysis | undefined {
  return WorkloadAnalysis.of(w, config, lookups, costsWanted);
}
