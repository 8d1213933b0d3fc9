/** Coverage of the cost model: GPU and model identification paths and the sourced prices (issue #15, items 2-4). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeWorkloadCost, defaultGpuCatalog, identifyGpu, modelFromLabels, modelNameFromId, type WorkloadCostReport } from '../../server/src/engine/cost';
import { run, yaml } from './helpers/lint';

const catalog = defaultGpuCatalog();

/** The cost report of the only workload in `text`. */
function costOf(text: string): WorkloadCostReport {
  const r = run(text);
  assert.equal(r.workloads.length, 1);
  return r.workloads[0]!.cost as WorkloadCostReport;
}

test('TPU prices per chip-hour: v5e $1.20, v5p $4.20, v6e $2.70 (GCP us-central1, SkyPilot catalog), x chips from google.com/tpu', () => {
  const tpu = (accelerator: string, chips: number, config = {}) => computeWorkloadCost({
    kind: 'Deployment', replicas: 1, model: 'meta-llama/Llama-3.1-8B-Instruct', accelerator: { resource: 'google.com/tpu', count: chips },
    nodeSelector: [{ key: 'cloud.google.com/gke-tpu-accelerator', value: accelerator }],
  }, config);
  const v5e = tpu('tpu-v5-lite-podslice', 8);
  assert.equal(v5e.gpu.id, 'TPU-v5e');
  assert.equal(v5e.usdPerGpuHour, 1.2);
  assert.equal(v5e.usdPerHour, 9.6);
  // AWS is the default provider and sells no TPU: the catalog's GCP price, labelled as such.
  assert.match(String(v5e.priceSource), /SKY-GCP-TPU tpu-v5litepod-1 \$1\.20\/hr.*no aws price for TPU-v5e/);
  assert.ok(v5e.usdPerMillionTokens !== null);
  assert.equal(tpu('tpu-v5p-slice', 4).usdPerGpuHour, 4.2);
  // gpus.provider: gcp prices it from the GCP TPU types.
  const v6e = tpu('tpu-v6e-slice', 8, { gpus: { provider: 'gcp' } });
  assert.equal(v6e.usdPerGpuHour, 2.7);
  assert.match(String(v6e.priceSource), /^gcp tpu-v6e-1 \$2\.7\/hr \/ 1 GPU \(cheapest gcp instance type, us-central1/);
});

test('MI300X and Gaudi stay unpriced: no public list price was found, and the report says what to set', () => {
  for (const id of ['MI300X', 'Gaudi2', 'Gaudi3']) {
    const g = catalog.gpus.find((x) => x.id === id)!;
    assert.equal(g.usdPerGpuHour, null);
    assert.equal(g.priceVerified, false);
    assert.match(String(g.priceSource), new RegExp(`^UNPRICED: no public on-demand list price found.*gpus\\.prices\\.${id}$`));
  }
});

test('Volcengine machine.cluster.vke.volcengine.com/gpu-name (GFD-style values) identifies the GPU', () => {
  const on = (value: string) => identifyGpu({ acceleratorResource: 'nvidia.com/gpu',
    requiredAffinity: [{ key: 'machine.cluster.vke.volcengine.com/gpu-name', values: [value] }] }, catalog);
  assert.equal(on('NVIDIA-L20').gpu?.id, 'L20');
  assert.equal(on('Tesla-V100').gpu?.id, 'V100');
  assert.equal(on('NVIDIA-H100-80GB-HBM3').gpu?.id, 'H100-SXM');
  assert.equal(on('NVIDIA-L20').source, 'node affinity machine.cluster.vke.volcengine.com/gpu-name=NVIDIA-L20');
  const unknown = on('NVIDIA-Z9');
  assert.equal(unknown.gpu, undefined);
  assert.equal(unknown.unknownValue, 'NVIDIA-Z9');
});

test('model labels: ai.gke.io/model, llm-d.ai/model, model.aibrix.ai/name, only when the value identifies a model', () => {
  assert.deepEqual(modelFromLabels({ 'ai.gke.io/model': 'gemma-2-9b-it' }), { key: 'ai.gke.io/model', value: 'gemma-2-9b-it' });
  assert.deepEqual(modelFromLabels({ 'llm-d.ai/model': 'Qwen3-32B' }), { key: 'llm-d.ai/model', value: 'Qwen3-32B' });
  assert.deepEqual(modelFromLabels({ 'model.aibrix.ai/name': 'deepseek-coder-7b' }), { key: 'model.aibrix.ai/name', value: 'deepseek-coder-7b' });
  // Aliases that name no model (a served name without a size) are not guessed.
  assert.equal(modelFromLabels({ 'llm-d.ai/model': 'my-model', 'ai.gke.io/model': 'gemma' }), undefined);
  // The first key that identifies one wins.
  assert.equal(modelFromLabels({ 'ai.gke.io/model': 'gemma', 'model.aibrix.ai/name': 'llama-3.1-8b' })?.key, 'model.aibrix.ai/name');
  // Config models count.
  assert.equal(modelFromLabels({ 'llm-d.ai/model': 'acme-chat' }, [{ id: 'acme/acme-chat', totalParamsB: 12 }])?.value, 'acme-chat');
});

const labelled = (labels: string, args: string) => yaml`
  apiVersion: apps/v1
  kind: Deployment
  metadata: {name: llm}
  spec:
    replicas: 1
    selector: {matchLabels: {app: llm}}
    template:
      metadata:
        labels: ${labels}
      spec:
        nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
        containers:
        - name: server
          image: registry.example.com/custom-llm:1
          args: ${args}
          resources: {limits: {nvidia.com/gpu: "1"}}
`;

test('a pod labelled ai.gke.io/model gets a $/1M figure when its args name no model; the args win when they do', () => {
  const byLabel = costOf(labelled('{app: llm, ai.gke.io/model: gemma-2-2b-it}', '["--port", "8000"]'));
  assert.equal(byLabel.model?.id, 'google/gemma-2-2b');
  assert.equal(byLabel.model?.notes[0], "Model from label ai.gke.io/model=gemma-2-2b-it: the server's args name no model.");
  assert.ok(byLabel.usdPerMillionTokens !== null);
  assert.ok(!byLabel.problems.some((p) => p.startsWith('No model id found')));
  const byArgs = costOf(labelled('{app: llm, ai.gke.io/model: gemma-2-2b-it}', '["--model", "Qwen/Qwen2.5-1.5B-Instruct"]'));
  assert.equal(byArgs.model?.id, 'Qwen/Qwen2.5-1.5B');
  assert.ok(!byArgs.model?.notes.some((n) => n.includes('label')));
  // A local path the catalog does not know: the label names the model.
  const byPath = costOf(labelled('{app: llm, ai.gke.io/model: gemma-2-2b-it}', '["--model", "/data/run-7/hf-export"]'));
  assert.equal(byPath.model?.id, 'google/gemma-2-2b');
  assert.equal(byPath.model?.notes[0], 'Model from label ai.gke.io/model=gemma-2-2b-it: the server\'s model "/data/run-7/hf-export" is not in the catalog.');
  const alias = costOf(labelled('{app: llm, llm-d.ai/model: my-model}', '["--port", "8000"]'));
  assert.equal(alias.model, null);
  assert.ok(alias.problems.some((p) => p.startsWith('No model id found')));
});

test('shell scripts in command: trtllm-serve positional model and --tp_size, vLLM --model $VAR from env', () => {
  const trt = costOf(yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: trt}
    spec:
      replicas: 1
      selector: {matchLabels: {app: trt}}
      template:
        metadata: {labels: {app: trt}}
        spec:
          nodeSelector: {cloud.google.com/gke-accelerator: nvidia-h100-80gb}
          containers:
          - name: trt
            image: nvcr.io/nvidia/tensorrt-llm/release:1.0.0
            command: ["bash", "-c", "pip install x && trtllm-serve meta-llama/Llama-3.1-70B-Instruct --tp_size 8 --max_batch_size 64"]
            resources: {limits: {nvidia.com/gpu: "8"}}
  `);
  assert.equal(trt.model?.id, 'meta-llama/Llama-3.1-70B');
  assert.equal(trt.gpusPerReplica, 8);
  assert.ok(trt.usdPerMillionTokens !== null);
  const vllm = costOf(yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: vl}
    spec:
      replicas: 1
      selector: {matchLabels: {app: vl}}
      template:
        metadata: {labels: {app: vl}}
        spec:
          nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
          containers:
          - name: vl
            image: registry.example.com/custom:1
            command: ["/bin/sh", "-c"]
            args:
            - |
              set -e
              python3 -m vllm.entrypoints.openai.api_server --model $LLM_CKPT --port 8000
            env:
            - {name: LLM_CKPT, value: Qwen/Qwen2.5-7B-Instruct}
            resources: {limits: {nvidia.com/gpu: "1"}}
  `);
  assert.equal(vllm.model?.id, 'Qwen/Qwen2.5-7B');
  assert.ok(vllm.usdPerMillionTokens !== null);
});

