/**
 * What KServe's InferenceService and ServingRuntimes share: deployment modes, the model container, the pod defaults.
 *
 * Sources (kserve/kserve @ aaac4e294dae2c7b1aa1886447793f3aa1c30912):
 * - pkg/constants/constants.go:115 (annotation serving.kserve.io/deploymentMode), :225 (DefaultMinReplicas 1),
 *   :563-588 (RawDeployment → Standard, Serverless → Knative); config/configmap/inferenceservice.yaml:744-746 (the
 *   shipped default mode is Serverless, i.e. Knative).
 * - pkg/controller/v1beta1/inferenceservice/reconcilers/deployment/deployment_reconciler.go:276-359 (raw mode: grace
 *   30 s, a TCP readiness probe on kserve-container when it has none, no preStop / startup / liveness probe,
 *   RollingUpdate 25% / 25% unless predictor.deploymentStrategy).
 * Knative (knative/serving pkg/reconciler/revision/resources/deploy.go BuildPodSpec): the pod's
 * terminationGracePeriodSeconds is the revision's timeoutSeconds (KServe: predictor.timeout), default 300 s
 * (config/core/configmaps/defaults.yaml revision-timeout-seconds); a revision without a readinessProbe gets a TCP
 * probe on the user port; the user container gets a preStop hook that waits for the queue-proxy to drain in-flight
 * requests (same file, userLifecycle → queue.RequestQueueDrainPath); a new revision starts beside the old one and
 * receives traffic once ready.
 */
import type { YAMLMap } from 'yaml';
import { asMap, get, getIn, getPair, nodeRange, str, type DocModelRef } from '../yaml/nodes';
import { FIELDS, readNumber } from '../fields';
import { containerModel, type ContainerModel, type ModelFetch } from '../model/pod';
import { operatorServer } from '../model/server';
import type { FlagValue } from '../model/args';
import type { ModelServerKind } from '../types';
import type { PodDefaults } from './operator-defaults';

export type KServeMode = 'raw' | 'knative';

/** The deployment mode the annotation names; without one, KServe's shipped default (Serverless = Knative). */
export function deploymentMode(annotations: Record<string, string>): { mode: KServeMode; stated: boolean } {
  const v = annotations['serving.kserve.io/deploymentMode']?.trim();
  if (v === undefined || v === '') return { mode: 'knative', stated: false };
  return { mode: /^(RawDeployment|Standard)$/i.test(v) ? 'raw' : 'knative', stated: true };
}

/**
 * The model directory KServe mounts into kserve-container: the storage initializer fills it from `storageUri`
 * (pkg/constants/constants.go DefaultModelLocalMountPath "/mnt/models"; an emptyDir, filled on every start).
 */
export const MODEL_MOUNT = { mountPath: '/mnt/models', source: 'emptyDir', volume: 'kserve-provision-location' };

/**
 * An `hf://` URI is downloaded by KServe's storage-initializer init container into MODEL_MOUNT on every start, not by
 * the server (InferenceService: pkg/webhook/admission/pod/storage_initializer_injector.go; LLMInferenceService:
 * pkg/controller/v1alpha2/llmisvc/workload_storage.go attachHfModelArtifact; kserve/kserve@aaac4e29). Other URIs
 * (pvc://, oci://, s3://, gs://) are not Hub downloads by the server: `false`.
 */
