import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFix, findings, rulesOf, yaml } from './helpers/lint';

function deployment(replicas: number | undefined, strategy = ''): string {
  return yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: m
      annotations: {servelint.io/weight-load-seconds: "300"}
    spec:
    ${replicas === undefined ? '' : `  replicas: ${replicas}`}
    ${strategy}
      template:
        spec:
          terminationGracePeriodSeconds: 200
          containers:
            - name: vllm
              image: vllm/vllm-openai:latest
              resources: {limits: {nvidia.com/gpu: 2}}
              readinessProbe: {httpGet: {path: /health, port: 8000}}
              lifecycle: {preStop: {sleep: {seconds: 5}}}
  `.replace(/\n\s*\n/g, '\n');
}

const rolling = (mu: string, ms: string): string => `  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxUnavailable: ${mu}\n      maxSurge: ${ms}`;

test('rollout-drops-capacity: Kubernetes rounding of percentages (unavailable rounds down, surge up)', () => {
  const cases: [number | undefined, string, boolean][] = [
    [4, '', true], // default 25% of 4 = 1
    [3, '', false], // 25% of 3 = 0.75 → 0
    [1, '', false],
    [undefined, '', false], // replicas default 1
    [8, rolling('10%', '10%'), false], // 0.8 → 0
    [10, rolling('10%', '0'), true], // 1
    [10, rolling('19%', '1'), true], // 1.9 → 1
    [4, rolling('0', '0'), true], // both 0 → unavailable 1
    [4, rolling('0', '1'), false],
    [4, rolling('"50%"', '"0%"'), true],
  ];
  for (const [replicas, strategy, fires] of cases) {
    const got = rulesOf(deployment(replicas, strategy)).includes('rollout-drops-capacity');
    assert.equal(got, fires, `replicas ${replicas} ${strategy.replace(/\s+/g, ' ')}`);
  }
});

test('rollout-drops-capacity: message states replicas, GPUs, load time and the resolution; points at maxUnavailable', () => {
  const t = deployment(10, rolling('20%', '0'));
  const f = findings(t).find((x) => x.rule === 'rollout-drops-capacity')!;
  assert.equal(f.text, '20%');
  assert.equal(
    f.message,
    'The RollingUpdate takes 2 of 10 replicas (4 GPUs) out of service at a time while each replacement loads weights for ~5 min ' +
      '(weight load, servelint.io/weight-load-seconds: "300"): capacity drops 20% for ~25 min (5 steps). maxUnavailable resolves to 2 of 10 replicas.',
  );
  const d = findings(deployment(4)).find((x) => x.rule === 'rollout-drops-capacity')!;
  assert.equal(d.text, 'replicas');
  assert.match(d.message, /Deployment defaults: maxSurge 25% \(rounded up\), maxUnavailable 25% \(rounded down\)/);
});

test('rollout-drops-capacity: fix sets maxUnavailable 0 / maxSurge 1 and re-linting clears it', () => {
  for (const t of [deployment(4), deployment(10, rolling('20%', '0')), deployment(4, '  strategy:\n    type: RollingUpdate')]) {
    const fixed = applyFix(t, 'rollout-drops-capacity');
    assert.match(fixed, /maxUnavailable: 0/);
    assert.ok(!rulesOf(fixed).includes('rollout-drops-capacity'), fixed);
  }
});

test('rollout-drops-capacity: StatefulSet rolling updates are reported (no fix); OnDelete is not', () => {
  const sts = deployment(2).replace('kind: Deployment', 'kind: StatefulSet');
  const f = findings(sts).find((x) => x.rule === 'rollout-drops-capacity');
  assert.ok(f);
  assert.match(f.message, /StatefulSet rolling updates delete a pod before creating its replacement/);
  const onDelete = sts.replace('spec:\n', 'spec:\n  updateStrategy:\n    type: OnDelete\n');
  assert.ok(!rulesOf(onDelete).includes('rollout-drops-capacity'));
});

test('rollout-drops-capacity: a StatefulSet whose pods form one multi-node server (--nnodes) loses the whole instance', () => {
  const sts = (replicas: number): string => deployment(replicas).replace('kind: Deployment', 'kind: StatefulSet')
    .replace('image: vllm/vllm-openai:latest', 'image: lmsysorg/sglang:latest\n          args: ["--tp", "4", "--nnodes", "2", "--node-rank", "$(POD_INDEX)"]');
  const one = findings(sts(2)).find((x) => x.rule === 'rollout-drops-capacity')!;
  assert.match(one.message, /replaces one pod at a time, and each stops its whole 2-pod server instance \(--nnodes 2, 4 GPUs; 1 instance in all\)/);
  assert.match(one.message, /capacity drops 100% \(a full outage\)/);
  const two = findings(sts(4)).find((x) => x.rule === 'rollout-drops-capacity')!;
  assert.match(two.message, /2 instances in all\).*capacity drops 50%/);
});

test('rollout-drops-capacity: LeaderWorkerSet defaults maxUnavailable 1 per group and counts group GPUs', () => {
  const lws = yaml`
    apiVersion: leaderworkerset.x-k8s.io/v1
    kind: LeaderWorkerSet
    metadata: {name: big, annotations: {servelint.io/weight-load-seconds: "600"}}
    spec:
      replicas: 2
      leaderWorkerTemplate:
        size: 2
        leaderTemplate:
          spec:
            terminationGracePeriodSeconds: 300
            containers:
              - name: leader
                image: vllm/vllm-openai:latest
                resources: {limits: {nvidia.com/gpu: "8"}}
                readinessProbe: {tcpSocket: {port: 8000}}
                lifecycle: {preStop: {sleep: {seconds: 5}}}
        workerTemplate:
          spec:
            terminationGracePeriodSeconds: 300
            containers:
              - name: worker
                image: vllm/vllm-openai:latest
                resources: {limits: {nvidia.com/gpu: "8"}}
  `;
  const f = findings(lws).find((x) => x.rule === 'rollout-drops-capacity')!;
  assert.match(f.message, /takes 1 of 2 groups \(16 GPUs\) out of service/);
  assert.match(f.message, /LeaderWorkerSet defaults: maxUnavailable 1, maxSurge 0/);
  const fixed = applyFix(lws, 'rollout-drops-capacity');
  assert.match(fixed, /rolloutStrategy:\n {4}type: RollingUpdate\n {4}rollingUpdateConfiguration:\n {6}maxUnavailable: 0\n {6}maxSurge: 1/);
  assert.ok(!rulesOf(fixed).includes('rollout-drops-capacity'));
  // Workers take no traffic: no readiness or preStop findings for them.
  assert.deepEqual(rulesOf(fixed), []);
});

test('rollout-drops-capacity: a LeaderWorkerSet leader without accelerators adds none to the group', () => {
  const lws = yaml`
    apiVersion: leaderworkerset.x-k8s.io/v1
    kind: LeaderWorkerSet
    metadata: {name: pathways, annotations: {servelint.io/weight-load-seconds: "600"}}
    spec:
      replicas: 1
      leaderWorkerTemplate:
        size: 5
        leaderTemplate:
          spec:
            containers:
              - name: proxy
                image: vllm/vllm-openai:latest
                readinessProbe: {tcpSocket: {port: 8000}}
        workerTemplate:
          spec:
            containers:
              - name: worker
                image: vllm/vllm-openai:latest
                resources: {limits: {google.com/tpu: "4"}}
  `;
  const f = findings(lws).find((x) => x.rule === 'rollout-drops-capacity')!;
  assert.match(f.message, /takes 1 of 1 group \(16 TPU chips\) out of service/);
});

test('recreate-causes-downtime: points at Recreate; fix switches to a zero-unavailability rolling update', () => {
  const t = deployment(2, '  strategy:\n    type: Recreate # GPU nodes are full');
  const f = findings(t).find((x) => x.rule === 'recreate-causes-downtime')!;
  assert.equal(f.severity, 'error');
  assert.equal(f.text, 'Recreate');
  assert.match(f.message, /^strategy Recreate stops all 2 replicas before the new ones load weights: no capacity at all for ~5 min/);
  const fixed = applyFix(t, 'recreate-causes-downtime');
  assert.match(fixed, /type: RollingUpdate # GPU nodes are full\n {4}rollingUpdate:\n {6}maxUnavailable: 0\n {6}maxSurge: 1/);
  assert.deepEqual(rulesOf(fixed), []);
  // A stray rollingUpdate block (left over from an earlier RollingUpdate) is reused.
  const stray = deployment(2, '  strategy:\n    type: Recreate\n    rollingUpdate:\n      maxSurge: 0 # no spare GPUs\n      maxUnavailable: 1');
  const fixedStray = applyFix(stray, 'recreate-causes-downtime');
  assert.match(fixedStray, /type: RollingUpdate\n {4}rollingUpdate:\n {6}maxSurge: 1 # no spare GPUs\n {6}maxUnavailable: 0\n/);
  assert.deepEqual(rulesOf(fixedStray), []);
  const flow = deployment(2, '  strategy: {type: Recreate, rollingUpdate: {maxSurge: 0}}');
  assert.match(applyFix(flow, 'recreate-causes-downtime'), /strategy: \{type: RollingUpdate, rollingUpdate: \{maxSurge: 1, maxUnavailable: 0\}\}\n/);
  const flowOnly = applyFix(deployment(2, '  strategy: {type: Recreate}'), 'recreate-causes-downtime');
  assert.match(flowOnly, /strategy: \{type: RollingUpdate, rollingUpdate: \{maxUnavailable: 0, maxSurge: 1\}\}\n/);
  assert.deepEqual(rulesOf(flowOnly), []);
});

test('progress-deadline-exceeded: default 600 s vs a slower load; explicit value; fix', () => {
  const slow = deployment(1).replace('"300"', '"900"');
  const f = findings(slow).find((x) => x.rule === 'progress-deadline-exceeded')!;
  assert.ok(f);
  assert.equal(f.text, 'vllm');
  assert.match(f.message, /^progressDeadlineSeconds is 600 s \(default\) but a new replica needs ~15 min to load weights/);
  const fixed = applyFix(slow, 'progress-deadline-exceeded');
  assert.match(fixed, /progressDeadlineSeconds: 1380/);
  assert.ok(!rulesOf(fixed).includes('progress-deadline-exceeded'));
  assert.ok(!rulesOf(deployment(1)).includes('progress-deadline-exceeded'));
  const explicit = deployment(1).replace('spec:\n', 'spec:\n  progressDeadlineSeconds: 120\n');
  assert.equal(findings(explicit).find((x) => x.rule === 'progress-deadline-exceeded')?.text, '120');
});

const rollout = (strategy: string): string =>
  yaml`
    apiVersion: argoproj.io/v1alpha1
    kind: Rollout
    metadata: {name: llm, annotations: {servelint.io/weight-load-seconds: "300"}}
    spec:
      replicas: 4
      strategy:
    ${strategy}
      template:
        spec:
          terminationGracePeriodSeconds: 200
          containers:
            - name: vllm
              image: vllm/vllm-openai:latest
              resources: {limits: {nvidia.com/gpu: 1}}
              readinessProbe: {httpGet: {path: /health, port: 8000}}
              lifecycle: {preStop: {sleep: {seconds: 5}}}
  `;

test('canary-without-analysis: steps without analysis fire; background or step analysis passes; fix adds both', () => {
  const bare = rollout('    canary:\n      maxUnavailable: 0\n      steps:\n        - setWeight: 25\n        - pause: {}');
  const f = findings(bare).find((x) => x.rule === 'canary-without-analysis')!;
  assert.equal(f.text, 'canary');
  assert.match(f.message, /^Canary has 2 steps but no analysis/);
  const fixed = applyFix(bare, 'canary-without-analysis');
  assert.match(fixed, /analysis:\n {8}startingStep: 1\n {8}templates:\n {10}- templateName: servelint-llm-slo/);
  assert.match(fixed, /\n---\n# servelint: rolls a canary back[\s\S]*kind: AnalysisTemplate[\s\S]*vllm:time_to_first_token_seconds_bucket/);
  assert.ok(!rulesOf(fixed).includes('canary-without-analysis'));
  const step = bare.replace('        - pause: {}', '        - analysis: {templates: [{templateName: slo}]}');
  assert.ok(!rulesOf(step).includes('canary-without-analysis'));
  const noSteps = rollout('    canary:\n      maxUnavailable: 0');
  assert.ok(!rulesOf(noSteps).includes('canary-without-analysis'));
});

test('canary: traffic routing keeps the stable set full, so no capacity drop', () => {
  const routed = rollout('    canary:\n      trafficRouting: {nginx: {stableIngress: llm}}\n      steps:\n        - setWeight: 25\n        - analysis: {templates: [{templateName: slo}]}');
  assert.deepEqual(rulesOf(routed), []);
  const plain = routed.replace('      trafficRouting: {nginx: {stableIngress: llm}}\n', '');
  assert.deepEqual(rulesOf(plain), ['rollout-drops-capacity']);
});

test('bluegreen-promotes-without-analysis: default autoPromotionEnabled fires; false or prePromotionAnalysis passes', () => {
  const bg = rollout('    blueGreen:\n      activeService: llm-active');
  const f = findings(bg).find((x) => x.rule === 'bluegreen-promotes-without-analysis')!;
  assert.equal(f.text, 'blueGreen');
  assert.match(f.message, /autoPromotionEnabled defaults to true/);
  const fixed = applyFix(bg, 'bluegreen-promotes-without-analysis');
  assert.match(fixed, /prePromotionAnalysis:\n {8}templates:/);
  assert.deepEqual(rulesOf(fixed), []);
  assert.deepEqual(rulesOf(rollout('    blueGreen:\n      activeService: a\n      autoPromotionEnabled: false')), []);
  const explicit = rollout('    blueGreen:\n      activeService: a\n      autoPromotionEnabled: true');
  assert.equal(findings(explicit)[0]?.text, 'true');
});
