/**
 * Containers an operator builds from its CRD's own fields (NIMService `spec.image`, KubeAI Model `engine` / `url`):
 * the manifest has no container map, so the model gets a detached empty one. Fixes that would insert Kubernetes
 * container fields (lifecycle, probes) find no range there and are not offered; findings point at `anchor`.
 */
import { YAMLMap, type Node } from 'yaml';
import { nodeRange, type DocModelRef } from '../yaml/nodes';
import type { FlagValue } from '../model/args';
import type { ContainerModel } from '../model/pod';

/** A container model for a container that is not in the manifest; `anchor` is where findings about it point. */
export function synthesizedContainer(c: Omit<ContainerModel, 'node' | 'nameNode' | 'ownEnv' | 'envFrom' | 'ports'> & { anchor: Node | undefined; ports?: number[] }): ContainerModel {
  const { anchor, ...rest } = c;
  return {
    ...rest,
    node: new YAMLMap(),
    nameNode: anchor,
    ownEnv: c.env,
    envFrom: [],
    ports: c.ports ?? [],
    commandNode: c.commandNode,
    argsNode: c.argsNode,
  };
}

/** `value` as a flag value whose token is its text inside `node` (for ranges), e.g. the model inside an image or URL. */
export function valueIn(doc: DocModelRef, node: Node | undefined, value: string, flag: string): FlagValue {
  const r = nodeRange(node);
  const at = r ? doc.text.indexOf(value, r[0]) : -1;
  return { value, flag, token: at >= 0 && r && at < r[1] ? { value, node, start: at, end: at + value.length } : { value } };
}
