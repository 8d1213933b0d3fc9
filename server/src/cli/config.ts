/** Config lookup for the CLI (placeholder until the config loader lands). */
import type { ServelintConfig } from '../engine';

export function configFor(_dir: string, _explicit?: string): { config: ServelintConfig; errors: string[] } {
  return { config: {}, errors: [] };
}
