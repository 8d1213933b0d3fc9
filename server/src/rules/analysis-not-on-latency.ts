import type { Node } from 'yaml';
import type { Rule } from '../engine/rule';
import { asMap, get, items, loc, str } from '../engine/yaml/nodes';
import type { K8sObject } from '../engine/model/workload';

/** Latency metrics of model servers: TTFT, inter-token latency / TPOT, end-to-end request latency or duration. */
const LATENCY = /time_to_first_token|ttft|latency|duration|inter_token|inter-token|tpot|e2e/i;
/** Error rates: failed / 5xx / errored requests (vLLM, TGI, SGLang, gateways and meshes). */
const ERRORS = /error|fail|5xx|5\.\.|"5|'5|status=~|code=~|response_code|success[-_]?rate|non[-_]?2xx/i;

interface TemplateRef {
  name: string;
  nameNode: Node;
  cluster: boolean;
}

/** templateName references of one analysis block (`analysis:` / `prePromotionAnalysis:` …). */
function refsOf(block: unknown, doc: K8sObject['doc']): TemplateRef[] {
  const out: TemplateRef[] = [];
  for (const t of items(get(block, 'templates', doc.doc))) {
    const nameNode = get(t, 'templateName', doc.doc);
    const name = str(nameNode);
    if (name && nameNode) out.push({ name, nameNode, cluster: str(get(t, 'clusterScope', doc.doc)) === 'true' });
  }
  return out;
}

/** Metric names and the provider text (queries, URLs) of an (Cluster)AnalysisTemplate. */
function metricsText(t: K8sObject): { names: string[]; text: string } {
  const names: string[] = [];
  let text = '';
  for (const m of items(get(get(t.node, 'spec', t.doc.doc), 'metrics', t.doc.doc))) {
    const name = str(get(m, 'name', t.doc.doc)) ?? '';
    names.push(name);
    const provider = get(m, 'provider', t.doc.doc);
    const r = (provider as { range?: number[] } | undefined)?.range;
    text += `\n${name}\n${r ? t.doc.text.slice(r[0], r[1]) : ''}`;
  }
  return { names, text };
}

export const rule: Rule = {
  meta: {
    id: 'analysis-not-on-latency',
    type: 'suggestion',
    defaultSeverity: 'warning',
    description:
      "An Argo Rollout's analysis uses AnalysisTemplates that measure neither latency (TTFT, inter-token, end-to-end) nor the error rate: a slower or failing model version passes the analysis and is promoted.",
    docs: { catches: 'Argo Rollout analysis whose templates measure neither TTFT / latency nor the error rate' },
    fixable: false,
    scope: { strategies: ['canary', 'bluegreen'] },
    needs: ['rollout'],
    messages: {
      notLatency:
        '{{where}} runs {{kind}} "{{name}}", whose metrics ({{metrics}}) measure neither latency (TTFT, inter-token or end-to-end p99) ' +
        'nor the error rate: a new model or server version that answers slower or fails requests passes the analysis and is promoted. ' +
        'Add a metric on TTFT p99 (e.g. vLLM vllm:time_to_first_token_seconds_bucket) and one on the error rate.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const w = a.workload;
    const strategy = asMap(a.rollout.strategyPair?.value);
    if (!strategy) return;
    const doc = w.doc;
    const blocks: { where: string; node: unknown }[] = [];
    for (const key of ['analysis', 'prePromotionAnalysis', 'postPromotionAnalysis']) {
      const node = get(strategy, key, doc.doc);
      if (node) blocks.push({ where: key === 'analysis' ? 'Canary background analysis' : key, node });
    }
    items(get(strategy, 'steps', doc.doc)).forEach((s, i) => {
      const node = get(s, 'analysis', doc.doc);
      if (node) blocks.push({ where: `Canary step ${i + 1} analysis`, node });
    });
    for (const block of blocks) {
      const refs = refsOf(block.node, doc);
      const found = refs.map((r) => ({ r, t: a.lookups.analysisTemplate(r.name, w.namespace, r.cluster) }));
      // A template that is not in the input may measure anything: judge a block only when all of it is visible.
      if (!found.length || found.some((f) => !f.t)) continue;
      const measured = found.map((f) => metricsText(f.t as K8sObject));
      if (measured.some((m) => LATENCY.test(m.text) || ERRORS.test(m.text))) continue;
      for (const [i, f] of found.entries()) {
        ctx.report({
          loc: loc(doc, f.r.nameNode),
          messageId: 'notLatency',
          data: {
            where: block.where,
            kind: f.r.cluster ? 'ClusterAnalysisTemplate' : 'AnalysisTemplate',
            name: f.r.name,
            metrics: measured[i]!.names.filter((n) => n).join(', ') || 'none',
          },
        });
      }
    }
  },
};
