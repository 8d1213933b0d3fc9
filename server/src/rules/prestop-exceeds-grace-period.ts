import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { loc } from '../engine/yaml/nodes';
import { DEFAULT_GRACE_SECONDS } from './grace-period-truncates-generations';
import { fmtNum, recommendedGrace, servingTemplatesOf, setGraceEdit } from './helpers';

export const rule: Rule = {
  id: 'prestop-exceeds-grace-period',
  defaultSeverity: 'error',
  description:
    'The preStop sleep is as long as or longer than terminationGracePeriodSeconds, so the kubelet kills the container before the drain ends.',
  hasFix: true,
  check(ctx) {
    for (const { template, units } of servingTemplatesOf(ctx.analysis)) {
      const grace = template.graceSeconds ?? DEFAULT_GRACE_SECONDS;
      for (const unit of units) {
        const p = unit.container.preStop;
        if (p?.sleepSeconds === undefined || p.sleepSeconds < grace) continue;
        const recommended = recommendedGrace(p.sleepSeconds + ctx.analysis.generationSeconds);
        const graceText = template.graceSeconds === undefined ? `${grace} s (default)` : `${fmtNum(grace)} s`;
        ctx.report(
          loc(template.doc, p.sleepNode ?? p.pair.key),
          `preStop sleeps ${fmtNum(p.sleepSeconds)} s but terminationGracePeriodSeconds is ${graceText}: the grace period includes the hook, ` +
            `so the kubelet kills container "${unit.container.name}" before its drain finishes and in-flight answers are lost.`,
          [fix(`Set terminationGracePeriodSeconds to ${recommended}`, [setGraceEdit(template, recommended)])],
        );
      }
    }
  },
};
