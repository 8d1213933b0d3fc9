/**
 * What serving operators inject into the pods they create when the manifest does not say: a grace period, a preStop
 * hook, probes. Adapters apply these to their pod templates so that rules see the pod that really runs and say where
 * each value comes from. Every default cites the operator's source in the adapter that uses it.
 */
import type { ContainerModel, PodTemplateModel, ProbeModel } from '../model/pod';

export interface ProbeDefault {
  initialDelaySeconds?: number;
  periodSeconds: number;
  failureThreshold: number;
  /** When an attempt may run longer than the period (an exec that pulls the model): each failure then takes this long. */
  timeoutSeconds?: number;
}

export interface PodDefaults {
  /** Who sets them, as messages say it: "KServe LLMInferenceService v0.19+" ("... default" follows). */
  source: string;
  graceSeconds?: number;
  /** Applied to the serving containers that have none. */
  preStopSleepSeconds?: number;
  readinessProbe?: ProbeDefault;
  livenessProbe?: ProbeDefault;
  startupProbe?: ProbeDefault;
  /** Volumes mounted into the serving containers (mountPath, what backs it, volume name). */
  mounts?: { mountPath: string; source: string; volume: string }[];
}

function probe(p: ProbeDefault, source: string): ProbeModel {
  const initialDelaySeconds = p.initialDelaySeconds ?? 0;
  return {
    node: undefined,
    defaultedBy: source,
    initialDelaySeconds,
    periodSeconds: p.periodSeconds,
    failureThreshold: p.failureThreshold,
    budgetSeconds: initialDelaySeconds + p.failureThreshold * Math.max(p.periodSeconds, p.timeoutSeconds ?? 0),
  };
}

/** Fill in what the operator sets on the template and on `containers` (default: the model-server containers). */
export function applyPodDefaults(t: PodTemplateModel, d: PodDefaults, containers: ContainerModel[] = t.containers.filter((c) => c.server)): PodTemplateModel {
  if (d.graceSeconds !== undefined && t.graceSeconds === undefined) t.graceDefault = { seconds: d.graceSeconds, source: d.source };
  for (const c of containers) {
    if (d.preStopSleepSeconds !== undefined && !c.preStop) c.preStop = { defaultedBy: d.source, sleepSeconds: d.preStopSleepSeconds };
    if (d.readinessProbe && !c.readinessProbe) c.readinessProbe = probe(d.readinessProbe, d.source);
    if (d.livenessProbe && !c.livenessProbe) c.livenessProbe = probe(d.livenessProbe, d.source);
    if (d.startupProbe && !c.startupProbe) c.startupProbe = probe(d.startupProbe, d.source);
    if (d.mounts) c.implicitMounts = [...(c.implicitMounts ?? []), ...d.mounts];
  }
  return t;
}
