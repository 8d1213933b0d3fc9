/**
 * KubeRay RayService (ray.io/v1): a RayCluster (`spec.rayClusterConfig`: a head pod template and worker groups, each
 * with `replicas` / `minReplicas` / `maxReplicas` and a template) running the Ray Serve apps of `spec.serveConfigV2`.
 * The model server (vLLM inside Ray Serve replicas) runs on the GPU workers; the head runs the Serve controller.
 *
 * Sources (ray-project/kuberay @ feeaf72facab4881ba2b179248bb67315634e229):
 * - ray-operator/apis/ray/v1/rayservice_types.go:22-32 (upgradeStrategy.type NewCluster |
 *   NewClusterWithIncrementalUpgrade | None), :64-84 (clusterUpgradeOptions.maxSurgePercent, default 100), :117-120;
 *   raycluster_types.go:37 (enableInTreeAutoscaling), :436-485 (worker group replicas, min/maxReplicas).
 * - ray-operator/controllers/ray/rayservice_controller.go:868-895 (no type set: zero-downtime upgrade on unless the
 *   operator's ENABLE_ZERO_DOWNTIME=false), :1409-1437 (shouldPrepareNewCluster: a changed cluster spec brings up a
 *   whole pending RayCluster beside the active one, traffic switches once it serves; with `None` no new cluster is
 *   made and the running pods are not replaced), :48 and :1267-1270 (old cluster deleted 60 s later, or
 *   rayClusterDeletionDelaySeconds).
 * - ray-operator/controllers/ray/common/pod.go:587-590,732-830 and utils/constant.go:306-344 (probes injected when the
 *   container has none: readiness initialDelay 10 + 10 x 5 s, RayService workers failure 1; liveness 30 + 120 x 5 s,
 *   checking the raylet / dashboard agent, not the model); no terminationGracePeriodSeconds or preStop anywhere in
 *   ray-operator/controllers (Kubernetes' 30 s applies).
 */
import { FIELDS, readNumber } from '../fields';
import { isMap, isScalar, isSeq, parseDocument, type Node, type Scalar, type YAMLMap } from 'yaml';
import { asMap, get, getPair, items, nodeRange, num, str, type DocModelRef } from '../yaml/nodes';
import { fastParseStrict } from '../yaml/fast-parse';
import type { FlagValue } from '../model/args';
import { setScalar } from '../edits';
import { acceleratorsPerPod, podTemplateModel, type PodTemplateModel } from '../model/pod';
import { operatorServer, type EnginePlacement } from '../model/server';
import type { KindAdapter } from './types';
import type { WorkloadModel } from '../model/workload';
import { applyPodDefaults, type PodDefaults } from './operator-defaults';

/*
 * `spec.serveConfigV2`: the Ray Serve config as an embedded YAML string (ray-project/kuberay @
 * feeaf72facab4881ba2b179248bb67315634e229, ray-operator/apis/ray/v1/rayservice_types.go:117-119: "should be a YAML
 * multi-line scalar string"). Read: the model, the vLLM engine arguments and whether the app runs vLLM (Ray Serve LLM
 * `ray.serve.llm:build_openai_app` with `llm_configs[].model_loading_config` / `engine_kwargs`, or a custom vLLM app
 * that takes MODEL_ID-style `runtime_env.env_vars`). Positions inside a literal block scalar (`|`) are mapped back to
 * the document, so a finding about the model points at its line inside the string; otherwise at the key.
 */
export interface ServeConfig {
  vllm: boolean;
  model?: FlagValue;
  tensorParallel?: number;
  /** The GPU `llm_configs[].accelerator_type` asks for, as a GPU catalog id. */
  gpu?: string;
  /** `bitsandbytes` when an app installs it (runtime_env.pip): the cost model then assumes 4-bit weights, with a note. */
  quantization?: string;
  /** vLLM flags from `engine_kwargs` (and the usual env_vars of custom vLLM apps), as command-line words. */
  extraArgs: string;
  /**
   * Ray Serve LLM replicas: accelerators they use in all (Σ deployment_config.num_replicas × tensor × pipeline parallel
   * of every llm_config), undefined when one of them states no count (autoscaling_config, "auto", or Serve's default).
   */
  replicas?: { gpus?: number; detail: string; token?: FlagValue['token'] };
}

