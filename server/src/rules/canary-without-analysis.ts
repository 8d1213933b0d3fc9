import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap, type LocEdit } from '../engine/edits';
import { asMap, get, items, loc } from '../engine/yaml/nodes';
import type { WorkloadAnalysis } from '../engine/analyze';
import { analysisRef, analysisTemplateDocument } from './analysis-template';

/** Appends a document after the workload's document (keeps a newline before ---). */
export function appendDocument(a: WorkloadAnalysis, text: string): LocEdit {
  const doc = a.workload.doc;
  const end = doc.text.length;
  const needsNewline = end > 0 && !doc.text.endsWith('\n');
  return { loc: { doc, start: end, end }, newText: (needsNewline ? '\n' : '') + text };
}

export const rule: Rule = {
  id: 'canary-without-analysis',
  defaultSeverity: 'warning',
  description:
    'An Argo Rollouts canary with steps but no analysis: nothing measures TTFT or errors, so a bad model or config is promoted step by step.',
  hasFix: true,
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    if (a.rollout.strategyLabel !== 'canary') return;
    const canaryPair = a.rollout.strategyPair;
    const canary = asMap(canaryPair?.value);
    const steps = items(get(canary, 'steps', w.doc.doc));
    if (steps.length === 0) return;
    if (get(canary, 'analysis', w.doc.doc) !== undefined) return;
    const stepHasAnalysis = steps.some((s) => get(s, 'analysis', w.doc.doc) !== undefined || get(get(s, 'experiment', w.doc.doc), 'analyses', w.doc.doc) !== undefined);
    if (stepHasAnalysis) return;
    const job = w.name ?? 'model-server';
    ctx.report(
      loc(w.doc, canaryPair?.key),
      `Canary has ${steps.length} steps but no analysis (background or step): nothing checks TTFT p99 or the error rate, ` +
        `so a regression in the new model or its settings is promoted instead of rolled back.`,
      [
        fix('Add canary analysis on TTFT p99 and error rate (and its AnalysisTemplate)', [
          insertIntoMap(w.doc, canary, `analysis:\n  startingStep: 1\n${analysisRef(job).replace(/^/gm, '  ')}`),
          appendDocument(a, analysisTemplateDocument(a.primary.server.kind, w.namespace)),
        ]),
      ],
    );
  },
};
