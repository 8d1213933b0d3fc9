import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { appendToSeq, insertIntoMap, type LocEdit } from '../engine/edits';
import { get, items, str, type DocModelRef } from '../engine/yaml/nodes';
import type { ServingUnit } from '../engine/analyze';
import { containerLoc, plural, serverName } from './helpers';

/**
 * Container runtimes give a container a 64 MiB /dev/shm (Docker's default `--shm-size`, containerd / CRI-O the
 * same); Kubernetes has no pod field for it, only an emptyDir `medium: Memory` mounted at /dev/shm. vLLM's docs:
 * "vLLM uses PyTorch, which uses shared memory to share data between processes under the hood, particularly for
 * tensor parallel inference" (https://docs.vllm.ai/en/latest/serving/deploying_with_docker.html, `--ipc=host` or
 * `--shm-size`); NCCL puts its intra-node SHM transport buffers in /dev/shm and fails with "unhandled system error"
 * / bus errors when it is full (NVIDIA/nccl src/transport/shm.cc; vllm-project/production-stack#899).
 */
const SHM_VOLUME = 'dshm';
/** Accelerators whose multi-device runtimes (NCCL, RCCL) use /dev/shm between processes. */
const SHM_RESOURCES = ['nvidia.com/gpu', 'amd.com/gpu'];

function hasShm(unit: ServingUnit): boolean {
  const doc = unit.template.doc.doc;
  if (str(get(unit.template.specNode, 'hostIPC', doc)) === 'true') return true;
  // An operator that mounts /dev/shm itself (the LLMInferenceService preset, NIM, KubeAI).
  if (unit.container.implicitMounts?.some((m) => m.mountPath === '/dev/shm')) return true;
  return items(get(unit.container.node, 'volumeMounts', doc)).some((m) => /^\/dev\/shm\/?$/.test(str(get(m, 'mountPath', doc)) ?? ''));
}

function shmEdits(unit: ServingUnit): (LocEdit | undefined)[] {
  const doc: DocModelRef = unit.template.doc;
  const volumes = get(unit.template.specNode, 'volumes', doc.doc);
  const mounts = get(unit.container.node, 'volumeMounts', doc.doc);
  const volume = `name: ${SHM_VOLUME}\nemptyDir:\n  medium: Memory`;
  const mount = `name: ${SHM_VOLUME}\nmountPath: /dev/shm`;
  const indented = (b: string): string => b.replace(/^/gm, '    ').replace(/^ {4}/, '  - ');
  // A volume already called dshm (not at /dev/shm): no fix rather than a duplicate name.
  if (items(volumes).some((v) => str(get(v, 'name', doc.doc)) === SHM_VOLUME)) return [undefined];
  // The container's edit first: when the container ends the pod spec, both insert at the same offset, in this order.
  // A list with items is appended to; an entry with none (`volumeMounts:`, `volumes: []`) is replaced by insertIntoMap.
  return [
    items(mounts).length ? appendToSeq(doc, mounts, mount) : insertIntoMap(doc, unit.container.node, `volumeMounts:\n${indented(mount)}`),
    items(volumes).length ? appendToSeq(doc, volumes, volume) : insertIntoMap(doc, unit.template.specNode, `volumes:\n${indented(volume)}`),
  ];
}

export const rule: Rule = {
  meta: {
    id: 'missing-shm-volume',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'A multi-GPU model server without a memory-backed /dev/shm: the container runtime gives 64 MiB, too little for NCCL and PyTorch between tensor-parallel workers.',
    docs: { catches: 'tensor parallel / several GPUs per pod without an emptyDir `medium: Memory` at /dev/shm', fix: 'adds the volume and its /dev/shm mount' },
    fixable: true,
    needs: [],
    messages: {
      missing:
        '{{server}} runs {{why}} but /dev/shm is not mounted: the container runtime gives 64 MiB, and NCCL / PyTorch between the workers ' +
        'need more (startup fails or hangs with "unhandled system error" or a bus error). Mount an emptyDir with medium: Memory at /dev/shm.',
    },
  },
  check(ctx) {
    const seen = new Set<ServingUnit['container']>();
    for (const unit of ctx.analysis.servers) {
      if (seen.has(unit.container)) continue;
      seen.add(unit.container);
      const acc = unit.container.accelerator;
      if (!acc || !SHM_RESOURCES.includes(acc.resource)) continue;
      // A container another object completes (KServe's `model`, from its ServingRuntime) may get /dev/shm there.
      if (unit.container.completedBy) continue;
      const args = unit.server.args;
      const parallel = (args.tensorParallel ?? 1) * (args.pipelineParallel ?? 1);
      const local = ctx.analysis.topology.podsPerInstance > 1 ? Math.min(parallel, acc.count) : parallel;
      if (acc.count < 2 && local < 2) continue;
      if (hasShm(unit)) continue;
      const why = local > 1 ? `${local} worker processes (tensor × pipeline parallel) on ${plural(acc.count, 'GPU')}` : `on ${plural(acc.count, 'GPU')} in one pod`;
      ctx.report({
        loc: containerLoc(unit),
        messageId: 'missing',
        data: { server: serverName(unit), why },
        fixes: [fix('Mount a memory-backed emptyDir at /dev/shm', shmEdits(unit))],
      });
    }
  },
};
