/**
 * No silent passes: an object of a kind servelint has no adapter for, that carries a pod template, containers or an
 * accelerator request and looks like a model server (a server image or command, or a GPU), is reported as
 * `kind-not-analysed` so that nobody reads "no problems" as "checked".
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { keyName, str } from '../yaml/nodes';
import { SERVER_PROFILES } from '../servers';
import { ACCELERATOR_RESOURCES } from './pod';
import type { K8sObject } from './workload';

const MAX_NODES = 20_000;
const POD_KEYS = new Set(['containers', 'template', 'podTemplate', 'extraPodSpec', 'mainContainer', 'headGroupSpec', 'workerGroupSpecs']);

interface Evidence {
  server?: string;
  accelerator?: string;
  pods: boolean;
}

function walk(node: unknown, ev: Evidence, budget: { n: number }): void {
  if (budget.n-- <= 0) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = keyName(pair);
      if (key && POD_KEYS.has(key)) ev.pods = true;
      const value = pair.value as Node | null;
      if (key && ACCELERATOR_RESOURCES.includes(key) && isScalar(value) && Number(str(value)) > 0) ev.accelerator ??= `${key}: ${str(value)}`;
      if ((key === 'image' || key === 'repository') && isScalar(value)) {
        const image = str(value) ?? '';
        const p = SERVER_PROFILES.find((x) => x.image?.test(image));
        if (p) ev.server ??= `${p.name} image ${image}`;
      }
      if ((key === 'command' || key === 'args' || key === 'entrypoint') && (isSeq(value) || isScalar(value))) {
        const words = (isSeq(value) ? value.items.map(str) : [str(value)]).filter((w): w is string => !!w).join(' ').split(/\s+/);
        for (let i = 0; i < words.length && !ev.server; i++) {
          const pairText = `${(words[i] ?? '').replace(/^.*\//, '')} ${words[i + 1] ?? ''}`;
          const p = SERVER_PROFILES.find((x) => x.command && (x.command.test(words[i] ?? '') || x.command.test(pairText)));
          if (p) ev.server = `${p.name} command`;
        }
      }
      walk(value, ev, budget);
    }
  } else if (isSeq(node)) {
    for (const item of node.items) walk(item, ev, budget);
  }
}

/** Kinds that hold data or schemas, not something that runs (an `image:` in a ConfigMap runs nothing). */
const DATA_KINDS = new Set(['ConfigMap', 'Secret', 'CustomResourceDefinition']);

/** Top-level fields that describe no workload (KAITO keeps `resource` and `inference` at the top, so the rest is read). */
const SKIP_TOP = new Set(['apiVersion', 'kind', 'metadata', 'status', 'data', 'stringData', 'binaryData']);

/** What makes this object look like a model server, or undefined. */
export function modelServerEvidence(obj: K8sObject): string | undefined {
  if (DATA_KINDS.has(obj.kind)) return undefined;
  const ev: Evidence = { pods: false };
  const budget = { n: MAX_NODES };
  for (const p of obj.node.items) if (isPair(p) && !SKIP_TOP.has(keyName(p) ?? '')) walk(p.value, ev, budget);
  if (ev.server) return ev.accelerator ? `${ev.server}, ${ev.accelerator}` : ev.server;
  if (ev.accelerator && ev.pods) return ev.accelerator;
  return undefined;
}
