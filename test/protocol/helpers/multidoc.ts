/**
 * A multi-document manifest whose findings cross documents: a Deployment whose PodDisruptionBudget allows no
 * eviction (the finding points into the PDB), an HPA on CPU that sets its replicas, and a second, independent
 * Deployment. Used by the incremental-lint tests (unit and protocol).
 */
export const MULTIDOC = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: llm
spec:
  replicas: 3
  selector:
    matchLabels:
      app: llm
  template:
    metadata:
      labels:
        app: llm
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]
          resources: {limits: {nvidia.com/gpu: 1}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: llm
spec:
  maxUnavailable: "0%"
  selector:
    matchLabels:
      app: llm
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: llm
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: llm
  minReplicas: 2
  maxReplicas: 4
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: 70
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: other
spec:
  replicas: 1
  selector:
    matchLabels:
      app: other
  template:
    metadata:
      labels:
        app: other
    spec:
      containers:
        - name: tgi
          image: ghcr.io/huggingface/text-generation-inference:2.0
          args: ["--model-id", "mistralai/Mistral-7B-Instruct-v0.3"]
          resources: {limits: {nvidia.com/gpu: 1}}
`;

/** Offset range of the first occurrence of `needle` in `text` (throws when absent). */
export function span(text: string, needle: string): { start: number; end: number } {
  const start = text.indexOf(needle);
  if (start < 0) throw new Error(`no ${JSON.stringify(needle)} in the text`);
  return { start, end: start + needle.length };
}