/** Adds one llm_config's replicas × tensor × pipeline parallel to `out.replicas` (unknown once a count is not stated). */
function countReplicas(out: ServeConfig, cfg: unknown, kwargs: unknown, flagAt: (n: unknown, value: string, flag: string) => FlagValue): void {
  const deployment = at(cfg, 'deployment_config');
  const n = at(deployment, 'num_replicas');
  const count = Number(scalar(n));
  const size = (k: string): number => Number(scalar(at(kwargs, k)) ?? 1);
  const tp = size('tensor_parallel_size');
  const pp = size('pipeline_parallel_size');
  const first = !out.replicas;
  const r = (out.replicas ??= { gpus: 0, detail: '' });
  if (at(deployment, 'autoscaling_config') !== undefined || !Number.isInteger(count) || count < 1 || !Number.isInteger(tp * pp) || tp * pp < 1) {
    r.gpus = undefined;
    return;
  }
  if (r.gpus !== undefined) r.gpus += count * tp * pp;
  r.detail += `${first ? '' : ' + '}num_replicas ${count} × tensor_parallel_size ${tp}${pp > 1 ? ` × pipeline_parallel_size ${pp}` : ''}`;
  if (first) r.token = flagAt(n, String(scalar(n)), 'num_replicas').token;
}

/** Inner offset → document offset for a literal block scalar (`|`), or undefined when it is not one. */
function literalOffsets(node: Scalar, text: string): ((inner: number) => number) | undefined {
  if (node.type !== 'BLOCK_LITERAL' || !node.range) return undefined;
  const [start, end] = node.range;
  const lines: { inner: number; outer: number }[] = [];
  let outer = text.indexOf('\n', start) + 1;
  if (outer <= 0) return undefined;
  let indent: number | undefined;
  let inner = 0;
  while (outer < end) {
    const eol = text.indexOf('\n', outer);
    const line = text.slice(outer, eol < 0 ? text.length : eol);
    const lead = /^ */.exec(line)![0].length;
    if (indent === undefined && line.trim() !== '') indent = lead;
    const content = indent !== undefined && line.length >= indent ? line.slice(indent) : '';
    lines.push({ inner, outer: outer + (indent ?? lead) });
    inner += content.length + 1;
    if (eol < 0) break;
    outer = eol + 1;
  }
  return (offset) => {
    let l = lines[0]!;
    for (const x of lines) if (x.inner <= offset) l = x;
    return l.outer + (offset - l.inner);
  };
}

function at(map: unknown, key: string): unknown {
  return isMap(map) ? map.get(key, true) : undefined;
}

function scalar(n: unknown): string | undefined {
  return isScalar(n) && n.value !== null && typeof n.value !== 'object' ? String(n.value) : undefined;
}

/** The first value found at `path` in any item of `list` (applications, deployments, llm_configs). */
function seqItems(n: unknown): unknown[] {
  return isSeq(n) ? n.items : [];
}

/** Ray's accelerator type names (ray/util/accelerators/accelerators.py) that differ from the GPU catalog's ids. */
const RAY_ACCELERATORS: Record<string, string> = { H100: 'H100-SXM', 'A100-40G': 'A100-SXM-40GB', 'A100-80G': 'A100-SXM-80GB' };

const ENV_FLAGS: Record<string, string> = {
  MAX_MODEL_LEN: '--max-model-len',
  GPU_MEMORY_UTILIZATION: '--gpu-memory-utilization',
  TENSOR_PARALLEL_SIZE: '--tensor-parallel-size',
  TENSOR_PARALLELISM: '--tensor-parallel-size',
};

