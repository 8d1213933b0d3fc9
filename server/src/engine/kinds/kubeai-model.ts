/**
 * KubeAI Model (kubeai.org/v1): no pod spec in the manifest. The controller creates bare Pods with one container
 * `server` that runs the `engine` (VLLM: `python3 -m vllm.entrypoints.openai.api_server --model=<url ref>
 * --served-model-name=<name>` + `args`; OLlama: `ollama serve`, the model pulled by the startup probe), with `env` (a
 * map) and the requests / limits of `resourceProfile` `<name>:<count>` multiplied by count.
 *
 * Sources (kubeai-project/kubeai @ f442a2cd620cc0c903d0d0a5145bb70fb050503b):
 * - api/k8s/v1/model_types.go:54-72 (url, engine enum OLlama|VLLM|FasterWhisper|Infinity, resourceProfile),
 *   :92-106 (replicas, minReplicas, maxReplicas).
 * - internal/modelcontroller/model_controller.go:47 (container `server`), :274-306 (profile lookup, x count).
 * - charts/kubeai/values.yaml:92-94 (modelRollouts.surge 1), :105-210 (resourceProfiles: nvidia-gpu-* one
 *   nvidia.com/gpu each, amd-gpu-mi300x one amd.com/gpu).
 * - internal/modelcontroller/engine_vllm.go:34-40 (args), :101-138 (startup 5400 x 2 s "3 hours", readiness 3 x 10 s,
 *   liveness 3 x 30 s); engine_ollama.go:101-140 (readiness 3 x 10 s, liveness initialDelay 900 + 3 x 30 s; the
 *   startup probe, initialDelay 1 + 10 x 3 s, pulls the model in an exec with a 10 800 s timeout).
 *   Neither engine sets terminationGracePeriodSeconds or a preStop (Kubernetes' 30 s applies).
 * - internal/modelcontroller/pod_plan.go:21-27,92,125-136: a rollout adds `surge` pods and replaces a Ready
 *   out-of-date pod only once all pods are Ready, one at a time: maxSurge 1, maxUnavailable 0 in Deployment terms.
 */
import { FIELDS, readNumber } from '../fields';
import { isSeq, type Node, type YAMLMap } from 'yaml';
import { get, getPair, num, str, stringMap, type DocModelRef } from '../yaml/nodes';
import { podSpecModel, type AcceleratorModel } from '../model/pod';
import { operatorServer } from '../model/server';
import type { ModelServerKind } from '../types';
import type { KindAdapter } from './types';
import { applyPodDefaults, type PodDefaults } from './operator-defaults';
import { podTopology, synthesizedContainer, valueIn } from './shared';

const SOURCE = 'KubeAI';

/** Every engine's pod mounts /dev/shm from an emptyDir `medium: Memory` (internal/modelcontroller/engine_vllm.go:139-155, engine_*.go). */
const SHM = [{ mountPath: '/dev/shm', source: 'emptyDir', volume: 'dshm' }];

