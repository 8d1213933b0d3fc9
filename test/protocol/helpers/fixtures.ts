/** Manifests for protocol tests (kept here so editing examples/ or test/e2e/fixtures cannot break them). */

/** vLLM Deployment with Kubernetes' default 30 s grace period (no terminationGracePeriodSeconds). */
export const VLLM_DEFAULT_GRACE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama-3-1-8b
  namespace: inference
spec:
  replicas: 4
  selector:
    matchLabels:
      app: llama-3-1-8b
  template:
    metadata:
      labels:
        app: llama-3-1-8b
    spec:
      nodeSelector:
        nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
          resources:
            limits:
              nvidia.com/gpu: 1
          readinessProbe:
            httpGet:
              path: /health
              port: 8000
`;

export const GRACE_RULE = 'grace-period-truncates-generations';

/** 0-based line of the first line containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`no line contains ${needle}`);
  return i;
}
