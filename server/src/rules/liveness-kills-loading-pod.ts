import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap, setScalar } from '../engine/edits';
import { fmtSeconds } from '../engine/assumptions';
import { get, getIn, loc, str } from '../engine/yaml/nodes';
import type { ProbeModel } from '../engine/model/pod';
import { containerLoc, healthPath, probeBlock, serverPort, validPort, weightLoadSource } from './helpers';

function budgetText(p: ProbeModel): string {
  const by = p.defaultedBy ? `, the ${p.defaultedBy} default` : '';
  return `${p.budgetSeconds} s (initialDelaySeconds ${p.initialDelaySeconds} + failureThreshold ${p.failureThreshold} × periodSeconds ${p.periodSeconds}${by})`;
}

export const rule: Rule = {
  meta: {
    id: 'liveness-kills-loading-pod',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      'A livenessProbe gives up before the model has loaded and no startupProbe covers the load, so the kubelet restarts the pod in a loop.',
    docs: { catches: 'liveness (or startup) probe gives up before the weights are loaded', fix: 'adds / raises a startupProbe' },
    fixable: true,
    needs: ['weightLoad'],
    messages: {
      startupTooShort: 'startupProbe allows only {{budget}} but {{load}}: the container is killed before it finishes loading.',
      livenessTooShort:
        'livenessProbe gives up after {{budget}} but {{load}}, and no startupProbe covers the load: ' +
        'the kubelet restarts the pod before it ever serves, on every rollout and reschedule.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const load = Number(a.weightLoad.value);
    for (const unit of a.servers) {
      const { livenessProbe: live, startupProbe: startup } = unit.container;
      // A startupProbe that gives up too early restarts the container just like a liveness probe.
      if (startup ? startup.budgetSeconds >= load : !live || live.budgetSeconds >= load) continue;
      const doc = unit.template.doc;
      const period = 10;
      const threshold = Math.ceil((load * 1.5) / period);
      const loadText = `loading weights takes ~${fmtSeconds(load)} (${weightLoadSource(a)})`;
      if (startup) {
        const startupThreshold = Math.ceil((load * 1.5) / startup.periodSeconds);
        const thresholdNode = get(startup.node, 'failureThreshold', doc.doc);
        // An operator's default probe is replaced by one written in the container (the manifest wins).
        const edit = startup.pair === undefined
          ? insertIntoMap(doc, unit.container.node, probeBlock('startupProbe', healthPath(unit), serverPort(unit), startup.periodSeconds, startupThreshold))
          : thresholdNode ? setScalar(doc, thresholdNode, String(startupThreshold)) : insertIntoMap(doc, startup.node, `failureThreshold: ${startupThreshold}`);
        ctx.report({
          loc: startup.pair ? loc(doc, startup.pair.key) : containerLoc(unit),
          messageId: 'startupTooShort',
          data: { budget: budgetText(startup), load: loadText },
          fixes: [fix(`Raise startupProbe.failureThreshold to ${startupThreshold} (${fmtSeconds(startupThreshold * startup.periodSeconds)})`, [edit])],
        });
        continue;
      }
      if (!live) continue;
      const httpGet = getIn(live.node, ['httpGet'], doc.doc);
      // Copied only when it is a plain URL path (it is written unquoted into the new probe).
      const written = str(get(httpGet, 'path', doc.doc));
      const path = written !== undefined && /^\/[\w\-./~%=&]*$/.test(written) ? written : healthPath(unit);
      const port = validPort(str(get(httpGet, 'port', doc.doc)), serverPort(unit));
      ctx.report({
        loc: live.pair ? loc(doc, live.pair.key) : containerLoc(unit),
        messageId: 'livenessTooShort',
        data: { budget: budgetText(live), load: loadText },
        fixes: [
          fix(`Add a startupProbe that allows ${fmtSeconds(threshold * period)} for loading`, [
            insertIntoMap(doc, unit.container.node, probeBlock('startupProbe', path, port, period, threshold)),
          ]),
        ],
      });
    }
  },
};
