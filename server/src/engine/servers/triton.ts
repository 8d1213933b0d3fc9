/** NVIDIA Triton Inference Server (without the TensorRT-LLM backend image): KServe v2 health on port 8000. */
import type { ServerProfile } from './types';

export const triton: ServerProfile = {
  kind: 'triton',
  name: 'Triton',
  image: /tritonserver/i,
  command: /(^|\/)tritonserver$/,
  // NGC's plain Triton image (`<yy.mm>-py3`, no -trtllm- / -vllm- variant) runs TensorRT, ONNX, PyTorch and
  // TensorFlow models from a model repository: an LLM only with the TensorRT-LLM or vLLM backend, which the
  // launch command then names (tensorrtllm_backend / launch_triton_server.py, vllm_backend).
  classicImage: /^(nvcr\.io\/)?nvidia\/tritonserver:[\d.]+-py3(-igpu|-min)?$/i,
  llmArgs: /trtllm|tensorrt_?llm|tensorrtllm|vllm|launch_triton_server/i,
  port: 8000,
  health: '/v2/health/ready',
};
