/** Ollama: `ollama serve`, port 11434; its root path answers once the server is up. */
import type { ServerProfile } from './types';

export const ollama: ServerProfile = {
  kind: 'ollama',
  name: 'Ollama',
  image: /(^|\/)ollama[:@/]|ollama\/ollama/i,
  command: /^ollama serve$/,
  port: 11434,
  health: '/',
};