export function storageInitializerFetch(uri: string | undefined, disabled = false): ModelFetch | false {
  if (!uri || !/^hf:\/\//.test(uri) || disabled) return false;
  return {
    by: "KServe's storage-initializer",
    dir: MODEL_MOUNT.mountPath,
    from: 'the init container KServe adds for hf:// URIs',
    remedy:
      'Pre-load the weights into a PersistentVolumeClaim and serve them from a pvc:// URI, or cache them on the nodes with a KServe LocalModelCache.',
  };
}

export function podDefaults(mode: KServeMode, timeoutSeconds: number | undefined, stated: boolean): PodDefaults {
  const readiness = { periodSeconds: 10, failureThreshold: 3 };
  if (mode === 'raw') return { source: 'KServe raw deployment', readinessProbe: readiness, mounts: [MODEL_MOUNT] };
  // Knative's user-container preStop calls the queue-proxy's drain endpoint: it waits for in-flight requests.
  return {
    source: stated ? 'Knative' : "Knative (KServe's default Serverless mode)",
    graceSeconds: timeoutSeconds ?? 300,
    preStopSleepSeconds: 0,
    readinessProbe: readiness,
    mounts: [MODEL_MOUNT],
  };
}

/** The server a runtime's model format runs: KServe's Hugging Face server, NVIDIA NIM, vLLM. */
function formatServer(format: string | undefined, runtime: string | undefined): ModelServerKind | undefined {
  const f = `${format ?? ''} ${runtime ?? ''}`.toLowerCase();
  if (/nvidia-nim|(^|\W)nim(\W|$)/.test(f)) return 'nim';
  if (/vllm/.test(f)) return 'vllm';
  if (/huggingface/.test(f)) return 'kserve-huggingface';
  return undefined;
}

/**
 * The model a `storageUri` or a NIM model format names: `hf://org/name` as the Hub id, any other URI
 * (`s3://bucket/models/Llama-3.1-8B-Instruct`, `gs://`, `pvc://`) whole, for the cost model to read its last segment.
 */
function modelOf(model: YAMLMap, doc: DocModelRef): FlagValue | undefined {
  const uriNode = get(model, 'storageUri', doc.doc);
  const uri = str(uriNode) ?? '';
  const formatNode = getIn(model, ['modelFormat', 'name'], doc.doc);
  const nim = /^nvidia-nim-(.+)$/.exec(str(formatNode) ?? '')?.[1];
  // A NIM model format names the model better than its cache volume (pvc://nvidia-nim-pvc/).
  const hf = /^hf:\/\/(.+)$/.exec(uri)?.[1] ?? (!nim && /^[a-z][a-z0-9+.-]*:\/\/./i.test(uri) ? uri : undefined);
  const value = hf ?? nim;
  const node = hf ? uriNode : formatNode;
  if (!value) return undefined;
  const r = nodeRange(node);
  const at = r ? doc.text.indexOf(value, r[0]) : -1;
  return { value, token: at >= 0 ? { value, node, start: at, end: at + value.length } : { value }, flag: hf ? 'storageUri' : 'modelFormat' };
}

/** `predictor.model` is a container (KServe inlines corev1.Container) completed by the runtime: name kserve-container. */
export function modelContainer(predictor: YAMLMap | undefined, doc: DocModelRef, annotations: Record<string, string>): ContainerModel[] {
  const model = asMap(get(predictor, 'model', doc.doc)) ?? asMap(get(predictor, 'huggingface', doc.doc));
  if (!model) return [];
  const c = containerModel(model, doc, annotations);
  c.name = str(get(model, 'name', doc.doc)) ?? 'kserve-container';
  c.completedBy = 'its ServingRuntime';
  // Findings about the container point at `model:` (it has no name of its own).
  c.nameNode = get(model, 'name', doc.doc) ?? (getPair(predictor, 'model') ?? getPair(predictor, 'huggingface'))?.key ?? undefined;
  const kind = formatServer(str(getIn(model, ['modelFormat', 'name'], doc.doc)) ?? (get(predictor, 'huggingface', doc.doc) ? 'huggingface' : undefined), str(get(model, 'runtime', doc.doc)));
  if (kind && !c.image) {
    c.server = operatorServer(c, doc, kind, { model: modelOf(model, doc) });
    c.modelFetch = storageInitializerFetch(str(get(model, 'storageUri', doc.doc)));
  }
  return [c];
}

export function timeoutOf(predictor: unknown, doc: DocModelRef): number | undefined {
  return readNumber(get(predictor, 'timeout', doc.doc), FIELDS.terminationGracePeriodSeconds);
}