const ENGINES: Record<string, { kind: ModelServerKind; defaults: PodDefaults; quantization?: string }> = {
  VLLM: {
    kind: 'vllm',
    defaults: {
      source: SOURCE,
      startupProbe: { periodSeconds: 2, failureThreshold: 5400 },
      readinessProbe: { periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { periodSeconds: 30, failureThreshold: 3 },
      mounts: SHM,
    },
  },
  OLlama: {
    kind: 'ollama',
    // Ollama pulls GGUF weights: the cost model reads the level from the tag (phi4:14b-q8_0), else assumes Q4_K_M.
    quantization: 'gguf',
    defaults: {
      source: SOURCE,
      // The startup probe runs `ollama pull` (timeout 10 800 s): each attempt may take the whole pull.
      startupProbe: { initialDelaySeconds: 1, periodSeconds: 3, failureThreshold: 10, timeoutSeconds: 10800 },
      readinessProbe: { periodSeconds: 10, failureThreshold: 3 },
      livenessProbe: { initialDelaySeconds: 900, periodSeconds: 30, failureThreshold: 3 },
      mounts: SHM,
    },
  },
};

/** The Helm chart's resource profiles: accelerator resource and the GPU (catalog id) the profile's name says. */
const PROFILES: Record<string, { resource: string; gpu?: string }> = {
  'nvidia-gpu-t4': { resource: 'nvidia.com/gpu', gpu: 'T4' },
  'nvidia-gpu-l4': { resource: 'nvidia.com/gpu', gpu: 'L4' },
  'nvidia-gpu-l40s': { resource: 'nvidia.com/gpu', gpu: 'L40S' },
  'nvidia-gpu-h100': { resource: 'nvidia.com/gpu', gpu: 'H100-SXM' },
  'nvidia-gpu-gh200': { resource: 'nvidia.com/gpu' },
  'nvidia-gpu-a100-80gb': { resource: 'nvidia.com/gpu', gpu: 'A100-SXM-80GB' },
  'nvidia-gpu-a100-40gb': { resource: 'nvidia.com/gpu', gpu: 'A100-SXM-40GB' },
  'nvidia-gpu-a16': { resource: 'nvidia.com/gpu' },
  'nvidia-gpu-rtx4070-8gb': { resource: 'nvidia.com/gpu' },
  'amd-gpu-mi300x': { resource: 'amd.com/gpu', gpu: 'MI300X' },
};

/** `resourceProfile: nvidia-gpu-l4:2` → 2 × nvidia.com/gpu on an L4 (a custom profile named nvidia-... or amd-...: the resource only). */
function profileOf(spec: YAMLMap, doc: DocModelRef): { accelerator?: AcceleratorModel; gpu?: string } {
  const node = get(spec, 'resourceProfile', doc.doc);
  const m = /^([^:]+):(\d+)$/.exec(str(node)?.trim() ?? '');
  if (!m || !node) return {};
  const name = m[1] as string;
  const count = Number(m[2]);
  const p = PROFILES[name] ?? (/^nvidia-/.test(name) ? { resource: 'nvidia.com/gpu' } : /^amd-/.test(name) ? { resource: 'amd.com/gpu' } : undefined);
  if (!p || count <= 0) return {};
  return { accelerator: { resource: p.resource, count, node, from: 'limits' }, gpu: p.gpu };
}

/** `hf://org/model` → org/model, `ollama://name` → name (the model the engine is started with). */
function modelOf(spec: YAMLMap, doc: DocModelRef) {
  const node = get(spec, 'url', doc.doc);
  const ref = /^(?:hf|ollama):\/\/(.+)$/.exec(str(node) ?? '')?.[1];
  return ref ? valueIn(doc, node, ref, 'url') : undefined;
}

/**
 * `features` (enum TextGeneration | TextEmbedding | Reranking | SpeechToText; api/k8s/v1/model_types.go:59-61,146-154
 * @ f442a2cd) lists the APIs the model serves: a Model listing features but not TextGeneration (an OLlama or VLLM
 * embedding model such as manifests/models/nomic-embed-text-cpu.yaml) generates no text. No list: read as an LLM.
 */
function generatesText(spec: YAMLMap, doc: DocModelRef): boolean {
  const features = get(spec, 'features', doc.doc);
  if (!isSeq(features) || features.items.length === 0) return true;
  return features.items.some((f) => str(f as Node) === 'TextGeneration');
}

export const kubeaiModel: KindAdapter = {
  kind: 'Model',
  group: 'kubeai.org',
  apiVersion: /^kubeai\.org\/v1$/,
  instanceNoun: 'replica',
  read(_obj, spec, doc, annotations) {
    const engine = ENGINES[str(get(spec, 'engine', doc.doc)) ?? ''];
    // FasterWhisper and Infinity (speech, embeddings) are not LLM servers: nothing to analyse.
    if (!spec || !engine || !generatesText(spec, doc)) return { templates: [] };
    const { accelerator, gpu } = profileOf(spec, doc);
    const t = podSpecModel({
      spec: undefined,
      templateNode: spec,
      role: 'pod',
      doc,
      workloadAnnotations: annotations,
      extraContainers: (a) => {
        const c = synthesizedContainer({
          name: 'server',
          // Findings about the container point at `engine:` (the manifest has no container).
          anchor: getPair(spec, 'engine')?.key,
          argsNode: get(spec, 'args', doc.doc),
          env: stringMap(get(spec, 'env', doc.doc)),
          annotations: a,
          accelerator,
          ports: [8000],
        });
        c.server = operatorServer(c, doc, engine.kind, { model: modelOf(spec, doc) });
        // With a cacheProfile the operator's load job fills a PVC once and the engine reads the model from it
        // (kubeai-project/kubeai@f442a2cd internal/modelcontroller/engine_vllm.go `--model=` + modelCacheDir,
        // cache.go patchServerCacheVolumes): no download on start.
        if (str(get(spec, 'cacheProfile', doc.doc))) c.modelFetch = false;
        // For an hf:// URL the operator adds HF_TOKEN from its Hugging Face Secret (kubeai-project/kubeai@f442a2cd
        // internal/modelcontroller/model_source.go authForHuggingfaceHub).
        if (/^hf:\/\//.test(str(get(spec, 'url', doc.doc)) ?? '')) c.operatorEnv = ['HF_TOKEN'];
        if (engine.quantization) c.server.args.quantization ??= engine.quantization;
        return [c];
      },
    });
    // The cost model reads the GPU from servelint.io/gpu: the profile names it (unless the Model's annotation does).
    if (gpu && t.annotations['servelint.io/gpu'] === undefined) t.annotations['servelint.io/gpu'] = gpu;
    applyPodDefaults(t, engine.defaults);
    const max = readNumber(get(spec, 'maxReplicas', doc.doc), FIELDS.maxReplicas);
    const min = readNumber(get(spec, 'minReplicas', doc.doc), FIELDS.minReplicas) ?? 0;
    const autoscaled = str(get(spec, 'autoscalingDisabled', doc.doc)) !== 'true';
    return {
      templates: [t],
      operatorCompleted: true,
      // The autoscaler writes `replicas`; until then it runs minReplicas.
      replicasPair: getPair(spec, 'replicas') ?? getPair(spec, 'minReplicas'),
      autoscaler: autoscaled && max !== undefined ? { min, max: Math.max(min, max), source: 'KubeAI Model minReplicas / maxReplicas' } : undefined,
    };
  },
  rollout(_w, replicas) {
    return {
      replicas,
      stableKeptFull: false,
      mode: 'rolling',
      strategyLabel: 'KubeAI surge rollout',
      maxSurge: 1,
      maxUnavailable: 0,
      defaultsNote: 'KubeAI adds modelRollouts.surge (1) pods and replaces a Ready pod only once all pods are Ready',
    };
  },
  topology: (_w, primary) => podTopology(primary),
  zeroDowntimeEdits: () => undefined,
};
