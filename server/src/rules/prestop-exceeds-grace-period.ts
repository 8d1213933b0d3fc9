import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { loc } from '../engine/yaml/nodes';
import { containerLoc, fmtNum, graceOf, recommendedGrace, servingTemplatesOf, setGraceEdit } from './helpers';

export const rule: Rule = {
  meta: {
    id: 'prestop-exceeds-grace-period',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      'The preStop sleep is as long as or longer than terminationGracePeriodSeconds, so the kubelet kills the container before the drain ends.',
    docs: { catches: 'preStop sleep ≥ grace period: the kubelet kills the drain', fix: 'raises the grace period' },
    fixable: true,
    needs: ['generation'],
    messages: {
      sleepsPastGrace:
        'preStop sleeps {{sleep}} but terminationGracePeriodSeconds is {{grace}}: the grace period includes the hook, ' +
        'so the kubelet kills container "{{container}}" before its drain finishes and in-flight answers are lost.',
    },
  },
  check(ctx) {
    for (const { template, units } of servingTemplatesOf(ctx.analysis)) {
      const grace = graceOf(template).seconds;
      for (const unit of units) {
        const p = unit.container.preStop;
        if (p?.sleepSeconds === undefined || p.sleepSeconds < grace) continue;
        const recommended = recommendedGrace(p.sleepSeconds + ctx.analysis.generationSeconds);
        ctx.report({
          loc: p.sleepNode ?? p.pair ? loc(template.doc, p.sleepNode ?? p.pair?.key) : template.gracePair ? loc(template.doc, template.gracePair.value) : containerLoc(unit),
          messageId: 'sleepsPastGrace',
          data: {
            sleep: `${fmtNum(p.sleepSeconds)} s${p.defaultedBy ? ` (${p.defaultedBy} default)` : ''}`,
            grace: graceOf(template).text,
            container: unit.container.name,
          },
          fixes: [fix(`Set terminationGracePeriodSeconds to ${recommended}`, [setGraceEdit(template, recommended)])],
        });
      }
    }
  },
};
