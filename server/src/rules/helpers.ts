/** Helpers shared by rules: anchors for findings and generated YAML blocks (probes, drains, analysis). */
import type { ServingUnit, WorkloadAnalysis } from '../engine/analyze';
import { insertIntoMap, setScalar, type LocEdit } from '../engine/edits';
import { profileOf } from '../engine/servers';
import { INT32_MAX } from '../engine/fields';
import { get, items, loc, str, type Loc } from '../engine/yaml/nodes';
import type { FlagValue } from '../engine/model/args';
import type { PodTemplateModel } from '../engine/model/pod';

/** The container's `name` value (where a missing field is reported), else the container itself. */
export function containerLoc(unit: ServingUnit): Loc | undefined {
  return loc(unit.template.doc, unit.container.nameNode ?? unit.container.node);
}

export function serverName(unit: ServingUnit): string {
  return profileOf(unit.server.kind).name;
}

/**
 * The port a server's health endpoint answers on: --port, else the first containerPort, else the server's default.
 * JetStream engines listen on gRPC (9000); their health check is the jetstream-http front end's, on 8000.
 */
export function serverPort(unit: ServingUnit): number {
  const profile = profileOf(unit.server.kind);
  return profile.healthPort ?? unit.server.args.port ?? unit.container.ports[0] ?? profile.port;
}

/** Templates with at least one model server, each once, with their serving units. */
export function servingTemplatesOf(a: WorkloadAnalysis): { template: PodTemplateModel; units: ServingUnit[] }[] {
  const out: { template: PodTemplateModel; units: ServingUnit[] }[] = [];
  for (const unit of a.servers) {
    let entry = out.find((e) => e.template === unit.template);
    if (!entry) {
      entry = { template: unit.template, units: [] };
      out.push(entry);
    }
    entry.units.push(unit);
  }
  return out;
}

/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_SECONDS = 30;

/** The grace period a pod gets, and how to say where it comes from: "60 s", "30 s (default)", "60 s (KServe ... default)". */
export function graceOf(template: PodTemplateModel): { seconds: number; text: string } {
  if (template.graceSeconds !== undefined) return { seconds: template.graceSeconds, text: `${fmtNum(template.graceSeconds)} s` };
  if (template.graceDefault) return { seconds: template.graceDefault.seconds, text: `${template.graceDefault.seconds} s (${template.graceDefault.source} default)` };
  return { seconds: DEFAULT_GRACE_SECONDS, text: `${DEFAULT_GRACE_SECONDS} s (default)` };
}

/** Preferred grace period for a need: need + 10 s headroom, rounded up to 10 s. */
export function recommendedGrace(needSeconds: number): number {
  return Math.ceil((needSeconds + 10) / 10) * 10;
}

/** Edit that sets terminationGracePeriodSeconds on a pod template's spec. */
export function setGraceEdit(template: PodTemplateModel, seconds: number): LocEdit | undefined {
  // A grace period the API server would refuse (past int32 seconds) is no fix.
  if (!Number.isFinite(seconds) || seconds > INT32_MAX) return undefined;
  const doc = template.doc;
  if (template.gracePair) return setScalar(doc, template.gracePair.value ?? undefined, String(seconds));
  return insertIntoMap(doc, template.specNode, `terminationGracePeriodSeconds: ${seconds}`);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function fmtNum(n: number, digits = 2): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(digits).replace(/\.?0+$/, '');
}

export function probeBlock(key: string, path: string, port: number | string, periodSeconds: number, failureThreshold: number, timeoutSeconds?: number): string {
  return [
    `${key}:`,
    `  httpGet:`,
    `    path: ${path}`,
    `    port: ${port}`,
    `  periodSeconds: ${periodSeconds}`,
    ...(timeoutSeconds === undefined ? [] : [`  timeoutSeconds: ${timeoutSeconds}`]),
    `  failureThreshold: ${failureThreshold}`,
  ].join('\n');
}

export function healthPath(unit: ServingUnit): string {
  return profileOf(unit.server.kind).health;
}

/**
 * Where the weight-load time in a message comes from, e.g. "assumed; override with annotation
 * servelint.io/weight-load-seconds" or "estimated: 16.1 GB of … ÷ 1 GB/s + 60 s start-up".
 */
export function weightLoadSource(a: WorkloadAnalysis): string {
  const w = a.weightLoad;
  const override = `override with ${w.override.split(',')[0]}`;
  if (w.source === 'default') return `assumed; ${override}`;
  return w.source === 'annotation' || w.source === 'config' ? String(w.detail) : `${w.detail}; ${override}`;
}

