/** The resource inventory: relations as lookups, linear linking, and a cache keyed on what each analysis looked up. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLinter, Inventory } from '../../server/src';
import { parseDocumentText } from '../../server/src/engine/parse';
import { splitDocuments } from '../../server/src/engine/yaml/split';
import { yaml } from './helpers/lint';

function inventoryOf(text: string): Inventory {
  const docs = splitDocuments(text).map((c) => parseDocumentText(c.text));
  return new Inventory(docs.flatMap((d) => d.objects), docs.flatMap((d) => d.workloads));
}

function deployment(i: number, ns = 'serving'): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: llm-${i}
      namespace: ${ns}
    spec:
      replicas: 2
      selector:
        matchLabels: {app: llm-${i}}
      template:
        metadata:
          labels: {app: llm-${i}, tier: inference}
        spec:
          containers:
            - name: vllm
              image: vllm/vllm-openai:v0.6.3
              args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]
              resources:
                limits:
                  nvidia.com/gpu: 1
    ---
    apiVersion: autoscaling/v2
    kind: HorizontalPodAutoscaler
    metadata:
      name: llm-${i}
      namespace: ${ns}
    spec:
      scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: llm-${i}}
      minReplicas: 3
      maxReplicas: 6
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata:
      name: llm-${i}
      namespace: ${ns}
    spec:
      minAvailable: 1
      selector:
        matchLabels: {app: llm-${i}, tier: inference}
  `;
}

const manifest = (n: number): string => Array.from({ length: n }, (_, i) => deployment(i)).join('---\n');

test('linking stays linear: 4,000 Deployments + 4,000 HPAs + 4,000 PDBs cost ~4x the operations of 1,000 of each', () => {
  const counts: Record<number, number> = {};
  for (const n of [1000, 4000]) {
    const linter = createLinter();
    const result = linter.lint(manifest(n));
    assert.equal(result.workloads.length, n);
    // Every HPA applies to its Deployment (the cost table shows its range, 3–6; declared replicas stay the base).
    assert.ok(result.workloads.every((w) => w.cost?.replicasMin === 3 && w.cost?.replicasMax === 6));
    // Every workload is linted: grace + drain + readiness + gated model without a token + weights downloaded on start
    // per Deployment, and autoscaling-on-cpu on its HPA (no metrics: the default 80 % CPU), nothing lost at scale.
    assert.equal(result.findings.length, 6 * n);
    // And each PDB is found for its own pods only, through the label index.
    const inv = inventoryOf(manifest(n));
    const before = inv.ops;
    for (const w of inv.workloads) assert.deepEqual(inv.disruptionBudgetsFor(w.templates[0]!.labels, w.namespace).map((p) => p.name), [w.name]);
    counts[n] = linter.inventoryOpCount + (inv.ops - before);
  }
  const ratio = counts[4000]! / counts[1000]!;
  assert.ok(ratio > 3.5 && ratio < 4.5, `operations grew ${ratio.toFixed(2)}x for 4x the objects (${counts[1000]} → ${counts[4000]})`);
});

test('HPA and KEDA ScaledObject set replicas through scaleTargetRef (KEDA defaults: kind Deployment, min 0, max 100)', () => {
  const keda = deployment(1).split('---\n')[0] + yaml`
    ---
    apiVersion: keda.sh/v1alpha1
    kind: ScaledObject
    metadata:
      name: llm-scaler
      namespace: serving
    spec:
      scaleTargetRef: {name: llm-1}
      maxReplicaCount: 8
  `;
  const inv = inventoryOf(keda);
  const a = inv.autoscaler(inv.workloads[0]!);
  assert.deepEqual([a?.source, a?.min, a?.max], ['ScaledObject', 0, 8]);
  const w = createLinter().lint(keda.replace('  replicas: 2\n', '')).workloads[0]!;
  assert.deepEqual([w.cost?.replicas, w.cost?.replicasMax], [0, 8]);
});

test('selectors: PDB matchLabels / matchExpressions / namespace, Service selectors, AnalysisTemplates, ConfigMaps', () => {
  const text = deployment(1) + yaml`
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: by-expression, namespace: serving}
    spec:
      maxUnavailable: 1
      selector:
        matchExpressions:
          - {key: tier, operator: In, values: [inference, batch]}
          - {key: canary, operator: DoesNotExist}
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: other-namespace, namespace: staging}
    spec:
      selector: {matchLabels: {app: llm-1}}
    ---
    apiVersion: policy/v1
    kind: PodDisruptionBudget
    metadata: {name: not-matching, namespace: serving}
    spec:
      selector: {matchLabels: {app: llm-1, tier: batch}}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: llm-1, namespace: serving}
    spec:
      selector: {app: llm-1}
    ---
    apiVersion: v1
    kind: Service
    metadata: {name: headless-manual, namespace: serving}
    spec: {}
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: AnalysisTemplate
    metadata: {name: slo, namespace: serving}
    ---
    apiVersion: argoproj.io/v1alpha1
    kind: ClusterAnalysisTemplate
    metadata: {name: slo}
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: env, namespace: serving}
    data: {MODEL_ID: x}
  `;
  const inv = inventoryOf(text);
  const labels = inv.workloads[0]!.templates[0]!.labels;
  assert.deepEqual(inv.disruptionBudgetsFor(labels, 'serving').map((p) => p.name).sort(), ['by-expression', 'llm-1']);
  assert.deepEqual(inv.disruptionBudgetsFor({ ...labels, canary: 'yes' }, 'serving').map((p) => p.name), ['llm-1']);
  assert.deepEqual(inv.servicesFor(labels, 'serving').map((s) => s.name), ['llm-1']);
  assert.equal(inv.analysisTemplate('slo', 'serving')?.kind, 'AnalysisTemplate');
  assert.equal(inv.analysisTemplate('slo', undefined, true)?.kind, 'ClusterAnalysisTemplate');
  assert.equal(inv.analysisTemplate('slo', 'other'), undefined);
  assert.equal(inv.configMap('env', 'serving')?.name, 'env');
  assert.equal(inv.configMap('env', 'other'), undefined);
});

test('the cached analysis is reused exactly while its lookups find the same objects', () => {
  const linter = createLinter();
  const base = deployment(1);
  const configMap = (model: string): string => yaml`
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: llm-env, namespace: serving}
    data: {MODEL_ID: ${model}}
  `;
  const withEnvFrom = base.replace(/^( +)resources:/m, '$1envFrom: [{configMapRef: {name: llm-env}}]\n$1resources:').replace('args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]', 'args: ["--model", "$(MODEL_ID)"]');
  const lintCount = (text: string): number => {
    const before = linter.analysisCount;
    linter.lint(text);
    return linter.analysisCount - before;
  };
  const v1 = withEnvFrom + configMap('meta-llama/Llama-3.1-8B-Instruct');
  assert.equal(lintCount(v1), 1, 'first lint analyses the workload');
  assert.equal(lintCount(v1), 0, 'same text: cached');
  assert.equal(lintCount(v1 + '---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: unrelated}\n'), 0, 'an unrelated object does not invalidate it');
  assert.equal(linter.lint(v1).workloads[0]!.model, 'meta-llama/Llama-3.1-8B-Instruct');
  const v2 = withEnvFrom + configMap('Qwen/Qwen2.5-7B-Instruct');
  assert.equal(lintCount(v2), 1, 'the ConfigMap it reads changed: analysed again');
  assert.equal(linter.lint(v2).workloads[0]!.model, 'Qwen/Qwen2.5-7B-Instruct');
  const v3 = v2.replace('minReplicas: 3', 'minReplicas: 4');
  assert.equal(lintCount(v3), 1, 'the HPA it reads changed: analysed again');
  assert.equal(linter.lint(v3).workloads[0]!.cost?.replicasMin, 4);
  assert.equal(lintCount(v1), 0, 'back to the first text: its cached result is still valid');
});
