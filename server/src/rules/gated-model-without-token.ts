import type { Rule } from '../engine/rule';
import { identifyModel } from '../engine/cost/models';
import { serverName } from './helpers';
import { hasHubToken, hubModelOf, modelLoc } from './model-source';

const org = (id: string): string => id.split('/')[0]!.toLowerCase();

export const rule: Rule = {
  meta: {
    id: 'gated-model-without-token',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      'The server downloads a gated Hugging Face model (Llama, Gemma, Mistral, …) but its container gets no Hub token (HF_TOKEN): the download fails with 401 and the pod never becomes ready.',
    docs: { catches: 'a gated Hub model (meta-llama/*, google/gemma*, …) with no HF_TOKEN / HUGGING_FACE_HUB_TOKEN in env or envFrom' },
    fixable: false,
    needs: [],
    messages: {
      noToken:
        '{{model}} is a gated repository on the Hugging Face Hub ({{family}}: {{source}}), but container "{{container}}" has no Hub token ' +
        '(HF_TOKEN or HUGGING_FACE_HUB_TOKEN in env, or an envFrom Secret holding one): {{server}} fails with 401 "Cannot access gated repo" ' +
        'and the pod restarts forever. Accept the license on the model page, then add HF_TOKEN from a Secret (valueFrom.secretKeyRef).',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    for (const unit of a.servers) {
      const model = hubModelOf(unit);
      // An operator's downloader (KServe's storage-initializer) takes the token from the pod's ServiceAccount secrets
      // (kserve/kserve@aaac4e29 pkg/credentials CreateSecretVolumeAndEnvFromServiceAccount), which the manifest does
      // not show: not reported.
      if (!model || unit.container.modelFetch) continue;
      const info = identifyModel(model.value.trim());
      // The catalog matches names loosely (DeepSeek-R1-Distill-Llama-8B → Llama 3.1 8B): gating is the repository's,
      // so the id must be in the gated entry's organisation.
      if (!info || info.match !== 'catalog' || !info.spec.gated || org(model.value.trim()) !== org(info.spec.id)) continue;
      if (hasHubToken(unit.container, unit.template.doc, a.workload.namespace, a.lookups)) continue;
      ctx.report({
        loc: modelLoc(unit, model),
        messageId: 'noToken',
        data: {
          model: model.value.trim(),
          family: info.spec.family ?? info.spec.id,
          source: (info.spec.gatedSource ?? '').split(':')[0] ?? '',
          container: unit.container.name,
          server: serverName(unit),
        },
      });
    }
  },
};
