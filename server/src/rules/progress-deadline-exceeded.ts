import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap, setScalar } from '../engine/edits';
import { fmtSeconds } from '../engine/assumptions';
import { loc, num } from '../engine/yaml/nodes';
import { containerLoc, weightLoadSource } from './helpers';


export const rule: Rule = {
  id: 'progress-deadline-exceeded',
  defaultSeverity: 'warning',
  description:
    'progressDeadlineSeconds (default 600) is shorter than the time a new replica needs to load weights and become ready, so healthy rollouts are marked failed.',
  hasFix: true,
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    const supported = w.adapter.progressDeadline;
    if (!supported) return;
    const pair = w.progressDeadlinePair;
    const deadline = num(pair?.value) ?? supported.defaultSeconds;
    const load = Number(a.weightLoad.value);
    if (deadline > load) return;
    const recommended = Math.ceil((load * 1.5) / 60) * 60;
    const edit = pair ? setScalar(w.doc, pair.value ?? undefined, String(recommended)) : insertIntoMap(w.doc, w.specNode, `progressDeadlineSeconds: ${recommended}`);
    ctx.report(
      pair ? loc(w.doc, pair.value) : containerLoc(a.primary),
      `progressDeadlineSeconds is ${deadline} s${pair ? '' : ' (default)'} but a new replica needs ~${fmtSeconds(load)} to load weights ` +
        `(${weightLoadSource(a)}): the rollout is reported as failed (ProgressDeadlineExceeded) while it is still healthy.`,
      [fix(`Set progressDeadlineSeconds to ${recommended}`, [edit])],
    );
  },
};