export function readServeConfig(node: Node | undefined, key: Node | undefined, doc: DocModelRef): ServeConfig | undefined {
  const text = scalar(node);
  if (!text || !isScalar(node)) return undefined;
  const inner = fastParseStrict(text) ?? parseDocument(text);
  if (inner.errors.length) return undefined;
  const toOuter = literalOffsets(node, doc.text);
  const keyRange = nodeRange(key);
  const flagAt = (n: unknown, value: string, flag: string): FlagValue => {
    const r = isScalar(n) ? n.range : undefined;
    const i = r ? text.indexOf(value, r[0]) : -1;
    if (toOuter && i >= 0) {
      const start = toOuter(i);
      if (doc.text.slice(start, start + value.length) === value) return { value, flag, token: { value, node, start, end: start + value.length } };
    }
    return { value, flag, token: { value } };
  };
  const out: ServeConfig = { vllm: false, extraArgs: '' };
  const args: string[] = [];
  for (const app of seqItems(at(inner.contents, 'applications'))) {
    const importPath = scalar(at(app, 'import_path')) ?? '';
    const env = at(at(app, 'runtime_env'), 'env_vars');
    const pip = seqItems(at(at(app, 'runtime_env'), 'pip')).map(scalar).join(' ');
    const deployments = seqItems(at(app, 'deployments')).map((d) => scalar(at(d, 'name')) ?? '').join(' ');
    if (/ray\.serve\.llm|vllm/i.test(`${importPath} ${pip} ${deployments}`)) out.vllm = true;
    if (/(^|\s)bitsandbytes\b/.test(pip)) out.quantization ??= 'bitsandbytes';
    for (const cfg of seqItems(at(at(app, 'args'), 'llm_configs'))) {
      const loading = at(cfg, 'model_loading_config');
      // model_source is what vLLM loads (a Hugging Face id, or a bucket path); model_id is the name it serves.
      const source = at(loading, 'model_source');
      const id = at(loading, 'model_id');
      const src = scalar(source);
      const pick = src && !/^[a-z0-9]+:\/\//i.test(src) ? { n: source, v: src, f: 'model_source' } : scalar(id) ? { n: id, v: scalar(id)!, f: 'model_id' } : undefined;
      if (pick && !out.model) out.model = flagAt(pick.n, pick.v, pick.f);
      const accelerator = scalar(at(cfg, 'accelerator_type'));
      if (accelerator) out.gpu ??= RAY_ACCELERATORS[accelerator] ?? accelerator;
      const kwargs = at(cfg, 'engine_kwargs');
      countReplicas(out, cfg, kwargs, flagAt);
      if (isMap(kwargs)) {
        for (const p of kwargs.items) {
          const k = scalar(p.key);
          const v = scalar(p.value);
          if (!k || v === undefined || v === 'false') continue;
          args.push(`--${k.replace(/_/g, '-')}`, ...(v === 'true' ? [] : [v]));
        }
      }
    }
    // Custom vLLM apps (vllm_serve:deployment) take the model and engine settings from runtime_env.env_vars.
    if (isMap(env)) {
      const model = at(env, 'MODEL_ID');
      const m = scalar(model);
      if (m && !m.startsWith('$') && !out.model) out.model = flagAt(model, m, 'runtime_env MODEL_ID');
      for (const [name, flag] of Object.entries(ENV_FLAGS)) {
        const v = scalar(at(env, name));
        if (v && /^[\d.]+$/.test(v)) args.push(flag, v);
      }
    }
  }
  out.extraArgs = args.join(' ');
  const tp = /--tensor-parallel-size (\d+)/.exec(out.extraArgs)?.[1];
  if (tp) out.tensorParallel = Number(tp);
  // Without a literal block to point into, findings about the model point at the serveConfigV2 key.
  if (out.model && out.model.token.start === undefined && keyRange) out.model.token = { value: out.model.value, node: key, start: keyRange[0], end: keyRange[1] };
  return out;
}

const SOURCE = 'KubeRay';

// Readiness only: the injected liveness probe checks the raylet (up in seconds, whatever the model does), so it is
// no model-load deadline; a RayService worker's readiness fails after 1 miss (pod.go:813-828).
const HEAD_DEFAULTS: PodDefaults = { source: SOURCE, readinessProbe: { initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 10 } };
const WORKER_DEFAULTS: PodDefaults = { source: SOURCE, readinessProbe: { initialDelaySeconds: 10, periodSeconds: 5, failureThreshold: 1 } };

