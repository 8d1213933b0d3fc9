import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { loc } from '../engine/yaml/nodes';
import { articleFor, containerLoc, fmtNum, recommendedGrace, servingTemplatesOf, setGraceEdit } from './helpers';

/** Kubernetes' default terminationGracePeriodSeconds. */
export const DEFAULT_GRACE_SECONDS = 30;

export const rule: Rule = {
  id: 'grace-period-truncates-generations',
  defaultSeverity: 'error',
  description:
    'terminationGracePeriodSeconds (default 30 s) is shorter than the preStop time plus the longest expected generation, so rollouts, scale-downs and evictions cut answers off mid-stream.',
  hasFix: true,
  check(ctx) {
    const a = ctx.analysis;
    for (const { template, units } of servingTemplatesOf(a)) {
      const grace = template.graceSeconds ?? DEFAULT_GRACE_SECONDS;
      const preStop = Math.max(0, ...units.map((u) => u.container.preStop?.sleepSeconds ?? 0));
      const need = preStop + a.generationSeconds;
      if (grace >= need) continue;
      const tokens = Number(a.maxOutputTokens.value);
      // Where the answer length comes from, unless it is the documented 4096 default.
      const tokenSource = a.maxOutputTokens.source === 'default' ? '' : ` (${a.maxOutputTokens.detail})`;
      const graceText = template.graceSeconds === undefined ? `${DEFAULT_GRACE_SECONDS} s (default)` : `${fmtNum(grace)} s`;
      const preStopText = preStop > 0 ? `; with the ${fmtNum(preStop)} s preStop the pod needs ~${Math.ceil(need)} s` : '';
      const recommended = recommendedGrace(need);
      const where = template.gracePair ? loc(template.doc, template.gracePair.value) : containerLoc(units[0]!);
      ctx.report(
        where,
        `terminationGracePeriodSeconds is ${graceText} but ${articleFor(tokens)} ${tokens}-token answer${tokenSource} takes ~${Math.round(a.generationSeconds)} s ` +
          `(TTFT ${fmtNum(Number(a.ttft.value))} s + ${tokens} × ${fmtNum(Number(a.tpot.value), 3)} s/token)${preStopText}: ` +
          `in-flight generations are cut off on every rollout, scale-down and eviction. Set it to at least ${Math.ceil(need)} s.`,
        [fix(`Set terminationGracePeriodSeconds to ${recommended}`, [setGraceEdit(template, recommended)])],
      );
    }
  },
};
