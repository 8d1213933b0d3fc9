/**
 * KServe InferenceService (serving.kserve.io/v1beta1): `spec.predictor` inlines a PodSpec (containers,
 * nodeSelector, terminationGracePeriodSeconds, ...) and the ComponentExtensionSpec (minReplicas, maxReplicas,
 * timeout, deploymentStrategy, canaryTrafficPercent); `predictor.model` is a container the ServingRuntime completes.
 * Raw mode runs a Deployment; Knative (KServe's default) runs revisions. Sources: see kserve.ts.
 */
import { asMap, get, getPair } from '../yaml/nodes';
import { FIELDS, readNumber } from '../fields';
import { podSpecModel } from '../model/pod';
import type { KindAdapter } from './types';
import { applyPodDefaults } from './operator-defaults';
import { deploymentMode, modelContainer, podDefaults, timeoutOf } from './kserve';
import { deploymentStrategy, deploymentStrategyEdits, podTopology } from './shared';

export const inferenceService: KindAdapter = {
  kind: 'InferenceService',
  group: 'serving.kserve.io',
  apiVersion: /^serving\.kserve\.io\/v1beta1$/,
  instanceNoun: 'replica',
  read(_obj, spec, doc, annotations) {
    const predictor = asMap(get(spec, 'predictor', doc.doc));
    if (!predictor) return { templates: [] };
    const { mode, stated } = deploymentMode(annotations);
    const t = podSpecModel({
      spec: predictor,
      metadata: predictor,
      templateNode: predictor,
      role: 'pod',
      doc,
      workloadAnnotations: annotations,
      extraContainers: (a) => modelContainer(predictor, doc, a),
    });
    applyPodDefaults(t, podDefaults(mode, timeoutOf(predictor, doc), stated));
    const minPair = getPair(predictor, 'minReplicas');
    const max = readNumber(get(predictor, 'maxReplicas', doc.doc), FIELDS.maxReplicas);
    const min = Math.max(mode === 'raw' ? 1 : 0, readNumber(minPair?.value, FIELDS.minReplicas) ?? 1);
    return {
      templates: [t],
      operatorCompleted: true,
      replicasPair: minPair,
      // Raw mode: an unset maxReplicas makes an HPA with max = min; Knative: unlimited (no range to show).
      autoscaler: max !== undefined && max > 0 ? { min, max: Math.max(min, max), source: 'InferenceService minReplicas / maxReplicas' } : undefined,
    };
  },
  rollout(w, replicas) {
    const predictor = asMap(get(w.specNode, 'predictor', w.doc.doc));
    const { mode, stated } = deploymentMode(w.annotations);
    if (mode === 'knative') {
      return {
        replicas,
        stableKeptFull: true,
        mode: 'revision',
        strategyLabel: stated ? 'Knative revision' : "Knative revision (KServe's default Serverless mode)",
        maxSurge: replicas,
        maxUnavailable: 0,
        defaultsNote: 'Knative starts the new revision beside the old one and moves traffic once it is ready',
      };
    }
    return deploymentStrategy(predictor, 'deploymentStrategy', w.doc, replicas, {
      rolling: 'InferenceService (raw Deployment) RollingUpdate',
      defaultsNote: 'KServe raw deployment defaults: maxSurge 25% (rounded up), maxUnavailable 25% (rounded down)',
    });
  },
  topology: (_w, primary) => podTopology(primary),
  zeroDowntimeEdits(w, r) {
    if (r.mode === 'revision') return undefined;
    return deploymentStrategyEdits(asMap(get(w.specNode, 'predictor', w.doc.doc)), 'deploymentStrategy', w.doc, r);
  },
};
