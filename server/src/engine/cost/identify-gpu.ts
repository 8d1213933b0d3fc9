/** Which GPU a workload runs on, from node labels, the servelint.io/gpu annotation or the configured default. */
import {
  findGpuById,
  matchAmdProductName, matchTpuAccelerator,
  matchAwsGpuName,
  matchAzureSkuGpuName,
  matchGkeAccelerator,
  matchInstanceType,
  matchNvidiaProduct,
  matchVolcengineGpuName,
  resolveAnyGpuValue,
  type LabelMatch,
} from './gpu-catalog';
import type { GpuCatalog, GpuIdentification, GpuIdentifyInput } from './types';

type LabelKind = 'nvidia' | 'gke' | 'aws' | 'azure-sku' | 'amd' | 'instance' | 'tpu' | 'volcengine';

/** Identifying labels, most specific first. */
export const GPU_LABEL_KEYS: { key: string; kind: LabelKind }[] = [
  { key: 'nvidia.com/gpu.product', kind: 'nvidia' },
  { key: 'cloud.google.com/gke-accelerator', kind: 'gke' },
  { key: 'karpenter.k8s.aws/instance-gpu-name', kind: 'aws' },
  { key: 'eks.amazonaws.com/instance-gpu-name', kind: 'aws' },
  { key: 'karpenter.azure.com/sku-gpu-name', kind: 'azure-sku' },
  { key: 'amd.com/gpu.product-name', kind: 'amd' },
  // Volcengine VKE node label, values in GPU Feature Discovery style (NVIDIA-L20, Tesla-V100): vllm-project/aibrix
  // samples/heterogeneous/deepseek-coder-7b-l20-deployment.yaml @ bcf362fa and -v100-deployment.yaml @ 66f93dc9.
  { key: 'machine.cluster.vke.volcengine.com/gpu-name', kind: 'volcengine' },
  { key: 'node.kubernetes.io/instance-type', kind: 'instance' },
  { key: 'beta.kubernetes.io/instance-type', kind: 'instance' },
  { key: 'nvidia.com/gpu.machine', kind: 'instance' },
  { key: 'cloud.google.com/gke-tpu-accelerator', kind: 'tpu' },
];

const MEMORY_KEYS = ['karpenter.k8s.aws/instance-gpu-memory', 'eks.amazonaws.com/instance-gpu-memory', 'nvidia.com/gpu.memory'];
const INSTANCE_KEYS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type', 'nvidia.com/gpu.machine'];

const ADD_HINT = 'add annotation `servelint.io/gpu: <id>` (e.g. H100-SXM, L4) or `gpus.default` in .servelint.yaml';

interface Selector {
  key: string;
  values: string[];
  /** 'nodeSelector', 'node affinity' or 'ComputeClass <name> priorities'. */
  where: string;
}

function selectors(input: GpuIdentifyInput): Selector[] {
  const out: Selector[] = [];
  for (const e of input.nodeSelector ?? []) out.push({ key: e.key, values: [e.value], where: 'nodeSelector' });
  for (const e of input.requiredAffinity ?? []) {
    if (e.values.length > 0) out.push({ key: e.key, values: e.values, where: 'node affinity' });
  }
  // A GKE custom ComputeClass's priorities, in fallback order, as if they were node labels of the nodes it creates.
  const cc = input.computeClass;
  if (cc?.gpuTypes.length) out.push({ key: 'cloud.google.com/gke-accelerator', values: cc.gpuTypes, where: `ComputeClass ${cc.name} priorities` });
  if (cc?.tpuTypes.length) out.push({ key: 'cloud.google.com/gke-tpu-accelerator', values: cc.tpuTypes, where: `ComputeClass ${cc.name} priorities` });
  return out;
}

function memoryMiB(sels: Selector[]): number | undefined {
  for (const key of MEMORY_KEYS) {
    const s = sels.find((x) => x.key === key);
    const n = s ? Number.parseInt(s.values[0], 10) : NaN;
    if (Number.isFinite(n)) return n;
  }
  return undefined;
}

function matchValue(kind: LabelKind, value: string, mem: number | undefined, catalog: GpuCatalog): LabelMatch {
  switch (kind) {
    case 'nvidia': return matchNvidiaProduct(value, catalog);
    case 'gke': return matchGkeAccelerator(value, catalog);
    case 'aws': return matchAwsGpuName(value, mem, catalog);
    case 'azure-sku': return matchAzureSkuGpuName(value, catalog);
    case 'amd': return matchAmdProductName(value, catalog);
    case 'instance': return matchInstanceType(value, catalog);
    case 'tpu': return matchTpuAccelerator(value, catalog);
    case 'volcengine': return matchVolcengineGpuName(value, catalog);
  }
}

function catalogIds(catalog: GpuCatalog): string {
  return catalog.gpus.map((g) => g.id).join(', ');
}

