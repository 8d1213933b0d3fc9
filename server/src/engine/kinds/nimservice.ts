/**
 * NVIDIA NIM Operator NIMService (apps.nvidia.com/v1alpha1): no pod spec in the manifest. The operator renders a
 * Deployment whose one container (`<name>-ctr`) runs `spec.image.repository:tag` with `spec.command`, `spec.args`,
 * `spec.env` and `spec.resources`; the pod gets `spec.nodeSelector`, `spec.affinity`, `spec.labels`, `spec.annotations`.
 *
 * Sources (NVIDIA/k8s-nim-operator @ f63f74d7ad22eaea7943cc640e545f4ccdbb8077):
 * - api/apps/v1alpha1/nimservice_types.go:98-142 (fields), :597-599 (container `<name>-ctr`), :647-653
 *   (IsProbeEnabled: probes are on unless `enabled: false`), :664-681 (liveness /v1/health/live 15 + 3 x 10 s),
 *   :691-708 (readiness /v1/health/ready 15 + 3 x 10 s), :718-735 (startup /v1/health/ready 30 + 120 x 10 s),
 *   :1098-1104 (replicas: scale.hpa.minReplicas when scale.enabled, else spec.replicas);
 *   api/apps/v1alpha1/common_types.go:198-212 (scale.hpa.minReplicas default 1, maxReplicas), :215-220 (image).
 * - manifests/deployment.yaml:14-22: strategy hard-coded RollingUpdate, maxUnavailable 25%, maxSurge 0 (the CRD has
 *   no strategy field); manifests/lws.yaml:411-417 (spec.multiNode: a LeaderWorkerSet of
 *   multiNode.parallelism.pipeline pods per group, nimservice_types.go:2160-2165, maxSurge 0 / maxUnavailable 1);
 *   no terminationGracePeriodSeconds and no preStop anywhere in the rendered pod, so Kubernetes'
 *   30 s applies and the container gets SIGTERM with no drain.
 */
import { FIELDS, readNumber } from '../fields';
import type { Node, YAMLMap } from 'yaml';
import { asMap, get, getIn, getPair, num, str, type DocModelRef } from '../yaml/nodes';
import { containerModel, podSpecModel, probe, type ContainerModel } from '../model/pod';
import { operatorServer } from '../model/server';
import { profileOf } from '../servers';
import type { KindAdapter } from './types';
import { applyPodDefaults, type PodDefaults, type ProbeDefault } from './operator-defaults';
import { ONE, PCT25, podTopology, surgeParams, synthesizedContainer, valueIn, ZERO } from './shared';
import { groupTopology } from './leaderworkerset';

const SOURCE = 'NIM Operator';

const PROBES: Record<'readinessProbe' | 'livenessProbe' | 'startupProbe', ProbeDefault> = {
  readinessProbe: { initialDelaySeconds: 15, periodSeconds: 10, failureThreshold: 3 },
  livenessProbe: { initialDelaySeconds: 15, periodSeconds: 10, failureThreshold: 3 },
  startupProbe: { initialDelaySeconds: 30, periodSeconds: 10, failureThreshold: 120 },
};

/** `spec.image` as the operator joins it: repository:tag. */
function imageOf(spec: YAMLMap | undefined, doc: DocModelRef): { image?: string; node?: Node } {
  const image = get(spec, 'image', doc.doc);
  const repoNode = get(image, 'repository', doc.doc);
  const repository = str(repoNode);
  const tag = str(get(image, 'tag', doc.doc));
  return { image: repository ? (tag ? `${repository}:${tag}` : repository) : undefined, node: repoNode };
}

/** The NIM container the operator renders: the spec's command/args/env/resources, the NIMService's own probes. */
function nimContainer(spec: YAMLMap, name: string, doc: DocModelRef, annotations: Record<string, string>): ContainerModel {
  // spec.command / args / env / resources have the corev1.Container layout: read them as a container would be.
  const fields = containerModel(spec, doc, annotations);
  const { image, node: imageNode } = imageOf(spec, doc);
  const c = synthesizedContainer({
    name: `${name}-ctr`,
    // Findings about the container (no grace, no preStop) point at `image:`, the NIMService's container field.
    anchor: getPair(spec, 'image')?.key,
    image,
    imageNode,
    commandNode: fields.commandNode,
    argsNode: fields.argsNode,
    env: fields.env,
    annotations,
    accelerator: fields.accelerator,
    ports: [readNumber(getIn(spec, ['expose', 'service', 'port'], doc.doc), FIELDS.port) ?? 8000],
    // A NIMService probe is {enabled, probe}: `probe` is a corev1.Probe (fixes may edit it in place).
    readinessProbe: probe(asMap(get(spec, 'readinessProbe', doc.doc)), 'probe', doc),
    livenessProbe: probe(asMap(get(spec, 'livenessProbe', doc.doc)), 'probe', doc),
    startupProbe: probe(asMap(get(spec, 'startupProbe', doc.doc)), 'probe', doc),
  });
  const named = image ? profileOf('nim').modelFromImage?.exec(image)?.[1] : undefined;
  c.server = operatorServer(c, doc, 'nim', {
    model: named ? valueIn(doc, imageNode, named, 'image') : undefined,
    tensorParallel: readNumber(getIn(spec, ['multiNode', 'parallelism', 'tensor'], doc.doc), FIELDS.groupSize),
  });
  return c;
}

