/** The embedded GPU catalog (server/data/gpus.json) and label-value lookups. */
import gpuData from '../../../data/gpus.json';
import type { GpuCatalog, GpuSpec, InstanceTypeSpec } from './types';

const embedded = gpuData as unknown as GpuCatalog;

/** The catalog shipped with servelint. */
export function defaultGpuCatalog(): GpuCatalog {
  return embedded;
}

/** The embedded catalog with extra GPUs (from config gpus.extra) added or replacing entries of the same id. */
export function buildGpuCatalog(extra: GpuSpec[] = []): GpuCatalog {
  if (extra.length === 0) return embedded;
  const byId = new Map(embedded.gpus.map((g) => [g.id.toLowerCase(), g] as const));
  for (const g of extra) byId.set(g.id.toLowerCase(), g);
  return Object.assign({}, embedded, { gpus: [...byId.values()] });
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');

export function findGpuById(id: string, catalog: GpuCatalog): GpuSpec | undefined {
  const exact = catalog.gpus.find((g) => g.id.toLowerCase() === id.trim().toLowerCase());
  if (exact) return exact;
  const s = squash(id);
  return catalog.gpus.find((g) => squash(g.id) === s);
}

export interface LabelMatch {
  gpus: GpuSpec[];
  instanceType?: InstanceTypeSpec;
  migProfile?: string;
}

/** Normalizes an nvidia.com/gpu.product value: no NVIDIA-/Tesla- prefix, no -SHARED suffix, MIG split off. */
export function normalizeNvidiaProduct(value: string): { base: string; mig?: string } {
  let v = value.trim().toUpperCase();
  v = v.replace(/-SHARED$/, '');
  let mig: string | undefined;
  const m = /-MIG-(.+)$/.exec(v);
  if (m) {
    mig = m[1].toLowerCase();
    v = v.slice(0, m.index);
  }
  v = v.replace(/^(NVIDIA-|TESLA-)+/, '');
  return { base: v, mig };
}

export function matchNvidiaProduct(value: string, catalog: GpuCatalog): LabelMatch {
  const { base, mig } = normalizeNvidiaProduct(value);
  const gpus = catalog.gpus.filter((g) =>
    (g.labels?.nvidiaProduct ?? []).some((p) => normalizeNvidiaProduct(p).base === base),
  );
  return { gpus, migProfile: mig };
}

/**
 * machine.cluster.vke.volcengine.com/gpu-name: GFD-style values (NVIDIA-L20, Tesla-V100); a value without a memory or
 * form-factor suffix (Tesla-V100) names the catalog id once the prefix is dropped.
 */
export function matchVolcengineGpuName(value: string, catalog: GpuCatalog): LabelMatch {
  const byProduct = matchNvidiaProduct(value, catalog);
  if (byProduct.gpus.length > 0) return byProduct;
  const gpu = findGpuById(normalizeNvidiaProduct(value).base, catalog);
  return { gpus: gpu ? [gpu] : [] };
}

export function matchGkeAccelerator(value: string, catalog: GpuCatalog): LabelMatch {
  const v = value.trim().toLowerCase();
  return { gpus: catalog.gpus.filter((g) => (g.labels?.gkeAccelerator ?? []).some((a) => a.toLowerCase() === v)) };
}

/** karpenter.k8s.aws/instance-gpu-name or eks.amazonaws.com/instance-gpu-name, with the GPU memory label (MiB) when present. */
export function matchAwsGpuName(value: string, memoryMiB: number | undefined, catalog: GpuCatalog): LabelMatch {
  const v = value.trim().toLowerCase();
  const hits = catalog.gpus.filter((g) => (g.labels?.awsGpuName ?? []).some((a) => a.name.toLowerCase() === v));
  if (memoryMiB === undefined || hits.length < 2) return { gpus: hits };
  const byMemory = hits.filter((g) =>
    (g.labels?.awsGpuName ?? []).some((a) => a.name.toLowerCase() === v && a.memoryMiB === memoryMiB),
  );
  return { gpus: byMemory.length > 0 ? byMemory : hits };
}

export function matchAmdProductName(value: string, catalog: GpuCatalog): LabelMatch {
  const v = squash(value);
  return { gpus: catalog.gpus.filter((g) => (g.labels?.amdProductName ?? []).some((a) => squash(a) === v)) };
}

export function matchTpuAccelerator(value: string, catalog: GpuCatalog): LabelMatch {
  const v = squash(value);
  return { gpus: catalog.gpus.filter((g) => (g.labels?.tpuAccelerator ?? []).some((a) => squash(a) === v)) };
}

export function matchAzureSkuGpuName(value: string, catalog: GpuCatalog): LabelMatch {
  const v = squash(value);
  return { gpus: catalog.gpus.filter((g) => (g.labels?.azureSkuGpuName ?? []).some((a) => squash(a) === v)) };
}

export function findInstanceType(value: string, catalog: GpuCatalog): InstanceTypeSpec | undefined {
  const v = value.trim().toLowerCase();
  return catalog.instanceTypes.find((t) => {
    const n = t.name.toLowerCase();
    return n === v || (t.provider === 'azure' && n === `standard_${v}`);
  });
}

export function matchInstanceType(value: string, catalog: GpuCatalog): LabelMatch {
  const it = findInstanceType(value, catalog);
  if (!it) return { gpus: [] };
  const gpu = findGpuById(it.gpu, catalog);
  return { gpus: gpu ? [gpu] : [], instanceType: it };
}

/** Resolves any identifying value (catalog id, label value or instance type), as used by annotation servelint.io/gpu. */
export function resolveAnyGpuValue(value: string, catalog: GpuCatalog): LabelMatch {
  const byId = findGpuById(value, catalog);
  if (byId) return { gpus: [byId] };
  for (const m of [
    matchNvidiaProduct(value, catalog),
    matchGkeAccelerator(value, catalog),
    matchInstanceType(value, catalog),
    matchAmdProductName(value, catalog),
    matchAwsGpuName(value, undefined, catalog),
    matchAzureSkuGpuName(value, catalog),
  ]) {
    if (m.gpus.length > 0) return m;
  }
  return { gpus: [] };
}
