import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findings, rulesOf, yaml } from './helpers/lint';
import { articleFor } from '../../server/src/rules/helpers';

// Per-rule cases (this manifest: this finding, this fix) are fixtures under test/rules (see its README).

const base = yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: llama
  spec:
    replicas: 4
    selector:
      matchLabels: {app: llama}
    template:
      metadata:
        labels: {app: llama}
      spec:
        containers:
          - name: vllm
            image: vllm/vllm-openai:v0.6.3
            args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]
            resources:
              limits:
                nvidia.com/gpu: 1
            readinessProbe:
              httpGet: {path: /health, port: 8000}
`;

test('GPU workloads that do not generate text (embeddings, CUDA samples, TF Serving, TorchServe) are not model servers', () => {
  for (const image of ['ghcr.io/huggingface/text-embeddings-inference:1.5', 'nvcr.io/nvidia/k8s/cuda-sample:vectoradd', 'tensorflow/serving:2.13.1-gpu', 'pytorch/torchserve:0.11.0-gpu']) {
    assert.deepEqual(rulesOf(base.replace('vllm/vllm-openai:v0.6.3', image)), [], image);
  }
  // A custom image started with the torchserve command (a T5-small classifier, say).
  const torchserve = base.replace('vllm/vllm-openai:v0.6.3', 'us-docker.pkg.dev/p/models/t5-small:1.0-gpu')
    .replace('args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]', 'args: ["torchserve", "--start", "--foreground"]');
  assert.notEqual(torchserve, base);
  assert.deepEqual(rulesOf(torchserve), []);
  assert.ok(rulesOf(base.replace('vllm/vllm-openai:v0.6.3', 'my-registry/custom-llm:1')).includes('grace-period-truncates-generations'));
});

test('ignore-check annotation with value "false" does not suppress', () => {
  const t = base.replace('  name: llama\n', '  name: llama\n  annotations:\n    ignore-check.servelint.io/missing-prestop-drain: "false"\n');
  assert.ok(rulesOf(t).includes('missing-prestop-drain'));
});

test('numbers read aloud get the right article', () => {
  assert.deepEqual([8192, 4096, 11, 18, 180, 11000, 1100, 800, 2047].map(articleFor), ['an', 'a', 'an', 'an', 'a', 'an', 'a', 'an', 'a']);
  const t = base.replace('  name: llama\n', '  name: llama\n  annotations:\n    servelint.io/max-output-tokens: "8192"\n');
  assert.match(findings(t).find((x) => x.rule === 'grace-period-truncates-generations')!.message, /but an 8192-token answer \(servelint\.io\/max-output-tokens: "8192"\) takes ~246 s/);
});
