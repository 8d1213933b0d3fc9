/** Helpers shared by rules: anchors for findings and generated YAML blocks (probes, drains, analysis). */
import type { ServingUnit, WorkloadAnalysis } from '../engine/analyze';
import { insertIntoMap, setScalar, type LocEdit } from '../engine/edits';
export { setKeys } from '../engine/edits';
import { profileOf } from '../engine/servers';
import { loc, type Loc } from '../engine/yaml/nodes';
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

/** Preferred grace period for a need: need + 10 s headroom, rounded up to 10 s. */
export function recommendedGrace(needSeconds: number): number {
  return Math.ceil((needSeconds + 10) / 10) * 10;
}

/** Edit that sets terminationGracePeriodSeconds on a pod template's spec. */
export function setGraceEdit(template: PodTemplateModel, seconds: number): LocEdit | undefined {
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

export function probeBlock(key: string, path: string, port: number | string, periodSeconds: number, failureThreshold: number): string {
  return [
    `${key}:`,
    `  httpGet:`,
    `    path: ${path}`,
    `    port: ${port}`,
    `  periodSeconds: ${periodSeconds}`,
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