test('LLMInferenceService: a main container with its own image but no command still runs the preset vllm serve', () => {
  const r = costOf(yaml`
    apiVersion: serving.kserve.io/v1alpha2
    kind: LLMInferenceService
    metadata: {name: qwen-amd}
    spec:
      model: {uri: "hf://Qwen/Qwen2.5-7B-Instruct", name: Qwen/Qwen2.5-7B-Instruct}
      replicas: 1
      template:
        containers:
        - name: main
          image: ghcr.io/llm-d/llm-d-rocm:v0.9.0
          resources: {limits: {amd.com/gpu: "1"}}
  `);
  assert.equal(r.model?.id, 'Qwen/Qwen2.5-7B');
  const own = run(yaml`
    apiVersion: serving.kserve.io/v1alpha2
    kind: LLMInferenceService
    metadata: {name: own}
    spec:
      model: {uri: "hf://Qwen/Qwen2.5-7B-Instruct"}
      template:
        containers:
        - name: main
          image: registry.example.com/other:1
          command: ["python3", "my_server.py"]
          resources: {limits: {nvidia.com/gpu: "1"}}
  `);
  // Its own command replaces the preset: not read as vLLM.
  assert.notEqual(own.workloads[0]?.modelServer, 'vllm');
});

test('KServe storageUri: an s3:// / gs:// URI names the model by its last segment, also as org--name', () => {
  assert.equal(modelNameFromId('s3://bucket/models/meta-llama--Meta-Llama-3.1-8B-Instruct'), 'Meta-Llama-3.1-8B-Instruct');
  assert.equal(modelNameFromId('/cache/models--Qwen--Qwen2.5-7B-Instruct/snapshots/abc'), 'Qwen2.5-7B-Instruct');
  assert.equal(modelNameFromId('gs://bucket/llm/my--weird---name'), 'my--weird---name');
  const r = costOf(yaml`
    apiVersion: serving.kserve.io/v1beta1
    kind: InferenceService
    metadata: {name: llama}
    spec:
      predictor:
        nodeSelector: {node.kubernetes.io/instance-type: g5.8xlarge}
        model:
          modelFormat: {name: huggingface}
          storageUri: s3://my-bucket/models/meta-llama--Meta-Llama-3.1-8B-Instruct
          resources: {limits: {nvidia.com/gpu: "1"}}
  `);
  assert.equal(r.model?.id, 'meta-llama/Llama-3.1-8B');
  assert.equal(r.gpu.id, 'A10G');
  assert.ok(r.usdPerMillionTokens !== null);
});