interface Group {
  template: PodTemplateModel;
  replicas: number;
  min: number;
  max: number;
}

function groups(spec: YAMLMap | undefined, doc: DocModelRef, annotations: Record<string, string>): { head?: PodTemplateModel; workers: Group[] } {
  const rcc = get(spec, 'rayClusterConfig', doc.doc);
  const headTemplate = asMap(get(get(rcc, 'headGroupSpec', doc.doc), 'template', doc.doc));
  const workers: Group[] = [];
  for (const g of items(get(rcc, 'workerGroupSpecs', doc.doc))) {
    const t = asMap(get(g, 'template', doc.doc));
    if (!t) continue;
    const hosts = Math.max(1, readNumber(get(g, 'numOfHosts', doc.doc), FIELDS.groupSize) ?? 1);
    const min = readNumber(get(g, 'minReplicas', doc.doc), FIELDS.minReplicas) ?? 0;
    // replicas defaults to minReplicas (raycluster_types.go:436-485); numOfHosts pods per replica.
    const replicas = readNumber(get(g, 'replicas', doc.doc), FIELDS.replicas) ?? min;
    workers.push({ template: podTemplateModel(t, 'worker', doc, annotations), replicas: replicas * hosts, min: min * hosts, max: (readNumber(get(g, 'maxReplicas', doc.doc), FIELDS.maxReplicas) ?? replicas) * hosts });
  }
  return { head: headTemplate ? podTemplateModel(headTemplate, 'leader', doc, annotations) : undefined, workers };
}

function upgradeType(w: WorkloadModel) {
  const strategy = asMap(get(w.specNode, 'upgradeStrategy', w.doc.doc));
  const typePair = getPair(strategy, 'type');
  return { type: str(typePair?.value) ?? 'NewCluster', stated: typePair !== undefined, typePair, strategy };
}

/** Ray Serve places its replicas on the serving worker groups' accelerators (all of them, across pods). */
function placementOn(serving: { template: PodTemplateModel; replicas: number }[], r: NonNullable<ServeConfig['replicas']>): EnginePlacement | undefined {
  let available = 0;
  let resource: string | undefined;
  const parts: string[] = [];
  for (const g of serving) {
    const acc = acceleratorsPerPod(g.template);
    if (!acc) return undefined;
    available += g.replicas * acc.count;
    resource ??= acc.resource;
    parts.push(`${g.replicas} worker pod${g.replicas === 1 ? '' : 's'} × ${acc.resource}: ${acc.count}`);
  }
  if (!resource) return undefined;
  return { by: 'Ray Serve', needed: r.gpus, detail: r.detail, available, resource, availableDetail: parts.join(' + '), token: r.token };
}

