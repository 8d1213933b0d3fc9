/**
 * KServe LLMInferenceService (serving.kserve.io v1alpha1 / v1alpha2): `spec.template` is a PodSpec (container `main`,
 * completed by the operator's preset, which runs `vllm serve /mnt/models`), `spec.worker` makes it multi-node (a
 * LeaderWorkerSet), `spec.model.uri` / `name` name the model, `spec.parallelism` the layout, `spec.replicas` or
 * `spec.scaling` the replicas.
 *
 * Sources (kserve/kserve @ aaac4e294dae2c7b1aa1886447793f3aa1c30912, v0.20.0+):
 * - pkg/apis/serving/v1alpha2/llm_inference_service_types.go (fields), llm_inference_service_types_func.go:98-113
 *   (GetSize: data / dataLocal, else pipeline).
 * - config/llmisvcconfig/config-llm-template.yaml (the single-node preset): terminationGracePeriodSeconds 60 and
 *   preStop `sleep 15` (since v0.19.0, kserve#5485), startupProbe 60 x 10 s (since v0.17.0, kserve#5063), liveness
 *   period 10 / failure 10 and readiness period 1 / failure 2 (v0.20.0, kserve#5602, #5677), `exec vllm serve` with
 *   `--tensor-parallel-size {{ parallelism.tensor }}` and `${VLLM_ADDITIONAL_ARGS}`.
 * - pkg/controller/v1alpha2/llmisvc/workload_single_node.go:122-136 (no rolloutStrategy: the Deployment keeps
 *   Kubernetes' defaults); workload_multi_node.go:171-186 (LeaderWorkerSet, maxUnavailable 1 / maxSurge 0).
 */
import type { Node } from 'yaml';
import { asMap, get, getIn, getPair, nodeRange, str, type DocModelRef } from '../yaml/nodes';
import { FIELDS, readNumber } from '../fields';
import { setKeys } from '../edits';
import { podSpecModel, type ModelFetch, type PodTemplateModel } from '../model/pod';
import { MODEL_MOUNT, storageInitializerFetch } from './kserve';
import { operatorServer } from '../model/server';
import type { FlagValue } from '../model/args';
import type { KindAdapter } from './types';
import { applyPodDefaults, type PodDefaults } from './operator-defaults';
import { groupTopology } from './leaderworkerset';
import { ONE, PCT25, podTopology, surgeParams, ZERO, ZERO_DOWN_KEYS } from './shared';

const SOURCE = 'KServe LLMInferenceService v0.19+';

const DEFAULTS: PodDefaults = {
  source: SOURCE,
  graceSeconds: 60,
  preStopSleepSeconds: 15,
  startupProbe: { periodSeconds: 10, failureThreshold: 60 },
  livenessProbe: { periodSeconds: 10, failureThreshold: 10 },
  readinessProbe: { periodSeconds: 1, failureThreshold: 2 },
  // The preset mounts /dev/shm (emptyDir medium Memory, 1Gi) and the Hub cache /models (HF_HUB_CACHE, an emptyDir)
  // (config-llm-template.yaml volumeMounts); for hf:// and s3:// URIs the controller adds the storage-initializer's
  // emptyDir at /mnt/models (pkg/controller/v1alpha2/llmisvc/workload_storage.go attachStorageInitializer,
  // pkg/utils/storage.go AddEmptyDirVolumeIfNotPresent; kserve/kserve@aaac4e29).
  mounts: [{ mountPath: '/dev/shm', source: 'emptyDir', volume: 'dshm' }, { mountPath: '/models', source: 'emptyDir', volume: 'model-cache' }, MODEL_MOUNT],
};

/** The model the preset serves: `hf://org/model` → org/model, else `spec.model.name`. */
function modelOf(spec: unknown, doc: DocModelRef): FlagValue | undefined {
  const uriNode = getIn(spec, ['model', 'uri'], doc.doc);
  const uri = str(uriNode);
  const hf = uri ? /^hf:\/\/(.+)$/.exec(uri)?.[1] : undefined;
  const nameNode = getIn(spec, ['model', 'name'], doc.doc);
  const name = str(nameNode);
  const pick = hf ? { value: hf, node: uriNode, skip: uri!.length - hf.length } : name ? { value: name, node: nameNode, skip: 0 } : undefined;
  if (!pick) return undefined;
  const r = nodeRange(pick.node);
  const at = r ? doc.text.indexOf(pick.value, r[0]) : -1;
  const token = at >= 0 ? { value: pick.value, node: pick.node as Node, start: at, end: at + pick.value.length } : { value: pick.value };
  return { value: pick.value, token, flag: hf ? 'spec.model.uri' : 'spec.model.name' };
}

/** For an hf:// URI KServe's storage-initializer downloads the model, unless `spec.storageInitializer.enabled` is false. */
function modelFetchOf(spec: unknown, doc: DocModelRef): ModelFetch | false {
  const disabled = str(getIn(spec, ['storageInitializer', 'enabled'], doc.doc)) === 'false';
  return storageInitializerFetch(str(getIn(spec, ['model', 'uri'], doc.doc)), disabled);
}

