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
  meta: {
    id: 'canary-without-analysis',
    type: 'suggestion',
    defaultSeverity: 'warning',
    description:
      'An Argo Rollouts canary with steps but no analysis: nothing measures TTFT or errors, so a bad model or config is promoted step by step.',
    docs: { catches: 'Argo canary with steps and no analysis', fix: 'adds analysis + an AnalysisTemplate on TTFT p99 and error rate' },
    fixable: true,
    scope: { strategies: ['canary'] },
    needs: ['rollout'],
    messages: {
      noAnalysis:
        'Canary has {{steps}} steps but no analysis (background or step): nothing checks TTFT p99 or the error rate, ' +
        'so a regression in the new model or its settings is promoted instead of rolled back.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    const canaryPair = a.rollout.strategyPair;
    const canary = asMap(canaryPair?.value);
    const steps = items(get(canary, 'steps', w.doc.doc));
    if (steps.length === 0) return;
    if (get(canary, 'analysis', w.doc.doc) !== undefined) return;
    const stepHasAnalysis = steps.some((s) => get(s, 'analysis', w.doc.doc) !== undefined || get(get(s, 'experiment', w.doc.doc), 'analyses', w.doc.doc) !== undefined);
    if (stepHasAnalysis) return;
    const job = w.name ?? 'model-server';
    ctx.report({
      loc: loc(w.doc, canaryPair?.key),
      messageId: 'noAnalysis',
      data: { steps: steps.length },
      fixes: [
        fix('Add canary analysis on TTFT p99 and error rate (and its AnalysisTemplate)', [
          insertIntoMap(w.doc, canary, `analysis:\n  startingStep: 1\n${analysisRef(job).replace(/^/gm, '  ')}`),
          appendDocument(a, analysisTemplateDocument(a.primary.server.kind, w.namespace)),
        ]),
      ],
    });
  },
};