test('GKE custom ComputeClass: the GPUs its priorities name, in order, when the ComputeClass is among the manifests', () => {
  const deploy = (cls: string) => yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: llm, namespace: serving}
    spec:
      replicas: 1
      selector: {matchLabels: {app: llm}}
      template:
        metadata: {labels: {app: llm}}
        spec:
          nodeSelector: {cloud.google.com/compute-class: ${cls}}
          containers:
          - name: vllm
            image: vllm/vllm-openai:v0.10.0
            args: ["--model", "Qwen/Qwen2.5-1.5B-Instruct"]
            resources: {limits: {nvidia.com/gpu: "1"}}
  `;
  const computeClass = yaml`
    apiVersion: cloud.google.com/v1
    kind: ComputeClass
    metadata: {name: llm-gpus}
    spec:
      priorities:
      - machineFamily: g2
        gpu: {type: nvidia-l4, count: 1}
      - gpu: {type: nvidia-tesla-t4, count: 1}
  `;
  const r = run(`${computeClass}---\n${deploy('llm-gpus')}`).workloads[0]!.cost as WorkloadCostReport;
  assert.equal(r.gpu.id, 'L4');
  assert.equal(r.gpu.source, 'ComputeClass llm-gpus priorities cloud.google.com/gke-accelerator=nvidia-l4 (first of 2 allowed values)');
  assert.deepEqual(r.gpu.candidates, ['nvidia-l4', 'nvidia-tesla-t4']);
  assert.ok(r.usdPerMillionTokens !== null);
  // A built-in class (or one not among the manifests) names no GPU: the what-if stays.
  const builtIn = costOf(deploy('Accelerator'));
  assert.equal(builtIn.gpu.id, null);
  assert.ok(builtIn.whatIf && builtIn.whatIf.length > 0);
  // TPU priorities.
  const tpu = identifyGpu({ acceleratorResource: 'google.com/tpu', computeClass: { name: 'tpus', gpuTypes: [], tpuTypes: ['tpu-v6e-slice'] } }, catalog);
  assert.equal(tpu.gpu?.id, 'TPU-v6e');
  assert.equal(tpu.source, 'ComputeClass tpus priorities cloud.google.com/gke-tpu-accelerator=tpu-v6e-slice');
});