/** "a" or "an" before a number as it is read aloud: an 8192-token answer, an 11-step rollout, a 4096-token answer. */
export function articleFor(n: number): 'a' | 'an' {
  const d = String(Math.trunc(Math.abs(n)));
  if (d.startsWith('8')) return 'an';
  return d.length % 3 === 2 && (d.startsWith('11') || d.startsWith('18')) ? 'an' : 'a';
}

/**
 * A probe port worth copying into a generated probe: a number from 1 to 65535 or a named port (IANA_SVC_NAME:
 * lowercase letters, digits and '-', at most 15, at least one letter). Anything else: the server's port.
 */
export function validPort(value: string | undefined, fallback: number): string {
  if (value === undefined) return String(fallback);
  const v = value.trim();
  if (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535) return v;
  if (/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(v) && /[a-z]/.test(v)) return v;
  return String(fallback);
}

/**
 * Where a parsed flag's value is: its token's exact range, else (a flag read from an environment variable, e.g.
 * TGI's NUM_SHARD) the `env` entry's value, else the container's name.
 */
export function flagLoc(unit: ServingUnit, v: FlagValue | undefined): Loc | undefined {
  const doc = unit.template.doc;
  const t = v?.token;
  if (t?.start !== undefined && t.end !== undefined) return { doc, start: t.start, end: t.end };
  const envName = v?.flag.startsWith('env ') ? v.flag.slice(4) : undefined;
  if (envName) {
    for (const item of items(get(unit.container.node, 'env', doc.doc))) {
      if (str(get(item, 'name', doc.doc)) === envName) return loc(doc, get(item, 'value', doc.doc)) ?? containerLoc(unit);
    }
  }
  return loc(doc, t?.node) ?? containerLoc(unit);
}

/** A PersistentVolumeClaim in the input, mounted by a serving pod, that only one node can attach. */
export interface SingleNodeClaim {
  claim: string;
  mode: 'ReadWriteOnce' | 'ReadWriteOncePod';
  /** The `claimName` value in the pod template. */
  loc: Loc | undefined;
}

/**
 * The serving pod's volumes backed by a PVC of the input whose access modes are only ReadWriteOnce /
 * ReadWriteOncePod (a claim not in the input is unknown: not listed).
 */
export function singleNodeClaims(a: WorkloadAnalysis): SingleNodeClaim[] {
  const t = a.primary.template;
  const d = t.doc.doc;
  const out: SingleNodeClaim[] = [];
  for (const v of items(get(t.specNode, 'volumes', d))) {
    const nameNode = get(get(v, 'persistentVolumeClaim', d), 'claimName', d);
    const claim = str(nameNode);
    if (!claim) continue;
    const pvc = a.lookups.find('PersistentVolumeClaim', claim, a.workload.namespace);
    if (!pvc) continue;
    const modes = items(get(get(pvc.node, 'spec', pvc.doc.doc), 'accessModes', pvc.doc.doc)).map(str);
    if (!modes.length || !modes.every((m) => m === 'ReadWriteOnce' || m === 'ReadWriteOncePod')) continue;
    out.push({ claim, mode: modes.includes('ReadWriteOncePod') ? 'ReadWriteOncePod' : 'ReadWriteOnce', loc: loc(t.doc, nameNode) });
  }
  return out;
}

/**
 * Why a serving unit only prefills (it hands the KV cache to a decode pod and streams no answer), or undefined:
 * vLLM `--kv-transfer-config` with `"kv_role": "kv_producer"` (vLLM's disaggregated prefill), SGLang and newer
 * Dynamo `--disaggregation-mode prefill`, Dynamo's vLLM worker `--is-prefill-worker` (ai-dynamo/dynamo
 * components/backends/vllm args), llm-d's pod label `llm-d.ai/role: prefill`.
 */
export function prefillOnly(unit: ServingUnit): string | undefined {
  if (unit.template.labels['llm-d.ai/role'] === 'prefill') return 'label llm-d.ai/role: prefill';
  const flags = unit.server.args.flags;
  if (/"kv_role"\s*:\s*"kv_producer"/.test(flags.get('--kv-transfer-config')?.value ?? '')) return 'kv_role kv_producer';
  if (flags.get('--disaggregation-mode')?.value === 'prefill') return '--disaggregation-mode prefill';
  if (flags.has('--is-prefill-worker')) return '--is-prefill-worker';
  return undefined;
}
