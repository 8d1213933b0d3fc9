/** Pod template and container model: typed views over the YAML AST that keep the nodes for ranges and fixes. */
import type { Node, Pair, YAMLMap } from 'yaml';
import { asMap, get, getIn, getPair, items, num, str, stringMap, type DocModelRef } from '../yaml/nodes';
import { detectServer, type ServerModel } from './server';
import { FIELDS, INT32_MAX, readNumber } from '../fields';

export const ACCELERATOR_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu', 'habana.ai/gaudi', 'google.com/tpu', 'aws.amazon.com/neuron'];

/** What to call one unit of an accelerator resource in messages. */
export function acceleratorWord(resource: string | undefined, n: number): string {
  const word = resource === 'google.com/tpu' ? 'TPU chip' : resource === 'aws.amazon.com/neuron' ? 'Neuron device' : resource === 'habana.ai/gaudi' ? 'Gaudi' : 'GPU';
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface ProbeModel {
  /** The probe's key in the manifest; undefined when an operator injects the probe (see `defaultedBy`). */
  pair?: Pair<Node, Node>;
  /** Who sets this probe when the manifest does not: "KServe LLMInferenceService (v0.17+)". */
  defaultedBy?: string;
  node: YAMLMap | undefined;
  initialDelaySeconds: number;
  periodSeconds: number;
  failureThreshold: number;
  /** Seconds before the probe gives up on a container that never answers: initialDelay + failureThreshold × period. */
  budgetSeconds: number;
}

export interface PreStopModel {
  /** The preStop key in the manifest; undefined when an operator injects the hook (see `defaultedBy`). */
  pair?: Pair<Node, Node>;
  defaultedBy?: string;
  /** Seconds the hook sleeps (sum of `sleep N` found, or sleep.seconds). */
  sleepSeconds?: number;
  sleepNode?: Node;
}

export interface AcceleratorModel {
  resource: string;
  count: number;
  node: Node;
  from: 'limits' | 'requests';
}

export interface ModelFetch {
  /** Who downloads, as messages say it: "KServe's storage-initializer". */
  by: string;
  /** Where it downloads to, and why there. */
  dir: string;
  from: string;
  /** What to do instead, as a sentence. */
  remedy: string;
}

export interface ContainerModel {
  name: string;
  nameNode: Node | undefined;
  node: YAMLMap;
  image?: string;
  imageNode?: Node;
  commandNode?: Node;
  argsNode?: Node;
  /** Environment the server sees: `env`, plus `envFrom` ConfigMaps of the same input once linked (env wins). */
  env: Record<string, string>;
  /** The container's own `env` entries. */
  ownEnv: Record<string, string>;
  /** `envFrom[].configMapRef` names (with their prefix), resolved against ConfigMaps in the same input. */
  envFrom: { configMap: string; prefix: string }[];
  /** What server detection needs to run again when linking changes `env`. */
  annotations: Record<string, string>;
  /** Another object supplies the rest of this container (image, volumes): "its ServingRuntime". */
  completedBy?: string;
  /** Volumes an operator mounts into the container whatever the manifest says (see kinds/operator-defaults.ts). */
  implicitMounts?: { mountPath: string; source: string; volume: string }[];
  /**
   * How the served model reaches the pod when an operator fetches it rather than the server (KServe's
   * storage-initializer for `hf://` URIs), or `false` when the operator serves it from storage that outlives the pod
   * (a `pvc://` URI). Undefined: the server itself downloads a Hub id, if it names one.
   */
  modelFetch?: ModelFetch | false;
  /** Environment variables an operator adds to the container from its own Secrets (KubeAI's HF_TOKEN), by name. */
  operatorEnv?: string[];
  /** Made the server by `servelint.io/model-server` because no container of the pod was detected. */
  forced?: boolean;
  accelerator?: AcceleratorModel;
  ports: number[];
  preStop?: PreStopModel;
  lifecyclePair?: Pair<Node, Node>;
  readinessProbe?: ProbeModel;
  livenessProbe?: ProbeModel;
  startupProbe?: ProbeModel;
  server?: ServerModel;
}

export interface PodTemplateModel {
  role: 'pod' | 'leader' | 'worker';
  /** The document that holds the template (a Rollout's workloadRef template lives in another document). */
  doc: DocModelRef;
  templateNode: YAMLMap;
  specNode: YAMLMap | undefined;
  annotations: Record<string, string>;
  /** The pod template's labels (what Services and PodDisruptionBudgets select). */
  labels: Record<string, string>;
  gracePair?: Pair<Node, Node>;
  graceSeconds?: number;
  /** The grace period an operator sets when the manifest does not (otherwise Kubernetes' 30 s applies). */
  graceDefault?: { seconds: number; source: string };
  nodeSelector: { key: string; value: string; node: Node }[];
  requiredAffinity: { key: string; operator: string; values: string[]; node: Node }[];
  containers: ContainerModel[];
}

export function probe(container: YAMLMap | undefined, key: string, doc: DocModelRef): ProbeModel | undefined {
  const pair = getPair(container, key);
  // `readinessProbe:` with nothing under it (null) is no probe to Kubernetes; a scalar or list is not one either (the
  // API server rejects it). A fix that adds the probe replaces such an entry (edits.ts insertIntoMap).
  const node = asMap(pair?.value);
  if (!pair || !node) return undefined;
  const initialDelaySeconds = readNumber(get(node, 'initialDelaySeconds', doc.doc), FIELDS.initialDelaySeconds) ?? 0;
  const periodSeconds = readNumber(get(node, 'periodSeconds', doc.doc), FIELDS.periodSeconds) ?? 10;
  const failureThreshold = readNumber(get(node, 'failureThreshold', doc.doc), FIELDS.failureThreshold) ?? 3;
  return {
    pair,
    node,
    initialDelaySeconds,
    periodSeconds,
    failureThreshold,
    budgetSeconds: initialDelaySeconds + failureThreshold * periodSeconds,
  };
}

/** Seconds slept by a preStop hook: `sleep.seconds`, or `sleep N` in an exec command (also inside sh -c). */
function preStop(container: YAMLMap, doc: DocModelRef): { lifecyclePair?: Pair<Node, Node>; preStop?: PreStopModel } {
  const lifecyclePair = getPair(container, 'lifecycle');
  const pair = getPair(lifecyclePair?.value, 'preStop');
  if (!pair) return { lifecyclePair };
  const sleepSecondsNode = getIn(pair.value, ['sleep', 'seconds'], doc.doc);
  const direct = readNumber(sleepSecondsNode, FIELDS.sleepSeconds);
  if (direct !== undefined) return { lifecyclePair, preStop: { pair, sleepSeconds: direct, sleepNode: sleepSecondsNode } };
  const command = get(getIn(pair.value, ['exec'], doc.doc), 'command', doc.doc);
  let total = 0;
  let found = false;
  let sleepNode: Node | undefined;
  for (const item of items(command)) {
    const s = str(item);
    if (!s) continue;
    // `sleep 30`, `sleep 30s`, `/bin/sleep 30`, within scripts too; a bare "30" after a "sleep" item.
    for (const m of s.matchAll(/(?:^|[\s;&|(])(?:\/bin\/|\/usr\/bin\/)?sleep\s+(\d+(?:\.\d+)?)(s|m)?\b/g)) {
      total += Number(m[1]) * (m[2] === 'm' ? 60 : 1);
      found = true;
      sleepNode ??= item;
    }
  }
  const list = items(command).map(str);
  list.forEach((s, i) => {
    if (s && /(^|\/)sleep$/.test(s) && i + 1 < list.length && /^\d+(\.\d+)?$/.test(list[i + 1] ?? '')) {
      total += Number(list[i + 1]);
      found = true;
      sleepNode ??= items(command)[i + 1];
    }
  });
  // A sleep longer than any grace period Kubernetes can hold (int32 seconds) is not a number to compute with.
  return { lifecyclePair, preStop: { pair, sleepSeconds: found && total <= INT32_MAX ? total : undefined, sleepNode } };
}

function accelerator(container: YAMLMap, doc: DocModelRef): AcceleratorModel | undefined {
  for (const from of ['limits', 'requests'] as const) {
    const m = getIn(container, ['resources', from], doc.doc);
    for (const resource of ACCELERATOR_RESOURCES) {
      const node = get(m, resource, doc.doc);
      if (!node) continue;
      const raw = str(node);
      const count = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : NaN;
      if (count > INT32_MAX) continue;
      if (Number.isFinite(count) && count > 0) return { resource, count, node, from };
    }
  }
  return undefined;
}

function envMap(container: YAMLMap, doc: DocModelRef): Record<string, string> {
  const env: Record<string, string> = {};
  for (const item of items(get(container, 'env', doc.doc))) {
    const name = str(get(item, 'name', doc.doc));
    const value = str(get(item, 'value', doc.doc));
    if (name && value !== undefined) env[name] = value;
  }
  return env;
}

function envFromRefs(container: YAMLMap, doc: DocModelRef): ContainerModel['envFrom'] {
  const refs: ContainerModel['envFrom'] = [];
  for (const item of items(get(container, 'envFrom', doc.doc))) {
    const name = str(getIn(item, ['configMapRef', 'name'], doc.doc));
    if (name) refs.push({ configMap: name, prefix: str(get(item, 'prefix', doc.doc)) ?? '' });
  }
  return refs;
}

export function containerModel(node: YAMLMap, doc: DocModelRef, annotations: Record<string, string>): ContainerModel {
  const nameNode = get(node, 'name', doc.doc);
  const imageNode = get(node, 'image', doc.doc);
  const c: ContainerModel = {
    name: str(nameNode) ?? '(unnamed)',
    nameNode,
    node,
    image: str(imageNode),
    imageNode,
    commandNode: get(node, 'command', doc.doc),
    argsNode: get(node, 'args', doc.doc),
    env: envMap(node, doc),
    ownEnv: {},
    envFrom: envFromRefs(node, doc),
    annotations,
    accelerator: accelerator(node, doc),
    ports: items(get(node, 'ports', doc.doc))
      .map((p) => num(get(p, 'containerPort', doc.doc)))
      .filter((p): p is number => p !== undefined),
    readinessProbe: probe(node, 'readinessProbe', doc),
    livenessProbe: probe(node, 'livenessProbe', doc),
    startupProbe: probe(node, 'startupProbe', doc),
    ...preStop(node, doc),
  };
  c.ownEnv = c.env;
  c.server = detectServer(c, doc, annotations);
  return c;
}

function nodeAffinity(spec: YAMLMap | undefined, doc: DocModelRef): PodTemplateModel['requiredAffinity'] {
  const terms = getIn(
    spec,
    ['affinity', 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms'],
    doc.doc,
  );
  const out: PodTemplateModel['requiredAffinity'] = [];
  for (const term of items(terms)) {
    for (const expr of items(get(term, 'matchExpressions', doc.doc))) {
      const key = str(get(expr, 'key', doc.doc));
      const operator = str(get(expr, 'operator', doc.doc)) ?? '';
      const valuesNode = get(expr, 'values', doc.doc);
      const values = items(valuesNode).map(str).filter((v): v is string => v !== undefined);
      if (key) out.push({ key, operator, values, node: (items(valuesNode)[0] ?? expr) as Node });
    }
  }
  return out;
}

export interface PodSpecInput {
  /** The map that holds the pod spec fields (containers, terminationGracePeriodSeconds, ...). */
  spec: YAMLMap | undefined;
  /** The map that holds the pod's `labels` and `annotations` (a PodTemplateSpec's metadata), if any. */
  metadata?: YAMLMap;
  /** The node the template is anchored to (a PodTemplateSpec, or the CRD field that holds the spec). */
  templateNode: YAMLMap;
  role: PodTemplateModel['role'];
  doc: DocModelRef;
  workloadAnnotations: Record<string, string>;
  /** Containers an operator builds from its own fields (NIMService, KubeAI Model), besides `spec.containers`. */
  extraContainers?: (annotations: Record<string, string>) => ContainerModel[];
}

/**
 * A pod spec wherever a kind keeps it: a PodTemplateSpec (`template.spec`), a bare PodSpec (KServe's predictor,
 * LLMInferenceService `template`), or an operator's own fields turned into containers.
 */
export function podSpecModel(input: PodSpecInput): PodTemplateModel {
  const { spec: specNode, doc } = input;
  const annotations = Object.assign({}, input.workloadAnnotations, stringMap(get(input.metadata, 'annotations', doc.doc)));
  const gracePair = getPair(specNode, 'terminationGracePeriodSeconds');
  const nsNode = get(specNode, 'nodeSelector', doc.doc);
  const nodeSelector: PodTemplateModel['nodeSelector'] = [];
  for (const item of asMap(nsNode)?.items ?? []) {
    const key = str(item.key);
    const value = str(item.value);
    if (key && value !== undefined) nodeSelector.push({ key, value, node: item.value as Node });
  }
  const containers = [
    ...items(get(specNode, 'containers', doc.doc))
      .map((n) => asMap(n))
      .filter((n): n is YAMLMap => n !== undefined)
      .map((n) => containerModel(n, doc, annotations)),
    ...(input.extraContainers?.(annotations) ?? []),
  ];
  // servelint.io/model-server "true" or a kind, and no container detected: the first container is the server.
  const first = containers[0];
  if (first && !containers.some((c) => c.server)) {
    const server = detectServer(first, doc, annotations, true);
    if (server) {
      first.server = server;
      first.forced = true;
    }
  }
  return {
    role: input.role,
    doc,
    templateNode: input.templateNode,
    specNode,
    annotations,
    labels: stringMap(get(input.metadata, 'labels', doc.doc)),
    gracePair,
    graceSeconds: readNumber(gracePair?.value, FIELDS.terminationGracePeriodSeconds),
    nodeSelector,
    requiredAffinity: nodeAffinity(specNode, doc),
    containers,
  };
}

/** A PodTemplateSpec: `metadata` (labels, annotations) and `spec`. */
export function podTemplateModel(
  templateNode: YAMLMap,
  role: PodTemplateModel['role'],
  doc: DocModelRef,
  workloadAnnotations: Record<string, string>,
): PodTemplateModel {
  return podSpecModel({
    spec: asMap(get(templateNode, 'spec', doc.doc)),
    metadata: asMap(get(templateNode, 'metadata', doc.doc)),
    templateNode,
    role,
    doc,
    workloadAnnotations,
  });
}

/** GPUs (or other accelerators) per pod: the sum of the model-server containers' accelerator limits. */
export function acceleratorsPerPod(t: PodTemplateModel): { resource: string; count: number } | undefined {
  let count = 0;
  let resource: string | undefined;
  for (const c of t.containers) {
    if (c.accelerator) {
      count += c.accelerator.count;
      resource ??= c.accelerator.resource;
    }
  }
  return resource ? { resource, count } : undefined;
}

/** A model-server container in its pod template. */
export interface ServingUnit {
  template: PodTemplateModel;
  container: ContainerModel;
  server: ServerModel;
}
