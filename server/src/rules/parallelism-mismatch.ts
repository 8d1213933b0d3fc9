import type { Rule } from '../engine/rule';
import type { ServingUnit } from '../engine/analyze';
import type { FlagValue } from '../engine/model/args';
import { DATA_PARALLEL_FLAGS, PIPELINE_PARALLEL_FLAGS, TENSOR_PARALLEL_FLAGS, firstFlag } from '../engine/model/server';
import { acceleratorWord } from '../engine/model/pod';
import { containerLoc, flagLoc, serverName } from './helpers';

/** How a flag reads in a message: "--tensor-parallel-size 4", "NUM_SHARD=4". */
function shown(v: FlagValue): string {
  return v.flag.startsWith('env ') ? `${v.flag.slice(4)}=${v.value}` : `${v.flag} ${v.value}`;
}

/**
 * Data-parallel engines that each take tensor × pipeline GPUs in this pod: SGLang `--dp` without
 * `--enable-dp-attention` (with it, DP ranks share the TP GPUs: sgl-project/sglang python/sglang/srt/server_args.py,
 * "dp_size <= tp_size" for DP attention); vLLM `--data-parallel-size`, or `--data-parallel-size-local` when set, and
 * not when ranks live in other pods (`--data-parallel-address`, `--headless`, `--data-parallel-start-rank`).
 */
function localDataParallel(unit: ServingUnit): { n: number; flag?: FlagValue } | undefined {
  const flags = unit.server.args.flags;
  const dp = firstFlag(flags, DATA_PARALLEL_FLAGS);
  if (!dp) return { n: 1 };
  if (flags.has('--enable-dp-attention')) return { n: 1 };
  const local = flags.get('--data-parallel-size-local') ?? flags.get('-dpl');
  const v = local ?? dp;
  if (!local && ['--data-parallel-address', '-dpa', '--headless', '--data-parallel-start-rank', '-dpr', '--nnodes'].some((f) => flags.has(f))) return undefined;
  const n = Number(v.value);
  return Number.isInteger(n) && n > 0 ? { n, flag: v } : undefined;
}

/** The executor places workers in other pods (a Ray cluster): GPUs in this pod do not bound tensor × pipeline. */
function spansRay(unit: ServingUnit): boolean {
  const f = unit.server.args.flags;
  return f.get('--distributed-executor-backend')?.value === 'ray' || unit.server.args.tokens.some((t) => /^ray$|(^|\/)ray$/.test(t.value));
}

export const rule: Rule = {
  meta: {
    id: 'parallelism-mismatch',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      "Tensor × pipeline (× data) parallel size differs from the accelerators a serving instance has: the server cannot start, or GPUs sit idle.",
    docs: { catches: '`--tensor-parallel-size` / `NUM_SHARD` / `--tp` × pipeline × data parallel ≠ GPUs per pod × pods per instance' },
    fixable: false,
    needs: [],
    messages: {
      tooFew:
        '{{flags}} needs {{needed}} per serving instance but it has {{have}} ({{detail}}): {{server}} cannot start ' +
        '(it waits for or fails to find the missing devices). Set the accelerator limit to {{neededCount}}, or lower the parallel size.',
      idle:
        '{{flags}} uses {{needed}} but the pod requests {{have}} ({{detail}}): {{idle}} stay idle and are still paid for. ' +
        'Lower the accelerator limit to {{neededCount}}, or raise the parallel size.',
      placedIdle:
        '{{by}} replicas use {{needed}} ({{detail}}) but its worker pods have {{have}} ({{availableDetail}}): {{idle}} stay idle ' +
        'and are still paid for. Raise num_replicas, or give the workers fewer accelerators.',
      placedTooFew:
        '{{by}} replicas need {{needed}} ({{detail}}) but its worker pods have {{have}} ({{availableDetail}}) and the Ray ' +
        'autoscaler is off: the replicas that do not fit stay pending. Lower num_replicas, or add worker pods.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const topo = a.topology;
    const units = topo.podsPerInstance > 1 ? [a.primary] : a.servers;
    const seen = new Set<ServingUnit['container']>();
    for (const unit of units) {
      if (seen.has(unit.container)) continue;
      seen.add(unit.container);
      const placed = unit.server.placement;
      if (placed) {
        // Ray Serve spreads its replicas over all worker pods: judge the total, when the replica count is stated.
        if (placed.needed === undefined || placed.needed === placed.available || (placed.needed > placed.available && a.autoscaler)) break;
        const word = (n: number): string => acceleratorWord(placed.resource, n);
        const loc = placed.token?.start !== undefined && placed.token.end !== undefined ? { doc: unit.template.doc, start: placed.token.start, end: placed.token.end } : containerLoc(unit);
        const data = { by: placed.by, needed: word(placed.needed), have: word(placed.available), detail: placed.detail, availableDetail: placed.availableDetail, idle: word(placed.available - placed.needed) };
        if (placed.needed < placed.available) ctx.report({ loc, messageId: 'placedIdle', severity: 'warning', data });
        else ctx.report({ loc, messageId: 'placedTooFew', data });
        break;
      }
      const args = unit.server.args;
      const acc = unit.container.accelerator;
      if (!acc) continue;
      const tpFlag = firstFlag(args.flags, TENSOR_PARALLEL_FLAGS);
      const ppFlag = firstFlag(args.flags, PIPELINE_PARALLEL_FLAGS);
      const dp = localDataParallel(unit);
      if (!dp) continue;
      const given = [tpFlag, ppFlag, dp.flag].filter((f): f is FlagValue => f !== undefined);
      if (!given.length) continue;
      const tp = args.tensorParallel ?? 1;
      const pp = args.pipelineParallel ?? 1;
      if (![tp, pp].every((n) => Number.isInteger(n) && n > 0)) continue;
      const needed = tp * pp * dp.n;
      // One instance's accelerators: the kind's topology (LeaderWorkerSet size, StatefulSet --nnodes), or this pod's.
      const multiPod = topo.podsPerInstance > 1 || (args.nnodes ?? 1) > 1;
      let have = acc.count;
      let detail = `${acc.resource}: ${acc.count} in ${acc.from}`;
      if (topo.podsPerInstance > 1 && topo.accelerators) {
        have = topo.accelerators.count;
        detail = topo.accelerators.detail;
      } else if ((args.nnodes ?? 1) > 1) {
        have = acc.count * (args.nnodes as number);
        detail = `${acc.count} per pod x ${args.nnodes} pods (--nnodes ${args.nnodes})`;
      }
      if (needed === have) continue;
      if (needed > have && !multiPod && spansRay(unit)) continue;
      const flags = given.map(shown).join(' × ') + (given.length > 1 ? ` = ${needed}` : '');
      const word = (n: number): string => acceleratorWord(acc.resource, n);
      if (needed > have) {
        ctx.report({
          loc: flagLoc(unit, given[0]),
          messageId: 'tooFew',
          data: { flags, needed: word(needed), have: word(have), detail, server: serverName(unit), neededCount: String(multiPod ? `${needed} per instance` : needed) },
        });
      } else if (!multiPod) {
        ctx.report({
          loc: flagLoc(unit, given[0]),
          messageId: 'idle',
          severity: 'warning',
          data: { flags, needed: word(needed), have: word(have), detail, idle: word(have - needed), neededCount: String(needed) },
        });
      }
    }
  },
};
