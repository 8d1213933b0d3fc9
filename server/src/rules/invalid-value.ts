import { isScalar, type Node } from 'yaml';
import type { Rule, RuleContext } from '../engine/rule';
import { get, getIn, loc, str, type DocModelRef } from '../engine/yaml/nodes';
import { ACCELERATOR_RESOURCES } from '../engine/model/pod';
import { checkNumber, FIELDS, INT32_MAX, type NumericField } from '../engine/fields';
import { annotationNumber, ASSUMPTIONS } from '../engine/assumptions';
import { containerLoc } from './helpers';

const WHOLE = /^\d+$/;
const INT_OR_PERCENT = /^\d+%?$/;

/** The analysis property that holds each assumption as resolved (what servelint used instead of a bad annotation). */
const RESOLVED_AS: Record<string, 'tpot' | 'ttft' | 'weightLoad' | 'maxOutputTokens'> = {
  secondsPerOutputToken: 'tpot',
  ttftSeconds: 'ttft',
  weightLoadSeconds: 'weightLoad',
  maxOutputTokens: 'maxOutputTokens',
};

const shownOf = (node: Node): string => (isScalar(node) ? JSON.stringify(node.value) : 'a collection');

/** The field's one range check (engine/fields.ts); reported with what servelint used instead (`under`: the field's parent key). */
function checkField(ctx: RuleContext, doc: DocModelRef, node: Node | undefined, f: NumericField, name = f.name, under?: string): void {
  if (node === undefined || node === null) return;
  const { expected } = checkNumber(node, f);
  if (expected) ctx.report({ loc: loc(doc, node), messageId: 'wrongType', data: { field: under ? `${under}.${name}` : name, expected, shown: shownOf(node), assumed: f.assumed } });
}

const PROBES = ['readinessProbe', 'livenessProbe', 'startupProbe'];
const PROBE_FIELDS = [FIELDS.initialDelaySeconds, FIELDS.periodSeconds, FIELDS.failureThreshold, FIELDS.timeoutSeconds];

function checkIntOrPercent(ctx: RuleContext, doc: DocModelRef, node: Node | undefined, field: string): void {
  if (node === undefined || node === null) return;
  const v = isScalar(node) ? node.value : undefined;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= INT32_MAX) return;
  if (typeof v === 'string' && INT_OR_PERCENT.test(v.trim()) && (!v.includes('%') || Number(v.trim().slice(0, -1)) <= 100 || field === 'maxSurge')) return;
  ctx.report({ loc: loc(doc, node), messageId: 'wrongType', data: { field, expected: 'a whole number or a percentage such as "25%"', shown: shownOf(node), assumed: 'the default' } });
}

export const rule: Rule = {
  meta: {
    id: 'invalid-value',
    type: 'problem',
    defaultSeverity: 'error',
    description: 'A field servelint relies on has the wrong type or an impossible value (e.g. replicas: "four", replicas: -3); Kubernetes or the server rejects it.',
    docs: { catches: 'a field servelint relies on has the wrong type or an impossible value (`replicas: "four"`, `-3`, `--gpu-memory-utilization=-0.5`)' },
    fixable: false,
    needs: ['rollout', 'generation', 'weightLoad'],
    messages: {
      wrongType: '{{field}} must be {{expected}}, got {{shown}}: the API server rejects this manifest, and servelint assumed {{assumed}}.',
      wrongDeviceCount: '{{resource}} {{from}} must be a whole number of devices, got {{shown}}: the API server rejects this manifest, and servelint ignored it.',
      wrongFlag: '{{flag}} must be {{expected}}, got {{shown}}: the server refuses to start with it, and servelint ignored it.',
      wrongAnnotation: 'annotation {{name}} must be a number from {{min}} to {{max}}, got {{shown}}: servelint ignored it and used {{used}}.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    checkField(ctx, w.doc, w.replicasPair?.value ?? undefined, FIELDS.replicas);
    checkField(ctx, w.doc, w.progressDeadlinePair?.value ?? undefined, FIELDS.progressDeadlineSeconds);
    checkField(ctx, w.doc, getIn(w.specNode, ['leaderWorkerTemplate', 'size'], w.doc.doc), FIELDS.groupSize);
    const r = a.rollout;
    checkIntOrPercent(ctx, w.doc, r.surgePair?.value ?? undefined, 'maxSurge');
    checkIntOrPercent(ctx, w.doc, r.unavailablePair?.value ?? undefined, 'maxUnavailable');
    for (const t of a.templates) {
      checkField(ctx, t.doc, t.gracePair?.value ?? undefined, FIELDS.terminationGracePeriodSeconds);
      for (const c of t.containers) {
        for (const probe of PROBES) {
          const p = get(c.node, probe, t.doc.doc);
          if (p) for (const f of PROBE_FIELDS) checkField(ctx, t.doc, get(p, f.name, t.doc.doc), f, f.name, probe);
        }
        const sleep = getIn(c.node, ['lifecycle', 'preStop', 'sleep', 'seconds'], t.doc.doc);
        checkField(ctx, t.doc, sleep, FIELDS.sleepSeconds, 'lifecycle.preStop.sleep.seconds');
        for (const from of ['limits', 'requests']) {
          const m = getIn(c.node, ['resources', from], t.doc.doc);
          for (const res of ACCELERATOR_RESOURCES) {
            const n = get(m, res, t.doc.doc);
            const s = str(n);
            if (n !== undefined && !(s !== undefined && WHOLE.test(s.trim()) && Number(s) <= INT32_MAX)) {
              ctx.report({ loc: loc(t.doc, n), messageId: 'wrongDeviceCount', data: { resource: res, from, shown: shownOf(n) } });
            }
          }
        }
      }
    }
    for (const unit of a.servers) {
      for (const { flag, expected } of unit.server.args.invalid) {
        const t = flag.token;
        const where = t.start !== undefined && t.end !== undefined ? { doc: unit.template.doc, start: t.start, end: t.end } : containerLoc(unit);
        ctx.report({ loc: where, messageId: 'wrongFlag', data: { flag: flag.flag, expected, shown: JSON.stringify(flag.value) } });
      }
    }
    // servelint's own numeric annotations (assumptions): out of range, they are ignored; say so where they are written.
    for (const spec of Object.values(ASSUMPTIONS)) {
      if (spec.key === 'utilization') continue; // reported by the cost model's problems (its own annotation reader)
      const raw = a.annotations[spec.annotation];
      if (raw === undefined || annotationNumber(a.annotations, spec.annotation, spec.min, spec.max) !== undefined) continue;
      const node = [w, ...a.templates.map((t) => ({ node: t.templateNode, doc: t.doc }))]
        .map((o) => ({ doc: o.doc, n: getIn(o.node, ['metadata', 'annotations', spec.annotation], o.doc.doc) }))
        .find((x) => x.n !== undefined);
      const used = a[RESOLVED_AS[spec.key] ?? 'maxOutputTokens'];
      ctx.report({
        loc: node?.n ? loc(node.doc, node.n) : loc(w.doc, w.kindPair.value),
        messageId: 'wrongAnnotation',
        data: { name: spec.annotation, min: spec.min, max: spec.max, shown: JSON.stringify(raw), used: `${used.value}${used.unit ? ` ${used.unit}` : ''} (${used.detail ?? used.source})` },
      });
    }
  },
};
