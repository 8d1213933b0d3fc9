/**
 * KServe ServingRuntime / ClusterServingRuntime (serving.kserve.io/v1alpha1): `spec.containers` and pod fields
 * (volumes, nodeSelector, ...) that InferenceServices using the runtime run. A template: linted for what its
 * containers carry (probes, drains), with the pod defaults of KServe's default deployment mode; no replicas, no cost.
 * `{{.Name}}`-style placeholders are the runtime's own (Go templates over the InferenceService's metadata), not Helm.
 * Sources: kserve/kserve pkg/apis/serving/v1alpha1/servingruntime_types.go:63-114,151-201;
 * pkg/controller/v1beta1/inferenceservice/utils/utils.go:324-337 (placeholders); see kserve.ts for the defaults.
 */
import { podSpecModel } from '../model/pod';
import type { KindAdapter } from './types';
import { applyPodDefaults } from './operator-defaults';
import { podDefaults } from './kserve';
import { podTopology } from './shared';

function runtime(kind: string): KindAdapter {
  return {
    kind,
    group: 'serving.kserve.io',
    apiVersion: /^serving\.kserve\.io\/v1alpha1$/,
    instanceNoun: 'replica',
    template: true,
    read(_obj, spec, doc, annotations) {
      if (!spec) return { templates: [] };
      const t = podSpecModel({ spec, metadata: spec, templateNode: spec, role: 'pod', doc, workloadAnnotations: annotations });
      return { templates: [applyPodDefaults(t, podDefaults('knative', undefined, false))], replicasPair: undefined };
    },
    rollout: (_w, replicas) => ({
      replicas,
      stableKeptFull: true,
      mode: 'ondelete',
      strategyLabel: `${kind} (a template: the InferenceServices that use it roll out)`,
      maxSurge: 0,
      maxUnavailable: 0,
      defaultsNote: '',
    }),
    topology: (_w, primary) => podTopology(primary),
    zeroDowntimeEdits: () => undefined,
  };
}

export const servingRuntime = runtime('ServingRuntime');
export const clusterServingRuntime = runtime('ClusterServingRuntime');
