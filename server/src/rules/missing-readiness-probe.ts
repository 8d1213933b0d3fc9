import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap } from '../engine/edits';
import { containerLoc, healthPath, probeBlock, serverName, serverPort, weightLoadSource } from './helpers';
import { fmtSeconds } from '../engine/assumptions';

export const rule: Rule = {
  id: 'missing-readiness-probe',
  defaultSeverity: 'error',
  description: 'A model server without a readinessProbe receives traffic while it is still loading weights.',
  hasFix: true,
  check(ctx) {
    // LeaderWorkerSet workers take no traffic (the leader does): probes and drains belong on the leader.
    for (const unit of ctx.analysis.servers.filter((u) => u.template.role !== 'worker')) {
      if (unit.container.readinessProbe) continue;
      const path = healthPath(unit);
      const port = serverPort(unit);
      ctx.report(
        containerLoc(unit),
        `${serverName(unit)} container "${unit.container.name}" has no readinessProbe: it counts as ready as soon as it starts, ` +
          `so it receives requests during the ~${fmtSeconds(Number(ctx.analysis.weightLoad.value))} it spends loading weights ` +
          `(${weightLoadSource(ctx.analysis)}) and they fail.`,
        [fix(`Add a readinessProbe on ${path} port ${port}`, [insertIntoMap(unit.template.doc, unit.container.node, probeBlock('readinessProbe', path, port, 10, 3))])],
      );
    }
  },
};
