import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap, type LocEdit } from '../engine/edits';
import { asMap } from '../engine/yaml/nodes';
import type { ServingUnit, WorkloadAnalysis } from '../engine/analyze';
import { DEFAULT_GRACE_SECONDS } from './grace-period-truncates-generations';
import { containerLoc, recommendedGrace, serverName, serverPort, setGraceEdit } from './helpers';

/** Seconds a drain waits first, so that endpoints stop routing to the pod. */
export const DRAIN_SETTLE_SECONDS = 5;
/** A plain sleep for servers without a running-requests metric. */
export const SLEEP_DRAIN_SECONDS = 10;

/** The preStop hook servelint proposes: for vLLM, wait (bounded) until /metrics shows no running requests. */
export function drainBlock(unit: ServingUnit, boundSeconds: number): { block: string; seconds: number } {
  if (unit.server.kind === 'vllm') {
    const port = serverPort(unit);
    const py =
      `import re,sys,urllib.request as u; t=u.urlopen("http://localhost:${port}/metrics",timeout=2).read().decode(); ` +
      `sys.exit(0 if re.search(r"^vllm:num_requests_running[{][^}]*[}] [1-9]", t, re.M) else 1)`;
    return {
      seconds: DRAIN_SETTLE_SECONDS,
      block: [
        'preStop:',
        '  exec:',
        '    command:',
        '      - /bin/sh',
        '      - -c',
        '      - |',
        `        # servelint drain: let endpoints drop this pod, then wait (at most ${boundSeconds} s) until vLLM has no running requests`,
        `        sleep ${DRAIN_SETTLE_SECONDS}`,
        '        i=0',
        `        while [ "$i" -lt ${boundSeconds} ] && python3 -c '${py}'; do`,
        '          i=$((i+1)); sleep 1',
        '        done',
      ].join('\n'),
    };
  }
  return {
    seconds: SLEEP_DRAIN_SECONDS,
    block: ['preStop:', '  exec:', `    command: ["sleep", "${SLEEP_DRAIN_SECONDS}"]`].join('\n'),
  };
}

function drainFix(a: WorkloadAnalysis, unit: ServingUnit): (LocEdit | undefined)[] {
  const bound = Math.max(1, Math.ceil(a.generationSeconds));
  const { block, seconds } = drainBlock(unit, bound);
  const doc = unit.template.doc;
  const lifecycle = asMap(unit.container.lifecyclePair?.value);
  const edits: (LocEdit | undefined)[] = [
    lifecycle ? insertIntoMap(doc, lifecycle, block) : insertIntoMap(doc, unit.container.node, `lifecycle:\n${block.replace(/^/gm, '  ')}`),
  ];
  // Keep the drain inside the grace period.
  const grace = unit.template.graceSeconds ?? DEFAULT_GRACE_SECONDS;
  const need = seconds + a.generationSeconds;
  if (grace < need) edits.push(setGraceEdit(unit.template, recommendedGrace(need)));
  return edits;
}

export const rule: Rule = {
  id: 'missing-prestop-drain',
  defaultSeverity: 'warning',
  description: 'A model-server container has no preStop hook, so it gets SIGTERM while requests are still routed to it and running.',
  hasFix: true,
  check(ctx) {
    // LeaderWorkerSet workers take no traffic (the leader does): probes and drains belong on the leader.
    for (const unit of ctx.analysis.servers.filter((u) => u.template.role !== 'worker')) {
      if (unit.container.preStop) continue;
      const drain = unit.server.kind === 'vllm' ? 'wait until /metrics shows no running requests' : `sleep ${SLEEP_DRAIN_SECONDS} s`;
      ctx.report(
        containerLoc(unit),
        `${serverName(unit)} container "${unit.container.name}" has no lifecycle.preStop: on termination it still receives new requests ` +
          `until the endpoints update, and running generations get SIGTERM without a drain.`,
        [fix(`Add a preStop drain (${drain})`, drainFix(ctx.analysis, unit))],
      );
    }
  },
};
