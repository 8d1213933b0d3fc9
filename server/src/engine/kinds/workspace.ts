/**
 * KAITO Workspace (kaito.sh/v1beta1, v1alpha1): `resource` and `inference` sit beside `metadata` (no `spec`).
 * `resource.instanceType` is the GPU node SKU; `inference.preset.name` a model KAITO knows, or `inference.template` a
 * PodTemplateSpec for a custom model. Either way KAITO renders a StatefulSet.
 *
 * Sources (kaito-project/kaito @ 056b8280b1a8debf644bc6f4399e913a1f9c7e70):
 * - api/v1beta1/workspace_types.go:26-52 (resource.instanceType, labelSelector; count deprecated), :97-148
 *   (inference.preset.name, template), :298-306 (top-level fields).
 * - api/v1beta1/labels.go:118-137 (runtime: vLLM unless annotation kaito.sh/runtime: transformers, or the vLLM
 *   feature gate is off).
 * - pkg/workspace/inference/preset_inferences.go:50-112 (preset probes on /health at the inference port 5000:
 *   liveness 3 x 10 s, readiness initialDelay 30 + 3 x 10 s, startup period 10 with failureThreshold =
 *   timeout / 10 s, the timeout being the model's ReadinessTimeout or 30 min), :243-289 (a StatefulSet for every
 *   preset; the template path renders one too, pkg/workspace/manifests/manifests.go:277);
 *   manifests.go:135-170 (GenerateStatefulSetManifest sets no updateStrategy: Kubernetes' RollingUpdate, one pod at
 *   a time, deleted before its replacement starts).
 * Not modelled: a preset model's own ReadinessTimeout (30 min assumed), how many nodes KAITO spreads a preset over.
 */
import { asMap, get, getPair, str } from '../yaml/nodes';
import { podSpecModel, podTemplateModel, type PodTemplateModel } from '../model/pod';
import { operatorServer } from '../model/server';
import { defaultGpuCatalog, findInstanceType } from '../cost/gpu-catalog';
import type { KindAdapter } from './types';
import { applyPodDefaults, type PodDefaults } from './operator-defaults';
import { podTopology, synthesizedContainer, valueIn } from './shared';
import { statefulSet } from './statefulset';

const PRESET_DEFAULTS: PodDefaults = {
  source: 'KAITO preset',
  livenessProbe: { periodSeconds: 10, failureThreshold: 3 },
  readinessProbe: { initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 3 },
  startupProbe: { periodSeconds: 10, failureThreshold: 180 },
};

export const kaitoWorkspace: KindAdapter = {
  kind: 'Workspace',
  group: 'kaito.sh',
  apiVersion: /^kaito\.sh\/v1(alpha1|beta1)$/,
  instanceNoun: 'replica',
  read(obj, _spec, doc, annotations) {
    const resource = get(obj.node, 'resource', doc.doc);
    const inference = asMap(get(obj.node, 'inference', doc.doc));
    if (!inference) return { templates: [] };
    const itNode = get(resource, 'instanceType', doc.doc);
    const instanceType = str(itNode);
    const template = asMap(get(inference, 'template', doc.doc));
    let t: PodTemplateModel;
    if (template) {
      t = podTemplateModel(template, 'pod', doc, annotations);
    } else {
      const preset = get(inference, 'preset', doc.doc);
      const nameNode = get(preset, 'name', doc.doc);
      const name = str(nameNode);
      if (!name) return { templates: [] };
      const it = instanceType ? findInstanceType(instanceType, defaultGpuCatalog()) : undefined;
      const runtime = annotations['kaito.sh/runtime'] === 'transformers' ? 'unknown' : 'vllm';
      t = podSpecModel({
        spec: undefined,
        templateNode: inference,
        role: 'pod',
        doc,
        workloadAnnotations: annotations,
        extraContainers: (a) => {
          const c = synthesizedContainer({
            name: obj.name ?? 'workspace',
            // Findings about the container point at `preset: name:` (the manifest has no container).
            anchor: getPair(preset, 'name')?.key,
            env: {},
            annotations: a,
            // The instance type's GPUs (catalog), all of them: KAITO gives the node to the model.
            accelerator: it && itNode ? { resource: 'nvidia.com/gpu', count: it.count, node: itNode, from: 'limits' } : undefined,
            ports: [5000],
          });
          c.server = operatorServer(c, doc, runtime, { model: valueIn(doc, nameNode, name, 'inference.preset.name') });
          return [c];
        },
      });
      applyPodDefaults(t, PRESET_DEFAULTS);
    }
    // KAITO provisions (or selects) nodes of resource.instanceType: the cost model reads the GPU from that label.
    if (instanceType && itNode) t.nodeSelector.push({ key: 'node.kubernetes.io/instance-type', value: instanceType, node: itNode });
    return { templates: [t], operatorCompleted: !template, replicasPair: undefined };
  },
  rollout(w, replicas) {
    return Object.assign({}, statefulSet.rollout(w, replicas), { strategyLabel: 'KAITO Workspace (StatefulSet) RollingUpdate' });
  },
  topology: (_w, primary) => podTopology(primary),
  zeroDowntimeEdits: () => undefined,
};
