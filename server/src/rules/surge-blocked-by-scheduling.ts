import type { Rule } from '../engine/rule';
import { get, getIn, items, loc, str, stringMap, type Loc } from '../engine/yaml/nodes';
import type { WorkloadAnalysis } from '../engine/analyze';
import { acceleratorWord } from '../engine/model/pod';
import { plural, singleNodeClaims } from './helpers';

const HOSTNAME = 'kubernetes.io/hostname';

interface Blocker {
  loc: Loc | undefined;
  messageId: 'rwo' | 'antiAffinity' | 'hostname';
  data: Record<string, string>;
}

/** Required pod anti-affinity on kubernetes.io/hostname whose selector matches the pod's own labels. */
function selfAntiAffinity(a: WorkloadAnalysis): Loc | undefined {
  const t = a.primary.template;
  const d = t.doc.doc;
  const terms = getIn(t.specNode, ['affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'], d);
  for (const term of items(terms)) {
    const key = get(term, 'topologyKey', d);
    if (str(key) !== HOSTNAME) continue;
    const sel = get(term, 'labelSelector', d);
    const wanted = stringMap(get(sel, 'matchLabels', d));
    const exprs = items(get(sel, 'matchExpressions', d));
    const matches =
      Object.entries(wanted).every(([k, v]) => t.labels[k] === v) &&
      exprs.every((e) => {
        const k = str(get(e, 'key', d)) ?? '';
        const op = str(get(e, 'operator', d));
        const vals = items(get(e, 'values', d)).map(str);
        return op === 'In' ? vals.includes(t.labels[k]) : op === 'Exists' ? k in t.labels : false;
      });
    if (sel && (Object.keys(wanted).length || exprs.length) && matches) return loc(t.doc, key);
  }
  return undefined;
}

export const rule: Rule = {
  meta: {
    id: 'surge-blocked-by-scheduling',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'A rolling update that must start a surge pod before stopping an old one, while the pod can only run where an old one already runs: the update stalls Pending.',
    docs: { catches: 'maxUnavailable 0 surge with a ReadWriteOnce PVC, self anti-affinity on hostname, or a hostname nodeSelector' },
    fixable: false,
    scope: { strategies: ['rolling'] },
    needs: ['rollout'],
    messages: {
      rwo:
        'The update starts a surge pod before stopping any ({{params}}), but the pod mounts PVC {{claim}} ({{mode}}): {{where}} ' +
        'Until then the new pod stays Pending and the rollout stalls. Use a ReadOnlyMany volume for the weights, or let the update stop a pod first.',
      antiAffinity:
        'The update starts a surge pod before stopping any ({{params}}), but required pod anti-affinity on kubernetes.io/hostname against its own labels ' +
        'needs a node without a replica: {{nodes}} with {{gpus}} free each, or the new pod stays Pending and the rollout stalls.',
      hostname:
        'The update starts a surge pod before stopping any ({{params}}), but nodeSelector pins every pod to node {{node}}: it needs {{gpus}} free there ' +
        'besides the old pods, or the new pod stays Pending and the rollout stalls.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const r = a.rollout;
    if (r.maxSurge < 1 || r.maxUnavailable > 0) return;
    const params = `maxSurge ${r.maxSurge}, maxUnavailable 0`;
    const acc = a.topology.accelerators;
    const gpus = acc ? acceleratorWord(acc.resource, acc.count) : 'the resources of one more pod';
    const found: Blocker[] = [];
    for (const c of singleNodeClaims(a)) {
      const where =
        c.mode === 'ReadWriteOncePod'
          ? 'only one pod may use it at a time, so the surge pod can never start while the old one runs.'
          : `only the node that has it attached can run the surge pod, and only if that node has ${gpus} free besides the old pod.`;
      found.push({ loc: c.loc, messageId: 'rwo', data: { params, claim: c.claim, mode: c.mode, where } });
    }
    const anti = selfAntiAffinity(a);
    if (anti) found.push({ loc: anti, messageId: 'antiAffinity', data: { params, nodes: plural(a.replicas + 1, 'node'), gpus } });
    const host = a.primary.template.nodeSelector.find((s) => s.key === HOSTNAME);
    if (host) found.push({ loc: loc(a.primary.template.doc, host.node), messageId: 'hostname', data: { params, node: host.value, gpus } });
    for (const b of found) ctx.report(b);
  },
};
