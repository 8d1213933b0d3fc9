import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, rulesOf, yaml } from './helpers/lint';
import { articleFor } from '../../server/src/rules/helpers';

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

test('grace-period-truncates-generations: default 30 s points at the container name with both numbers', () => {
  const f = findings(base).find((x) => x.rule === 'grace-period-truncates-generations');
  assert.ok(f);
  assert.equal(f.severity, 'error');
  assert.deepEqual([f.line, f.column, f.endLine, f.endColumn, f.text], [14, 17, 14, 21, 'vllm']);
  assert.equal(
    f.message,
    'terminationGracePeriodSeconds is 30 s (default) but a 4096-token answer takes ~123 s (TTFT 0.5 s + 4096 × 0.03 s/token): ' +
      'in-flight generations are cut off on every rollout, scale-down and eviction. Set it to at least 124 s.',
  );
});

test('grace-period-truncates-generations: explicit value is the range; enough grace passes', () => {
  const short = base.replace('      containers:', '      terminationGracePeriodSeconds: 60\n      containers:');
  const f = findings(short).find((x) => x.rule === 'grace-period-truncates-generations');
  assert.ok(f);
  assert.equal(f.text, '60');
  assert.match(f.message, /is 60 s but a 4096-token answer takes ~123 s/);
  const long = base.replace('      containers:', '      terminationGracePeriodSeconds: 130\n      containers:');
  assert.ok(!rulesOf(long).includes('grace-period-truncates-generations'));
});

test('grace-period-truncates-generations: annotations change the assumptions', () => {
  const annotated = base.replace('  name: llama\n', '  name: llama\n  annotations:\n    servelint.io/max-output-tokens: "512"\n    servelint.io/seconds-per-output-token: "0.02"\n');
  // 0.5 + 512 × 0.02 = 10.74 s < 30 s
  assert.ok(!rulesOf(annotated).includes('grace-period-truncates-generations'));
});

