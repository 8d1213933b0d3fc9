/** Ollama: `ollama serve`, port 11434; its root path answers once the server is up. */
import type { ServerProfile } from './types';

export const ollama: ServerProfile = {
  kind: 'ollama',
  name: 'Ollama',
  image: /(^|\/)ollama[:@/]|ollama\/ollama/i,
  command: /^ollama serve$/,
  port: 11434,
  // 11434 is Ollama's own default port (OLLAMA_HOST), used by no other server here: custom images that run
  // Ollama on CPU are recognised by it.
  portIdentifies: true,
  health: '/',
};
