/** llama.cpp's HTTP server (`llama-server`), port 8080. */
import type { ServerProfile } from './types';

export const llamacpp: ServerProfile = {
  kind: 'llamacpp',
  name: 'llama.cpp server',
  image: /llama\.cpp|llama-cpp|llamacpp|llama-server/i,
  command: /^llama-server$|(^|\/)llama-server$/,
  port: 8080,
  health: '/health',
};