export const rayService: KindAdapter = {
  kind: 'RayService',
  group: 'ray.io',
  apiVersion: /^ray\.io\/v1(alpha1)?$/,
  instanceNoun: 'worker pod',
  read(_obj, spec, doc, annotations) {
    const { head, workers } = groups(spec, doc, annotations);
    const serveKey = getPair(spec, 'serveConfigV2');
    const serve = readServeConfig(serveKey?.value ?? undefined, serveKey?.key ?? undefined, doc);
    const serving = workers.filter((g) => g.template.containers.some((c) => c.server));
    // The engine runs where the GPUs are: the workers (else a head with accelerators, e.g. a single-host TPU).
    const engineTemplates = serving.length ? serving.map((g) => g.template) : head ? [head] : [];
    if (serving.length && head) for (const c of head.containers) c.server = undefined;
    const placement = serve?.replicas && serving.length ? placementOn(serving, serve.replicas) : undefined;
    for (const t of engineTemplates) {
      for (const c of t.containers) {
        if (!c.server) continue;
        const vllm = serve?.vllm || /vllm/i.test(c.image ?? '');
        c.server = operatorServer(c, doc, vllm ? 'vllm' : c.server.kind, { model: serve?.model, extraArgs: serve?.extraArgs, tensorParallel: serve?.tensorParallel });
        if (serve?.quantization) c.server.args.quantization ??= serve.quantization;
        if (placement) c.server.placement = placement;
      }
    }
    // The cost model reads the GPU from servelint.io/gpu: Ray Serve LLM's accelerator_type names it.
    for (const t of engineTemplates) if (serve?.gpu && t.annotations['servelint.io/gpu'] === undefined) t.annotations['servelint.io/gpu'] = serve.gpu;
    if (head) applyPodDefaults(head, HEAD_DEFAULTS);
    for (const g of serving) applyPodDefaults(g.template, WORKER_DEFAULTS);
    const templates = [...(head ? [head] : []), ...workers.map((g) => g.template)];
    const counted = serving.length ? serving : workers;
    const autoscaling = str(get(get(spec, 'rayClusterConfig', doc.doc), 'enableInTreeAutoscaling', doc.doc)) === 'true';
    const min = counted.reduce((s, g) => s + g.min, 0);
    const max = counted.reduce((s, g) => s + g.max, 0);
    return {
      templates,
      operatorCompleted: true,
      replicasPair: undefined,
      replicas: serving.length ? counted.reduce((s, g) => s + g.replicas, 0) : 1,
      autoscaler: autoscaling && serving.length && max > min ? { min, max, source: 'RayService worker groups minReplicas / maxReplicas (Ray autoscaler)' } : undefined,
    };
  },
  rollout(w, replicas) {
    const { type, stated, typePair, strategy } = upgradeType(w);
    const base = { replicas, stableKeptFull: true, strategyPair: getPair(w.specNode, 'upgradeStrategy'), typePair, maxUnavailable: 0 };
    if (type === 'None') {
      return Object.assign({}, base, { mode: 'ondelete' as const, strategyLabel: 'RayService upgradeStrategy None', maxSurge: 0, defaultsNote: 'KubeRay neither starts a new RayCluster nor replaces the running pods' });
    }
    if (type === 'NewClusterWithIncrementalUpgrade') {
      const pct = readNumber(get(get(strategy, 'clusterUpgradeOptions', w.doc.doc), 'maxSurgePercent', w.doc.doc), FIELDS.percent) ?? 100;
      return Object.assign({}, base, {
        mode: 'revision' as const,
        strategyLabel: 'RayService NewClusterWithIncrementalUpgrade',
        maxSurge: Math.ceil((pct * replicas) / 100 - 1e-9),
        defaultsNote: `KubeRay starts a new RayCluster and shifts traffic to it in steps (maxSurgePercent ${pct}%)`,
      });
    }
    return Object.assign({}, base, {
      mode: 'revision' as const,
      strategyLabel: stated ? 'RayService NewCluster upgrade' : "RayService NewCluster upgrade (KubeRay's default zero-downtime upgrade)",
      maxSurge: replicas,
      defaultsNote: 'KubeRay starts a whole second RayCluster (every worker, every GPU) beside the running one and switches traffic once it serves',
    });
  },
  topology(w, primary) {
    // One "replica" is one serving worker pod; a Serve replica whose tensor x pipeline parallel GPUs exceed a pod's
    // spans several worker pods (Ray places its bundles across nodes).
    const t = w.templates.find((x) => x.role === 'worker' && x.containers.some((c) => c.server)) ?? w.templates[0];
    const acc = t ? acceleratorsPerPod(t) : undefined;
    if (!acc) return { podsPerInstance: 1, replicasPerInstance: 1 };
    const gpus = (primary.server.args.tensorParallel ?? 1) * (primary.server.args.pipelineParallel ?? 1);
    const pods = gpus > acc.count ? Math.ceil(gpus / acc.count) : 1;
    const detail = pods > 1 ? `${acc.count} per worker pod x ${pods} pods (tensor x pipeline parallel ${gpus})` : `${acc.count} per worker pod`;
    return { podsPerInstance: pods, replicasPerInstance: pods, accelerators: { resource: acc.resource, count: acc.count * pods, detail } };
  },
  // upgradeStrategy None: back to the default zero-downtime NewCluster upgrade.
  zeroDowntimeEdits: (w, r) => (r.mode === 'ondelete' && r.typePair ? [setScalar(w.doc, r.typePair.value ?? undefined, 'NewCluster')] : undefined),
};
