import { isScalar, type Node } from 'yaml';
import type { Rule } from '../engine/rule';
import { get, getIn, loc, str, type DocModelRef } from '../engine/yaml/nodes';
import { ACCELERATOR_RESOURCES } from '../engine/model/pod';

const WHOLE = /^\d+$/;
const INT_OR_PERCENT = /^\d+%?$/;

/** Numeric fields servelint reads; a wrong type makes Kubernetes reject the object and servelint fall back to a default. */
function check(
  doc: DocModelRef,
  node: Node | undefined,
  field: string,
  type: 'int' | 'intOrPercent',
  assumed: string,
  report: (n: Node, data: Record<string, string>) => void,
): void {
  if (node === undefined || node === null) return;
  if (isScalar(node)) {
    const v = node.value;
    if (type === 'int' && typeof v === 'number' && Number.isInteger(v) && v >= 0) return;
    if (type === 'intOrPercent' && ((typeof v === 'number' && Number.isInteger(v) && v >= 0) || (typeof v === 'string' && INT_OR_PERCENT.test(v.trim())))) return;
  }
  const shown = isScalar(node) ? JSON.stringify(node.value) : 'a collection';
  const expected = type === 'int' ? 'a whole number' : 'a whole number or a percentage such as "25%"';
  report(node, { field, expected, shown, assumed });
}

export const rule: Rule = {
  meta: {
    id: 'invalid-value',
    type: 'problem',
    defaultSeverity: 'error',
    description: 'A field servelint relies on has the wrong type (e.g. replicas: "four"); Kubernetes rejects the manifest.',
    docs: { catches: 'a field servelint relies on has the wrong type (`replicas: "four"`)' },
    fixable: false,
    needs: ['rollout'],
    messages: {
      wrongType: '{{field}} must be {{expected}}, got {{shown}}: the API server rejects this manifest, and servelint assumed {{assumed}}.',
      wrongDeviceCount: '{{resource}} {{from}} must be a whole number of devices, got {{shown}}: the API server rejects this manifest, and servelint ignored it.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    const report = (doc: DocModelRef) => (n: Node, data: Record<string, string>) => ctx.report({ loc: loc(doc, n), messageId: 'wrongType', data });
    check(w.doc, w.replicasPair?.value ?? undefined, 'replicas', 'int', '1 replica', report(w.doc));
    check(w.doc, w.progressDeadlinePair?.value ?? undefined, 'progressDeadlineSeconds', 'int', 'the default 600 s', report(w.doc));
    const r = a.rollout;
    check(w.doc, r.surgePair?.value ?? undefined, 'maxSurge', 'intOrPercent', 'the default', report(w.doc));
    check(w.doc, r.unavailablePair?.value ?? undefined, 'maxUnavailable', 'intOrPercent', 'the default', report(w.doc));
    for (const t of a.templates) {
      check(t.doc, t.gracePair?.value ?? undefined, 'terminationGracePeriodSeconds', 'int', 'the default 30 s', report(t.doc));
      for (const c of t.containers) {
        for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe']) {
          for (const f of ['initialDelaySeconds', 'periodSeconds', 'failureThreshold']) {
            check(t.doc, getIn(c.node, [probe, f], t.doc.doc), `${probe}.${f}`, 'int', 'the Kubernetes default', report(t.doc));
          }
        }
        for (const from of ['limits', 'requests']) {
          const m = getIn(c.node, ['resources', from], t.doc.doc);
          for (const res of ACCELERATOR_RESOURCES) {
            const n = get(m, res, t.doc.doc);
            const s = str(n);
            if (n !== undefined && !(s !== undefined && WHOLE.test(s.trim()))) {
              ctx.report({ loc: loc(t.doc, n), messageId: 'wrongDeviceCount', data: { resource: res, from, shown: isScalar(n) ? JSON.stringify(n.value) : 'a collection' } });
            }
          }
        }
      }
    }
  },
};
