import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { loc } from '../engine/yaml/nodes';
import { profileOf } from '../engine/servers';
import { articleFor, containerLoc, fmtNum, graceOf, prefillOnly, recommendedGrace, servingTemplatesOf, setGraceEdit } from './helpers';

export { DEFAULT_GRACE_SECONDS } from './helpers';

export const rule: Rule = {
  meta: {
    id: 'grace-period-truncates-generations',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      'terminationGracePeriodSeconds (default 30 s) is shorter than the preStop time plus the longest expected generation, so rollouts, scale-downs and evictions cut answers off mid-stream.',
    docs: { catches: 'terminationGracePeriodSeconds (default 30 s) < preStop + TTFT + max output tokens × TPOT', fix: 'sets the grace period' },
    fixable: true,
    needs: ['generation'],
    messages: {
      tooShort:
        'terminationGracePeriodSeconds is {{grace}} but {{article}} {{tokens}}-token answer{{tokenSource}} takes ~{{seconds}} s ' +
        '(TTFT {{ttft}} s + {{tokens}} × {{tpot}} s/token){{preStop}}: in-flight generations are cut off on every rollout, scale-down and eviction. ' +
        'Set it to at least {{need}} s.{{engineDrain}}',
      prefillTooShort:
        'terminationGracePeriodSeconds is {{grace}} but this prefill-only pod ({{why}}) needs ~{{need}} s to finish its prefills ' +
        '(TTFT {{ttft}} s{{preStop}}): it streams no answers, so its need is the prefill time, not the longest generation. Set it to at least {{need}} s.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    for (const { template, units } of servingTemplatesOf(a)) {
      const grace = graceOf(template).seconds;
      const preStop = Math.max(0, ...units.map((u) => u.container.preStop?.sleepSeconds ?? 0));
      // A prefill-only pod (disaggregated serving) hands its KV cache over and streams nothing: it needs the TTFT.
      const prefill = units.every((u) => prefillOnly(u)) ? prefillOnly(units[0]!) : undefined;
      const need = preStop + (prefill ? Number(a.ttft.value) : a.generationSeconds);
      if (grace >= need) continue;
      const graceText = graceOf(template).text;
      if (prefill) {
        ctx.report({
          loc: template.gracePair ? loc(template.doc, template.gracePair.value) : containerLoc(units[0]!),
          messageId: 'prefillTooShort',
          data: { grace: graceText, why: prefill, need: Math.ceil(need), ttft: fmtNum(Number(a.ttft.value)), preStop: preStop > 0 ? ` + ${fmtNum(preStop)} s preStop` : '' },
          fixes: [fix(`Set terminationGracePeriodSeconds to ${recommendedGrace(need)}`, [setGraceEdit(template, recommendedGrace(need))])],
        });
        continue;
      }
      const tokens = Number(a.maxOutputTokens.value);
      const recommended = recommendedGrace(need);
      // A server that drains on SIGTERM for a fixed time of its own (TGI's launcher: 90 s) cuts longer answers anyway.
      const own = profileOf(units[0]!.server.kind);
      const drain = own.sigterm && !own.sigterm.flag && own.sigterm.defaultSeconds > 0 ? own.sigterm.defaultSeconds : undefined;
      const engineDrain = drain !== undefined && a.generationSeconds > drain
        ? ` Note that ${own.name} itself waits at most ${drain} s for running requests after SIGTERM, so answers longer than that are cut even then.`
        : '';
      ctx.report({
        loc: template.gracePair ? loc(template.doc, template.gracePair.value) : containerLoc(units[0]!),
        messageId: 'tooShort',
        data: {
          grace: graceOf(template).text,
          article: articleFor(tokens),
          tokens,
          // Where the answer length comes from, unless it is the documented 4096 default.
          tokenSource: a.maxOutputTokens.source === 'default' ? '' : ` (${a.maxOutputTokens.detail})`,
          seconds: Math.round(a.generationSeconds),
          ttft: fmtNum(Number(a.ttft.value)),
          tpot: fmtNum(Number(a.tpot.value), 3),
          preStop: preStop > 0 ? `; with the ${fmtNum(preStop)} s preStop the pod needs ~${Math.ceil(need)} s` : '',
          need: Math.ceil(need),
          engineDrain,
        },
        fixes: [fix(`Set terminationGracePeriodSeconds to ${recommended}`, [setGraceEdit(template, recommended)])],
      });
    }
  },
};