test('grace-period-truncates-generations: the server output limit from args is the default answer length', () => {
  const tgi = yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: tgi}
    spec:
      template:
        spec:
          terminationGracePeriodSeconds: 20
          containers:
            - name: tgi
              image: ghcr.io/huggingface/text-generation-inference:2.4.0
              args: ["--max-input-tokens=3072", "--max-total-tokens", "4096"]
              readinessProbe: {httpGet: {path: /health, port: 80}}
  `;
  // --max-input-tokens caps the prompt, not the answer: a 1-token prompt leaves 4095 of the 4096 total for the answer.
  const f = findings(tgi).find((x) => x.rule === 'grace-period-truncates-generations');
  assert.ok(f);
  assert.match(f.message, /a 4095-token answer \(max total tokens 4096 set on the server, less a 1-token prompt\) takes ~123 s/);
  const small = findings(tgi.replace('"4096"', '"2048"')).find((x) => x.rule === 'grace-period-truncates-generations');
  assert.match(small!.message, /a 2047-token answer \(max total tokens 2048 set on the server, less a 1-token prompt\) takes ~62 s/);
  // vLLM: a context limit below the 4096-token default bounds the answer the same way.
  const vllmSmall = findings(base.replace('"meta-llama/Llama-3.1-8B-Instruct"]', '"meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "2048"]'));
  assert.match(vllmSmall.find((x) => x.rule === 'grace-period-truncates-generations')!.message, /a 2047-token answer \(context limit 2048 set on the server, less a 1-token prompt\) takes ~62 s/);
  const vllmTiny = findings(base.replace('"meta-llama/Llama-3.1-8B-Instruct"]', '"meta-llama/Llama-3.1-8B-Instruct", "--max-model-len=512"]'));
  assert.ok(!vllmTiny.some((x) => x.rule === 'grace-period-truncates-generations'), '0.5 + 511 × 0.03 = 15.8 s fits in 30 s');
});

test('grace-period-truncates-generations: fix sets the grace period and re-linting clears it', () => {
  const fixed = applyFix(base, 'grace-period-truncates-generations');
  assert.match(fixed, /\n {6}terminationGracePeriodSeconds: 140\n/);
  assert.ok(!rulesOf(fixed).includes('grace-period-truncates-generations'));
  const explicit = base.replace('      containers:', '      terminationGracePeriodSeconds: 60 # too short\n      containers:');
  const fixed2 = applyFix(explicit, 'grace-period-truncates-generations');
  assert.match(fixed2, /terminationGracePeriodSeconds: 140 # too short/);
});

test('missing-prestop-drain: fires at the container name, vLLM fix adds a bounded metrics drain inside the grace period', () => {
  const f = findings(base).find((x) => x.rule === 'missing-prestop-drain');
  assert.ok(f);
  assert.equal(f.severity, 'warning');
  assert.equal(f.text, 'vllm');
  const fixed = applyFix(base, 'missing-prestop-drain');
  assert.match(fixed, /\n {10}lifecycle:\n {12}preStop:\n {14}exec:/);
  assert.match(fixed, /vllm:num_requests_running/);
  assert.match(fixed, /terminationGracePeriodSeconds: 140/);
  const after = rulesOf(fixed);
  assert.ok(!after.includes('missing-prestop-drain'));
  assert.ok(!after.includes('grace-period-truncates-generations'));
  assert.ok(!after.includes('prestop-exceeds-grace-period'));
});

test('missing-prestop-drain: other servers get a sleep', () => {
  const sglang = base.replace('vllm/vllm-openai:v0.6.3', 'lmsysorg/sglang:v0.4.0');
  const fixed = applyFix(sglang, 'missing-prestop-drain');
  assert.match(fixed, /command: \["sleep", "10"\]/);
  assert.ok(!rulesOf(fixed).includes('missing-prestop-drain'));
});

test('prestop-exceeds-grace-period: exec sleep, sh -c sleep and sleep.seconds', () => {
  const forms = [
    'command: ["sleep", "45"]',
    'command: ["/bin/sh", "-c", "echo draining; sleep 45"]',
  ];
  for (const form of forms) {
    const t = base
      .replace('      containers:', '      terminationGracePeriodSeconds: 40\n      containers:')
      .replace('          readinessProbe:', `          lifecycle:\n            preStop:\n              exec:\n                ${form}\n          readinessProbe:`);
    const f = findings(t).find((x) => x.rule === 'prestop-exceeds-grace-period');
    assert.ok(f, form);
    assert.match(f.message, /^preStop sleeps 45 s but terminationGracePeriodSeconds is 40 s/);
    const fixed = applyFix(t, 'prestop-exceeds-grace-period');
    assert.ok(!rulesOf(fixed).includes('prestop-exceeds-grace-period'));
    assert.ok(!rulesOf(fixed).includes('grace-period-truncates-generations'));
  }
  const native = base.replace('          readinessProbe:', '          lifecycle:\n            preStop:\n              sleep:\n                seconds: 30\n          readinessProbe:');
  const f = findings(native).find((x) => x.rule === 'prestop-exceeds-grace-period');
  assert.ok(f);
  assert.equal(f.text, '30');
  assert.match(f.message, /terminationGracePeriodSeconds is 30 s \(default\)/);
  const ok = native.replace('seconds: 30', 'seconds: 10');
  assert.ok(!rulesOf(ok).includes('prestop-exceeds-grace-period'));
});

test('missing-readiness-probe: fires without a probe, fix adds one on the server health path and port', () => {
  const t = base.replace(/^ {10}readinessProbe:\n.*\n/m, '').replace('"meta-llama/Llama-3.1-8B-Instruct"]', '"meta-llama/Llama-3.1-8B-Instruct", "--port", "8080"]');
  const f = findings(t).find((x) => x.rule === 'missing-readiness-probe');
  assert.ok(f);
  assert.equal(f.severity, 'error');
  assert.equal(f.text, 'vllm');
  const fixed = applyFix(t, 'missing-readiness-probe');
  assert.match(fixed, /\n {10}readinessProbe:\n {12}httpGet:\n {14}path: \/health\n {14}port: 8080/);
  assert.ok(!rulesOf(fixed).includes('missing-readiness-probe'));
  assert.ok(!rulesOf(base).includes('missing-readiness-probe'));
});

/** The liveness tests pin the weight-load time instead of relying on the model estimate. */
const slowLoad = base.replace('  name: llama\n', '  name: llama\n  annotations:\n    servelint.io/weight-load-seconds: "300"\n');

test('liveness-kills-loading-pod: short liveness without startupProbe; startupProbe that covers the load passes', () => {
  const t = slowLoad.replace('          readinessProbe:', '          livenessProbe:\n            httpGet: {path: /health, port: 8000}\n            initialDelaySeconds: 60\n          readinessProbe:');
  const f = findings(t).find((x) => x.rule === 'liveness-kills-loading-pod');
  assert.ok(f);
  assert.equal(f.text, 'livenessProbe');
  assert.match(f.message, /gives up after 90 s \(initialDelaySeconds 60 \+ failureThreshold 3 × periodSeconds 10\) but loading weights takes ~5 min/);
  const fixed = applyFix(t, 'liveness-kills-loading-pod');
  assert.match(fixed, /\n {10}startupProbe:\n {12}httpGet:\n {14}path: \/health\n {14}port: 8000\n {12}periodSeconds: 10\n {12}failureThreshold: 45/);
  assert.ok(!rulesOf(fixed).includes('liveness-kills-loading-pod'));
  const long = t.replace('initialDelaySeconds: 60', 'initialDelaySeconds: 400');
  assert.ok(!rulesOf(long).includes('liveness-kills-loading-pod'));
});

test('liveness-kills-loading-pod: a startupProbe that is too short is reported and raised', () => {
  const t = slowLoad.replace(
    '          readinessProbe:',
    '          livenessProbe:\n            httpGet: {path: /health, port: 8000}\n          startupProbe:\n            httpGet: {path: /health, port: 8000}\n            failureThreshold: 6\n          readinessProbe:',
  );
  const f = findings(t).find((x) => x.rule === 'liveness-kills-loading-pod');
  assert.ok(f);
  assert.equal(f.text, 'startupProbe');
  const fixed = applyFix(t, 'liveness-kills-loading-pod');
  assert.match(fixed, /failureThreshold: 45/);
  assert.ok(!rulesOf(fixed).includes('liveness-kills-loading-pod'));
});

test('liveness-kills-loading-pod: a short startupProbe alone is reported; the fix uses its own periodSeconds', () => {
  const t = slowLoad.replace('          readinessProbe:', '          startupProbe:\n            httpGet: {path: /health, port: 8000}\n            periodSeconds: 5\n            failureThreshold: 12\n          readinessProbe:');
  const f = findings(t).find((x) => x.rule === 'liveness-kills-loading-pod');
  assert.ok(f);
  assert.match(f.message, /^startupProbe allows only 60 s/);
  const fixed = applyFix(t, 'liveness-kills-loading-pod');
  assert.match(fixed, /failureThreshold: 90/);
  assert.ok(!rulesOf(fixed).includes('liveness-kills-loading-pod'));
});

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
