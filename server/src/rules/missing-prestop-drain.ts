import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap, type LocEdit } from '../engine/edits';
import { asMap } from '../engine/yaml/nodes';
import { profileOf, type DrainHook } from '../engine/servers';
import type { ServingUnit, WorkloadAnalysis } from '../engine/analyze';
import { containerLoc, graceOf, recommendedGrace, serverName, serverPort, setGraceEdit } from './helpers';

/** A plain sleep for servers without a running-requests metric. */
export const SLEEP_DRAIN_SECONDS = 10;

/** The preStop hook servelint proposes: the server's own drain (vLLM: until no running requests), else a sleep. */
export function drainBlock(unit: ServingUnit, boundSeconds: number): DrainHook {
  const drain = profileOf(unit.server.kind).drain;
  if (drain) return drain(serverPort(unit), boundSeconds);
  return {
    seconds: SLEEP_DRAIN_SECONDS,
    describe: `sleep ${SLEEP_DRAIN_SECONDS} s`,
    block: ['preStop:', '  exec:', `    command: ["sleep", "${SLEEP_DRAIN_SECONDS}"]`].join('\n'),
  };
}

function drainFix(a: WorkloadAnalysis, unit: ServingUnit): (LocEdit | undefined)[] {
  const bound = Math.max(1, Math.ceil(a.generationSeconds));
  const { block, seconds } = drainBlock(unit, bound);
  const doc = unit.template.doc;
  const pair = unit.container.lifecyclePair;
  const lifecycle = asMap(pair?.value);
  // A `lifecycle:` that is not a map (empty, a scalar) is replaced by insertIntoMap.
  const edits: (LocEdit | undefined)[] = [
    lifecycle ? insertIntoMap(doc, lifecycle, block) : insertIntoMap(doc, unit.container.node, `lifecycle:\n${block.replace(/^/gm, '  ')}`),
  ];
  // Keep the drain inside the grace period.
  const grace = graceOf(unit.template).seconds;
  const need = seconds + a.generationSeconds;
  if (grace < need) edits.push(setGraceEdit(unit.template, recommendedGrace(need)));
  return edits;
}

export const rule: Rule = {
  meta: {
    id: 'missing-prestop-drain',
    type: 'problem',
    defaultSeverity: 'warning',
    description: 'A model-server container has no preStop hook, so it gets SIGTERM while requests are still routed to it and running.',
    docs: {
      catches: 'model-server container without `lifecycle.preStop`',
      fix: 'adds a drain (vLLM: waits until `/metrics` shows no running requests, bounded)',
    },
    fixable: true,
    needs: ['generation'],
    messages: {
      noPreStop:
        '{{server}} container "{{container}}" has no lifecycle.preStop: on termination it still receives new requests ' +
        'until the endpoints update, and running generations get SIGTERM without a drain.',
    },
  },
  check(ctx) {
    // LeaderWorkerSet workers take no traffic (the leader does): probes and drains belong on the leader.
    for (const unit of ctx.analysis.servers.filter((u) => u.template.role !== 'worker')) {
      if (unit.container.preStop) continue;
      const drain = drainBlock(unit, Math.max(1, Math.ceil(ctx.analysis.generationSeconds))).describe;
      ctx.report({
        loc: containerLoc(unit),
        messageId: 'noPreStop',
        data: { server: serverName(unit), container: unit.container.name },
        fixes: [fix(`Add a preStop drain (${drain})`, drainFix(ctx.analysis, unit))],
      });
    }
  },
};