/** Pods per multi-node group: multiNode.parallelism.pipeline (GetLWSSize). */
function groupSize(spec: YAMLMap, doc: DocModelRef): number | undefined {
  return get(spec, 'multiNode', doc.doc) ? readNumber(getIn(spec, ['multiNode', 'parallelism', 'pipeline'], doc.doc), FIELDS.groupSize) ?? 1 : undefined;
}

/** The probes the operator builds: each unless the NIMService says `enabled: false`. */
function defaults(spec: YAMLMap | undefined, doc: DocModelRef): PodDefaults {
  // The operator always mounts /dev/shm from an emptyDir `medium: Memory` (nimservice_types.go:743-755).
  const d: PodDefaults = { source: SOURCE, mounts: [{ mountPath: '/dev/shm', source: 'emptyDir', volume: 'dshm' }] };
  for (const key of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
    if (str(getIn(spec, [key, 'enabled'], doc.doc)) !== 'false') d[key] = PROBES[key];
  }
  return d;
}

export const nimService: KindAdapter = {
  kind: 'NIMService',
  group: 'apps.nvidia.com',
  apiVersion: /^apps\.nvidia\.com\/v1alpha1$/,
  instanceNoun: 'replica',
  read(obj, spec, doc, annotations) {
    if (!spec) return { templates: [] };
    const t = podSpecModel({
      spec,
      metadata: spec,
      templateNode: spec,
      role: 'pod',
      doc,
      workloadAnnotations: annotations,
      extraContainers: (a) => [nimContainer(spec, obj.name ?? 'nimservice', doc, a)],
    });
    // The NIMService has no terminationGracePeriodSeconds field: no fix may insert one into its spec.
    t.specNode = undefined;
    applyPodDefaults(t, defaults(spec, doc));
    const scale = asMap(get(spec, 'scale', doc.doc));
    // multiNode and an enabled scale are mutually exclusive (XValidation, nimservice_types.go:94).
    if (str(get(scale, 'enabled', doc.doc)) === 'true') {
      const hpa = get(scale, 'hpa', doc.doc);
      const minPair = getPair(hpa, 'minReplicas');
      const min = readNumber(minPair?.value, FIELDS.minReplicas) ?? 1;
      const max = readNumber(get(hpa, 'maxReplicas', doc.doc), FIELDS.maxReplicas);
      return {
        templates: [t],
        operatorCompleted: true,
        replicasPair: minPair,
        autoscaler: max !== undefined ? { min, max: Math.max(min, max), source: 'NIMService spec.scale.hpa' } : undefined,
      };
    }
    return { templates: [t], operatorCompleted: true, replicasPair: getPair(spec, 'replicas'), groupSize: groupSize(spec, doc) };
  },
  rollout(w, replicas) {
    if (get(w.specNode, 'multiNode', w.doc.doc)) {
      return {
        replicas,
        stableKeptFull: false,
        mode: 'rolling',
        strategyLabel: 'NIMService (LeaderWorkerSet) RollingUpdate',
        ...surgeParams(undefined, replicas, ZERO, ONE, false),
        defaultsNote: "the NIM Operator's LeaderWorkerSet hard-codes maxUnavailable 1, maxSurge 0 (whole groups), and NIMService has no field to change it",
      };
    }
    return {
      replicas,
      stableKeptFull: false,
      mode: 'rolling',
      strategyLabel: 'NIMService (Deployment) RollingUpdate',
      // Hard-coded in the operator's manifests/deployment.yaml: maxUnavailable 25%, maxSurge 0 (both 0 → 1 down).
      ...surgeParams(undefined, replicas, ZERO, PCT25, true),
      defaultsNote: "the NIM Operator's Deployment hard-codes maxUnavailable 25%, maxSurge 0, and NIMService has no field to change it",
    };
  },
  topology: (w, primary) => (get(w.specNode, 'multiNode', w.doc.doc) ? groupTopology(w) : podTopology(primary)),
  // No strategy field in the CRD: nothing to edit.
  zeroDowntimeEdits: () => undefined,
};
