import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap } from '../engine/edits';
import { fmtSeconds } from '../engine/assumptions';
import { containerLoc, healthPath, probeBlock, serverName, serverPort, weightLoadSource } from './helpers';
import { PROBE_TIMEOUT_SECONDS } from './probe-too-tight';

export const rule: Rule = {
  meta: {
    id: 'missing-readiness-probe',
    type: 'problem',
    defaultSeverity: 'error',
    description: 'A model server without a readinessProbe receives traffic while it is still loading weights.',
    docs: { catches: 'model server with no readinessProbe gets traffic while loading', fix: "adds a probe on the server's health path and port" },
    fixable: true,
    needs: ['weightLoad'],
    messages: {
      noProbe:
        '{{server}} container "{{container}}" has no readinessProbe: it counts as ready as soon as it starts, ' +
        'so it receives requests during the ~{{load}} it spends loading weights ({{loadSource}}) and they fail.',
      startupOnly:
        '{{server}} container "{{container}}" has a startupProbe but no readinessProbe: traffic waits until the startupProbe first succeeds, ' +
        'but from then on the pod stays Ready whatever happens, so a server that hangs or is saturated keeps receiving requests ' +
        'until its liveness probe (if any) restarts it.',
    },
  },
  check(ctx) {
    // LeaderWorkerSet workers take no traffic (the leader does): probes and drains belong on the leader.
    for (const unit of ctx.analysis.servers.filter((u) => u.template.role !== 'worker')) {
      if (unit.container.readinessProbe) continue;
      const path = healthPath(unit);
      const port = serverPort(unit);
      // Kubernetes runs no readiness check before the startupProbe succeeds, and a container without a
      // readinessProbe is Ready (default Success) from then on: loading is covered, later trouble is not.
      // https://kubernetes.io/docs/concepts/workloads/pods/pod-lifecycle/#container-probes
      const startup = unit.container.startupProbe !== undefined;
      ctx.report({
        loc: containerLoc(unit),
        messageId: startup ? 'startupOnly' : 'noProbe',
        severity: startup ? 'warning' : undefined,
        data: {
          server: serverName(unit),
          container: unit.container.name,
          load: fmtSeconds(Number(ctx.analysis.weightLoad.value)),
          loadSource: weightLoadSource(ctx.analysis),
        },
        fixes: [fix(`Add a readinessProbe on ${path} port ${port}`, [insertIntoMap(unit.template.doc, unit.container.node, probeBlock('readinessProbe', path, port, 10, 3, PROBE_TIMEOUT_SECONDS))])],
      });
    }
  },
};
