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
import type { YAMLMap } from 'yaml';
import { asMap, get, getPair, items, num, str, type DocModelRef } from '../yaml/nodes';
import { setScalar } from '../edits';
import { acceleratorsPerPod, podTemplateModel, type PodTemplateModel } from '../model/pod';
import { operatorServer } from '../model/server';
import type { KindAdapter } from './types';
import type { WorkloadModel } from '../model/workload';
import { applyPodDefaults, type PodDefaults } from './operator-defaults';
import { readServeConfig } from './ray-serve-config';

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
    const hosts = Math.max(1, num(get(g, 'numOfHosts', doc.doc)) ?? 1);
    const min = num(get(g, 'minReplicas', doc.doc)) ?? 0;
    // replicas defaults to minReplicas (raycluster_types.go:436-485); numOfHosts pods per replica.
    const replicas = num(get(g, 'replicas', doc.doc)) ?? min;
    workers.push({ template: podTemplateModel(t, 'worker', doc, annotations), replicas: replicas * hosts, min: min * hosts, max: (num(get(g, 'maxReplicas', doc.doc)) ?? replicas) * hosts });
  }
  return { head: headTemplate ? podTemplateModel(headTemplate, 'leader', doc, annotations) : undefined, workers };
}

function upgradeType(w: WorkloadModel) {
  const strategy = asMap(get(w.specNode, 'upgradeStrategy', w.doc.doc));
  const typePair = getPair(strategy, 'type');
  return { type: str(typePair?.value) ?? 'NewCluster', stated: typePair !== undefined, typePair, strategy };
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
    for (const t of engineTemplates) {
      for (const c of t.containers) {
        if (!c.server) continue;
        const vllm = serve?.vllm || c.server.kind === 'vllm' || /vllm/i.test(c.image ?? '');
        c.server = operatorServer(c, doc, vllm ? 'vllm' : c.server.kind, { model: serve?.model, extraArgs: serve?.extraArgs, tensorParallel: serve?.tensorParallel });
        if (serve?.quantization) c.server.args.quantization ??= serve.quantization;
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
      return { ...base, mode: 'ondelete', strategyLabel: 'RayService upgradeStrategy None', maxSurge: 0, defaultsNote: 'KubeRay neither starts a new RayCluster nor replaces the running pods' };
    }
    if (type === 'NewClusterWithIncrementalUpgrade') {
      const pct = num(get(get(strategy, 'clusterUpgradeOptions', w.doc.doc), 'maxSurgePercent', w.doc.doc)) ?? 100;
      return {
        ...base,
        mode: 'revision',
        strategyLabel: 'RayService NewClusterWithIncrementalUpgrade',
        maxSurge: Math.ceil((pct * replicas) / 100 - 1e-9),
        defaultsNote: `KubeRay starts a new RayCluster and shifts traffic to it in steps (maxSurgePercent ${pct}%)`,
      };
    }
    return {
      ...base,
      mode: 'revision',
      strategyLabel: stated ? 'RayService NewCluster upgrade' : "RayService NewCluster upgrade (KubeRay's default zero-downtime upgrade)",
      maxSurge: replicas,
      defaultsNote: 'KubeRay starts a whole second RayCluster (every worker, every GPU) beside the running one and switches traffic once it serves',
    };
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