/** Identifies the GPU. Order: annotation servelint.io/gpu, node labels (nodeSelector, then required affinity), gpus.default. */
export function identifyGpu(input: GpuIdentifyInput, catalog: GpuCatalog): GpuIdentification {
  const problems: string[] = [];
  let unknownValue: string | undefined;
  const sels = selectors(input);
  const mem = memoryMiB(sels);

  const finish = (res: GpuIdentification): GpuIdentification => {
    // Attach a priced instance type when an instance-type label names one with the same GPU.
    if (res.gpu && !res.instanceType) {
      for (const key of INSTANCE_KEYS) {
        const s = sels.find((x) => x.key === key);
        const m = s ? matchInstanceType(s.values[0], catalog) : undefined;
        if (m?.instanceType && m.gpus[0]?.id === res.gpu.id) { res.instanceType = m.instanceType; break; }
      }
    }
    if (res.gpu) checkVendor(res, input.acceleratorResource);
    if (res.migProfile && res.gpu) {
      res.problems.push(
        `MIG slice ${res.migProfile}: the catalog figures are for a whole ${res.gpu.id}, so memory, throughput and price are overstated; ` +
          'set annotation `servelint.io/tokens-per-second` and `servelint.io/price-per-gpu-hour` for the slice.',
      );
    }
    return res;
  };

  if (input.annotation !== undefined && input.annotation.trim() !== '') {
    const m = resolveAnyGpuValue(input.annotation, catalog);
    if (m.gpus[0]) {
      return finish({
        gpu: m.gpus[0], source: `annotation servelint.io/gpu=${input.annotation.trim()}`,
        candidates: [input.annotation.trim()], problems, instanceType: m.instanceType, migProfile: m.migProfile,
      });
    }
    unknownValue = input.annotation.trim();
    problems.push(
      `annotation servelint.io/gpu=${unknownValue} is not in the GPU catalog: use one of ${catalogIds(catalog)}, ` +
        'or describe the GPU under `gpus.extra` in .servelint.yaml.',
    );
  }

  for (const { key, kind: labelKind } of GPU_LABEL_KEYS) {
    for (const sel of sels.filter((s) => s.key === key)) {
      if (labelKind === 'tpu' && !sel.values.some((v) => matchTpuAccelerator(v, catalog).gpus.length > 0)) {
        problems.push(`${sel.where} ${key}=${sel.values[0]} selects a TPU that is not in the catalog (TPU-v5e, TPU-v5p, TPU-v6e are), so no cost is computed; ` +
          'set annotation `servelint.io/price-per-gpu-hour` and `servelint.io/tokens-per-second` together with a catalog GPU id only if you want a figure.');
        return { source: `${sel.where} ${key}=${sel.values[0]}`, candidates: sel.values, problems, unknownValue: sel.values[0] };
      }
      const matches = sel.values.map((v) => ({ v, m: matchValue(labelKind, v, mem, catalog) }));
      const chosen = matches.find((x) => x.m.gpus.length > 0);
      if (!chosen) {
        unknownValue ??= sel.values[0];
        problems.push(`${sel.where} ${key}=${sel.values.join(',')} is not in the GPU catalog: ${ADD_HINT}.`);
        continue;
      }
      const gpu = chosen.m.gpus[0];
      let source = `${sel.where} ${key}=${chosen.v}`;
      if (chosen.m.gpus.length > 1) {
        problems.push(`${key}=${chosen.v} matches ${chosen.m.gpus.map((g) => g.id).join(' or ')}; costed as ${gpu.id}: ` +
          (labelKind === 'aws' ? 'add karpenter.k8s.aws/instance-gpu-memory or ' : '') + 'set annotation `servelint.io/gpu` to be exact.');
      }
      if (sel.values.length > 1) {
        const ids = [...new Set(matches.flatMap((x) => (x.m.gpus[0] ? [x.m.gpus[0].id] : [])))];
        source += ` (first of ${sel.values.length} allowed values)`;
        if (ids.length > 1) {
          problems.push(`${sel.where} ${key} allows ${sel.values.join(', ')} (${ids.join(', ')}): costed as the first named, ${gpu.id}; ` +
            'set annotation `servelint.io/gpu` to choose.');
        }
      }
      return finish({
        gpu, source, candidates: sel.values, unknownValue, problems,
        instanceType: chosen.m.instanceType, migProfile: chosen.m.migProfile,
      });
    }
  }

  if (input.configDefault !== undefined && input.configDefault.trim() !== '') {
    const gpu = findGpuById(input.configDefault, catalog) ?? resolveAnyGpuValue(input.configDefault, catalog).gpus[0];
    if (gpu) return finish({ gpu, source: `default from config (gpus.default=${input.configDefault.trim()})`, candidates: [], unknownValue, problems });
    problems.push(`gpus.default=${input.configDefault} in .servelint.yaml is not in the GPU catalog: use one of ${catalogIds(catalog)} or add it under gpus.extra.`);
  }

  const resource = input.acceleratorResource;
  if (resource === 'google.com/tpu') {
    problems.push('google.com/tpu: no cloud.google.com/gke-tpu-accelerator label names the TPU version: add annotation `servelint.io/gpu: TPU-v5e` (or TPU-v5p, TPU-v6e).');
  } else if (resource?.startsWith('aws.amazon.com/neuron')) {
    problems.push(`${resource}: Trainium and Inferentia devices are not in the GPU catalog, so no cost is computed.`);
  } else if (!unknownValue) {
    const vendorHint = resource === 'amd.com/gpu' ? ' (e.g. MI300X)' : resource === 'habana.ai/gaudi' ? ' (Gaudi2 or Gaudi3)' : '';
    problems.push(`No node label identifies the GPU${resource ? ` behind ${resource}` : ''}: ${ADD_HINT}${vendorHint}.`);
  }
  return { source: 'unknown', candidates: [], unknownValue, problems };
}

function checkVendor(res: GpuIdentification, resource: string | undefined): void {
  if (!res.gpu || !resource) return;
  const want = resource.startsWith('amd.com/') ? 'amd' : resource.startsWith('habana.ai/') ? 'intel' : resource.startsWith('nvidia.com/') ? 'nvidia'
    : resource === 'google.com/tpu' ? 'google' : undefined;
  if (want && res.gpu.vendor && res.gpu.vendor !== want) {
    res.problems.push(`${res.gpu.id} (${res.source}) does not match the requested resource ${resource}: check the node selector or annotation servelint.io/gpu.`);
  }
}
