/**
 * Where a model server gets its weights and credentials: env entries with their YAML nodes, volume mounts and the
 * volumes behind them, Hub ids versus local paths, Hub tokens. Shared by plaintext-secret, gated-model-without-token,
 * weights-downloaded-on-start and model-path-not-mounted.
 */
import type { Node, Pair } from 'yaml';
import type { ContainerModel, ServingUnit } from '../engine/model/pod';
import type { FlagValue } from '../engine/model/args';
import { containerLoc } from './helpers';
import type { Lookups } from '../engine/lookups';
import { get, getIn, getPair, items, str, stringMap, type DocModelRef, type Loc } from '../engine/yaml/nodes';
export { hubModelOf, mountCovering, mountsOf } from '../engine/weights-download';

export interface EnvEntry {
  name: string;
  nameNode: Node | undefined;
  /** The `value:` pair, when the entry has a literal value. */
  valuePair?: Pair<Node, Node>;
  value?: string;
  /** The entry reads its value from a Secret, ConfigMap or field (`valueFrom`). */
  valueFrom: boolean;
}

/** The container's own `env` entries with their nodes. */
export function envEntries(c: ContainerModel, doc: DocModelRef): EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const item of items(get(c.node, 'env', doc.doc))) {
    const nameNode = get(item, 'name', doc.doc);
    const name = str(nameNode);
    if (!name) continue;
    const valuePair = getPair(item, 'value');
    out.push({ name, nameNode, valuePair, value: valuePair ? str(valuePair.value) ?? '' : undefined, valueFrom: getPair(item, 'valueFrom') !== undefined });
  }
  return out;
}

/**
 * Environment variables the Hugging Face Hub client reads a token from. HF_TOKEN and the older
 * HUGGING_FACE_HUB_TOKEN: huggingface_hub's constants.py (huggingface/huggingface_hub,
 * src/huggingface_hub/constants.py: `HF_TOKEN` … `HUGGING_FACE_HUB_TOKEN` for backward compatibility).
 */
export const HUB_TOKEN_ENV = ['HF_TOKEN', 'HUGGING_FACE_HUB_TOKEN'];

/**
 * Whether the container gets a Hub token: a token variable in `env` (value or valueFrom), or `envFrom` a Secret /
 * ConfigMap of the input that holds one. A Secret or ConfigMap that is not in the input may hold it: counted as
 * a token too (servelint cannot see it), so only a pod with no plausible source is reported.
 */
export function hasHubToken(c: ContainerModel, doc: DocModelRef, namespace: string | undefined, lookups: Lookups): boolean {
  if (c.operatorEnv?.some((n) => HUB_TOKEN_ENV.includes(n))) return true;
  if (envEntries(c, doc).some((e) => HUB_TOKEN_ENV.includes(e.name) && (e.valueFrom || (e.value ?? '') !== ''))) return true;
  for (const item of items(get(c.node, 'envFrom', doc.doc))) {
    const prefix = str(get(item, 'prefix', doc.doc)) ?? '';
    for (const [key, kind] of [['secretRef', 'Secret'], ['configMapRef', 'ConfigMap']] as const) {
      const name = str(getIn(item, [key, 'name'], doc.doc));
      if (!name) continue;
      const obj = lookups.find(kind, name, namespace);
      if (!obj) return true;
      const keys = [...Object.keys(stringMap(get(obj.node, 'data', obj.doc.doc))), ...Object.keys(stringMap(get(obj.node, 'stringData', obj.doc.doc)))];
      if (keys.some((k) => HUB_TOKEN_ENV.includes(prefix + k))) return true;
    }
  }
  return false;
}

/** An absolute local path (`/models/llama`), the form model-path-not-mounted checks. */
export function isLocalPath(value: string): boolean {
  return value.startsWith('/');
}

/** Where a finding about the served model points: its token, else the container name. */
export function modelLoc(unit: ServingUnit, model: FlagValue): Loc | undefined {
  const t = model.token;
  return t.start !== undefined && t.end !== undefined ? { doc: unit.template.doc, start: t.start, end: t.end } : containerLoc(unit);
}
