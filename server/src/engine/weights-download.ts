/**
 * Whether a model server downloads its weights from the Hugging Face Hub on every start: a Hub repo id, and no
 * persistent volume at the directory the server downloads to. The weight-load estimate (cost-bridge) adds the
 * download; the rule weights-downloaded-on-start reports it.
 */
import type { ContainerModel, PodTemplateModel, ServingUnit } from './model/pod';
import type { FlagValue } from './model/args';
import { profileOf } from './servers';
import { asMap, get, items, str } from './yaml/nodes';

export interface MountInfo {
  mountPath: string;
  /** What backs it: persistentVolumeClaim, hostPath, emptyDir, ephemeral, csi, nfs, image, … ('unknown' if the volume is not declared). */
  source: string;
  volume: string;
}

/** The container's volumeMounts with the kind of volume behind each. */
export function mountsOf(c: ContainerModel, template: PodTemplateModel): MountInfo[] {
  const doc = template.doc;
  const volumes = new Map<string, string>();
  for (const v of items(get(template.specNode, 'volumes', doc.doc))) {
    const name = str(get(v, 'name', doc.doc));
    const source = asMap(v)?.items.map((p) => str(p.key)).find((k) => k !== undefined && k !== 'name');
    if (name) volumes.set(name, source ?? 'unknown');
  }
  const out: MountInfo[] = [];
  for (const m of items(get(c.node, 'volumeMounts', doc.doc))) {
    const mountPath = str(get(m, 'mountPath', doc.doc));
    const volume = str(get(m, 'name', doc.doc)) ?? '';
    if (mountPath) out.push({ mountPath: mountPath.replace(/\/+$/, '') || '/', source: volumes.get(volume) ?? 'unknown', volume });
  }
  // Volumes the operator mounts whatever the manifest says (KServe's model directory /mnt/models, ...).
  for (const m of c.implicitMounts ?? []) if (!out.some((o) => o.mountPath === m.mountPath)) out.push(m);
  return out;
}

/** The deepest mount whose mountPath is `path` or one of its parent directories. */
export function mountCovering(mounts: MountInfo[], path: string): MountInfo | undefined {
  let best: MountInfo | undefined;
  for (const m of mounts) {
    const covers = m.mountPath === '/' || path === m.mountPath || path.startsWith(`${m.mountPath}/`);
    if (covers && (!best || m.mountPath.length > best.mountPath.length)) best = m;
  }
  return best;
}

/** Volume sources whose content does not outlive the pod. */
const NON_PERSISTENT_VOLUMES = new Set(['emptyDir', 'ephemeral']);

/** A Hugging Face Hub repository id (org/name), not a path, URI or a bare name. */
export function isHubId(value: string): boolean {
  return /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/.test(value) && !/^(models?|data|mnt|tmp|workspace)\//i.test(value);
}

/** The served model when it is a Hub repository id the server downloads itself (not a path, URI or image-named model). */
export function hubModelOf(unit: ServingUnit): FlagValue | undefined {
  const model = unit.server.args.model;
  // An operator's downloader (modelFetch) fetches for servers that have no Hub cache of their own.
  if (!model || model.flag === 'image' || !(profileOf(unit.server.kind).hubCache || unit.container.modelFetch)) return undefined;
  const env = unit.container.env;
  if (/^(1|true|yes|on)$/i.test(env.HF_HUB_OFFLINE ?? env.TRANSFORMERS_OFFLINE ?? '')) return undefined;
  return isHubId(model.value.trim()) ? model : undefined;
}

export interface WeightsDownload {
  model: FlagValue;
  /** The directory the server downloads to, and why (flag, env variable or the image's default). */
  dir: string;
  dirFrom: string;
  /** The emptyDir / ephemeral volume mounted there, if any (else nothing is mounted there). */
  mount?: MountInfo;
  /** An operator's downloader (KServe's storage-initializer) rather than the server, with its own remedy. */
  by?: string;
  remedy?: string;
}

/**
 * The hub cache directory: the server's flag (vLLM --download-dir), HF_HUB_CACHE / HUGGINGFACE_HUB_CACHE,
 * HF_HOME/hub (huggingface_hub constants.py), TRANSFORMERS_CACHE (legacy), else the image default.
 */
function cacheDir(unit: ServingUnit): { dir: string; from: string } | undefined {
  const hub = profileOf(unit.server.kind).hubCache;
  if (!hub) return undefined;
  const env = unit.container.env;
  const flag = hub.flag ? unit.server.args.flags.get(hub.flag) : undefined;
  if (flag && flag.value.startsWith('/')) return { dir: flag.value, from: hub.flag as string };
  for (const name of ['HF_HUB_CACHE', 'HUGGINGFACE_HUB_CACHE']) if (env[name]?.startsWith('/')) return { dir: env[name] as string, from: name };
  if (hub.setByImageEnv) return { dir: hub.defaultDir, from: hub.source };
  if (env.HF_HOME?.startsWith('/')) return { dir: `${env.HF_HOME.replace(/\/+$/, '')}/hub`, from: 'HF_HOME' };
  if (env.TRANSFORMERS_CACHE?.startsWith('/')) return { dir: env.TRANSFORMERS_CACHE, from: 'TRANSFORMERS_CACHE' };
  return { dir: hub.defaultDir, from: hub.source };
}

/** The Hub download a start of this server makes; undefined when its cache is on a persistent volume (or no Hub id). */
export function weightsDownloadOf(unit: ServingUnit): WeightsDownload | undefined {
  const fetch = unit.container.modelFetch;
  if (fetch === false) return undefined;
  const model = hubModelOf(unit);
  const cache = !model ? undefined : fetch ? { dir: fetch.dir, from: fetch.from } : cacheDir(unit);
  if (!model || !cache) return undefined;
  const dir = cache.dir.replace(/\/+$/, '') || '/';
  const mount = mountCovering(mountsOf(unit.container, unit.template), dir);
  if (mount && !NON_PERSISTENT_VOLUMES.has(mount.source)) return undefined;
  return { model, dir, dirFrom: cache.from, mount, by: fetch?.by, remedy: fetch?.remedy };
}

/**
 * Default Hub download bandwidth (GB/s): 0.5, the rate huggingface_hub's plain Python download tops out at on very
 * fast networks (huggingface/hf_transfer README: hf_transfer exists "to go beyond ~500MB/s on very high bandwidth
 * network, where Python cannot cap out the available bandwidth"). An optimistic bound on purpose: the download
 * time servelint adds is a lower bound, so a finding it causes holds on any network. Annotation
 * servelint.io/download-gbps sets the measured rate (e.g. "0.1" for 100 MB/s).
 */
export const DEFAULT_DOWNLOAD_GBPS = 0.5;
export const DOWNLOAD_GBPS_ANNOTATION = 'servelint.io/download-gbps';

/** The download bandwidth: the annotation when it is a positive number, else the default. */
export function downloadGbps(annotations: Record<string, string>): { gbps: number; source: 'annotation' | 'default' } {
  const n = Number(annotations[DOWNLOAD_GBPS_ANNOTATION]?.trim());
  // Within 1 MB/s and 1 TB/s: outside, the annotation is ignored (no 10^300 s download reaches a message or a fix).
  return Number.isFinite(n) && n >= 0.001 && n <= 1000 ? { gbps: n, source: 'annotation' } : { gbps: DEFAULT_DOWNLOAD_GBPS, source: 'default' };
}
