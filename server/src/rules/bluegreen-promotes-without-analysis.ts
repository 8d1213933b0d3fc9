import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { insertIntoMap } from '../engine/edits';
import { asMap, get, getPair, loc, str } from '../engine/yaml/nodes';
import { analysisRef, analysisTemplateDocument } from './analysis-template';
import { appendDocument } from './canary-without-analysis';

export const rule: Rule = {
  meta: {
    id: 'bluegreen-promotes-without-analysis',
    type: 'suggestion',
    defaultSeverity: 'warning',
    description: 'A blue-green Rollout promotes automatically with no prePromotionAnalysis: traffic switches to an unverified model.',
    docs: { catches: 'blue-green auto-promotion without prePromotionAnalysis', fix: 'adds prePromotionAnalysis + AnalysisTemplate' },
    fixable: true,
    scope: { strategies: ['bluegreen'] },
    needs: ['rollout'],
    messages: {
      autoPromotes:
        'Blue-green promotes automatically{{defaulted}} with no prePromotionAnalysis: ' +
        'all traffic moves to the new model without checking its TTFT p99 or error rate.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    const bgPair = a.rollout.strategyPair;
    const bg = asMap(bgPair?.value);
    const autoPair = getPair(bg, 'autoPromotionEnabled');
    if (str(autoPair?.value) === 'false') return;
    if (get(bg, 'prePromotionAnalysis', w.doc.doc) !== undefined) return;
    const job = w.name ?? 'model-server';
    ctx.report({
      loc: loc(w.doc, autoPair?.value) ?? loc(w.doc, bgPair?.key),
      messageId: 'autoPromotes',
      data: { defaulted: autoPair ? '' : ' (autoPromotionEnabled defaults to true)' },
      fixes: [
        fix('Add prePromotionAnalysis on TTFT p99 and error rate (and its AnalysisTemplate)', [
          insertIntoMap(w.doc, bg, `prePromotionAnalysis:\n${analysisRef(job).replace(/^/gm, '  ')}`),
          appendDocument(a, analysisTemplateDocument(a.primary.server.kind, w.namespace)),
        ]),
      ],
    });
  },
};
