import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap, setScalar } from '../engine/edits';
import { fmtSeconds } from '../engine/assumptions';
import { loc } from '../engine/yaml/nodes';
import { FIELDS, readNumber } from '../engine/fields';
import { containerLoc, weightLoadSource } from './helpers';

export const rule: Rule = {
  meta: {
    id: 'progress-deadline-exceeded',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'progressDeadlineSeconds (default 600) is shorter than the time a new replica needs to load weights and become ready, so healthy rollouts are marked failed.',
    docs: { catches: 'progressDeadlineSeconds (default 600) < time for a replica to load', fix: 'raises it' },
    fixable: true,
    scope: { requires: ['progressDeadline'] },
    needs: ['weightLoad'],
    messages: {
      tooShort:
        'progressDeadlineSeconds is {{deadline}} s{{defaulted}} but a new replica needs ~{{load}} to load weights ({{loadSource}}): ' +
        'the rollout is reported as failed (ProgressDeadlineExceeded) while it is still healthy.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    const pair = w.progressDeadlinePair;
    const deadline = readNumber(pair?.value, FIELDS.progressDeadlineSeconds) ?? w.adapter.progressDeadline?.defaultSeconds ?? 600;
    const load = Number(a.weightLoad.value);
    if (deadline > load) return;
    const recommended = Math.ceil((load * 1.5) / 60) * 60;
    const edit = pair ? setScalar(w.doc, pair.value ?? undefined, String(recommended)) : insertIntoMap(w.doc, w.specNode, `progressDeadlineSeconds: ${recommended}`);
    ctx.report({
      loc: pair ? loc(w.doc, pair.value) : containerLoc(a.primary),
      messageId: 'tooShort',
      data: { deadline, defaulted: pair ? '' : ' (default)', load: fmtSeconds(load), loadSource: weightLoadSource(a) },
      fixes: [fix(`Set progressDeadlineSeconds to ${recommended}`, [edit])],
    });
  },
};