/** Pods per multi-node instance, as the controller sizes the LeaderWorkerSet. */
function groupSize(spec: unknown, doc: DocModelRef): number {
  const p = get(spec, 'parallelism', doc.doc);
  const data = readNumber(get(p, 'data', doc.doc), FIELDS.minReplicas) ?? 0;
  const dataLocal = readNumber(get(p, 'dataLocal', doc.doc), FIELDS.minReplicas) ?? 0;
  if (data > 0 || dataLocal > 0) return Math.max(1, Math.floor(Math.max(data || 1, 1) / Math.max(dataLocal || 1, 1)));
  return Math.max(1, readNumber(get(p, 'pipeline', doc.doc), FIELDS.groupSize) ?? 1);
}

function template(node: unknown, role: PodTemplateModel['role'], spec: unknown, doc: DocModelRef, annotations: Record<string, string>): PodTemplateModel | undefined {
  const map = asMap(node);
  if (!map) return undefined;
  const t = podSpecModel({ spec: map, templateNode: map, role, doc, workloadAnnotations: annotations });
  // The preset's container `main` (or the only one) is vLLM, whatever the manifest's partial container says. An
  // image of its own without a command keeps the preset's `vllm serve` (kserve/kserve
  // docs/samples/llmisvc/multi-gpu-vendor/llm-inference-service-qwen2-7b-amd-no-scheduler.yaml sets only the image,
  // ghcr.io/llm-d/llm-d-rocm, and the resources of `main`); a command of its own replaces it.
  const main = t.containers.find((c) => c.name === 'main') ?? (t.containers.length === 1 ? t.containers[0] : undefined);
  if (main && (!main.image || !main.commandNode) && role !== 'worker') {
    main.server = operatorServer(main, doc, 'vllm', {
      extraArgs: main.env.VLLM_ADDITIONAL_ARGS,
      model: modelOf(spec, doc),
      tensorParallel: readNumber(getIn(spec, ['parallelism', 'tensor'], doc.doc), FIELDS.groupSize),
    });
    main.modelFetch = modelFetchOf(spec, doc);
  }
  return applyPodDefaults(t, DEFAULTS);
}

export const llmInferenceService: KindAdapter = {
  kind: 'LLMInferenceService',
  group: 'serving.kserve.io',
  apiVersion: /^serving\.kserve\.io\/v1alpha[12]$/,
  instanceNoun: 'replica',
  read(_obj, spec, doc, annotations) {
    const worker = get(spec, 'worker', doc.doc);
    const templates = [
      template(get(spec, 'template', doc.doc), worker ? 'leader' : 'pod', spec, doc, annotations),
      template(worker, 'worker', spec, doc, annotations),
    ].filter((t): t is PodTemplateModel => t !== undefined);
    const scaling = asMap(get(spec, 'scaling', doc.doc));
    const max = readNumber(get(scaling, 'maxReplicas', doc.doc), FIELDS.maxReplicas);
    return {
      templates,
      groupSize: worker ? groupSize(spec, doc) : 1,
      operatorCompleted: true,
      replicasPair: getPair(spec, 'replicas') ?? getPair(scaling, 'minReplicas'),
      autoscaler: scaling && max !== undefined ? { min: readNumber(get(scaling, 'minReplicas', doc.doc), FIELDS.minReplicas) ?? 1, max, source: 'LLMInferenceService spec.scaling' } : undefined,
    };
  },
  rollout(w, replicas) {
    const strategyPair = getPair(w.specNode, 'rolloutStrategy');
    const strategy = asMap(strategyPair?.value);
    const multiNode = w.templates.some((t) => t.role === 'worker');
    return {
      replicas,
      stableKeptFull: false,
      mode: 'rolling',
      strategyLabel: multiNode ? 'LLMInferenceService (LeaderWorkerSet) RollingUpdate' : 'LLMInferenceService (Deployment) RollingUpdate',
      strategyPair,
      ...(multiNode ? surgeParams(strategy, replicas, ZERO, ONE, false) : surgeParams(strategy, replicas, PCT25, PCT25, true)),
      defaultsNote: multiNode
        ? 'multi-node LLMInferenceService: a LeaderWorkerSet with maxUnavailable 1, maxSurge 0'
        : 'the controller creates a Deployment without a strategy, so Kubernetes defaults apply: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down)',
    };
  },
  topology: (w, primary) => (w.templates.some((t) => t.role === 'worker') ? groupTopology(w) : podTopology(primary)),
  // spec.rolloutStrategy is in KServe's main branch but in no release yet: offered only where the manifest uses it.
  zeroDowntimeEdits: (w, r) => (r.paramsMap ? setKeys(w.doc, r.paramsMap, ZERO_DOWN_KEYS) : undefined),
};
