/** Config lookup for the CLI: --config PATH, else the nearest .servelint.yaml above the manifest. */
import { loadConfigFile, loadConfigFor } from '../config/load';
import type { ServelintConfig } from '../engine';

/** The config of manifests with no config file: one object (the engine's per-config memos share it), never changed. */
const NO_CONFIG: ServelintConfig = Object.freeze({});

export function configFor(dir: string, explicit?: string): { config: ServelintConfig; errors: string[]; path?: string } {
  const loaded = explicit ? loadConfigFile(explicit) : loadConfigFor(dir);
  if (!loaded) return { config: NO_CONFIG, errors: [] };
  const errors = loaded.errors
    .filter((e) => e.severity !== 'warning')
    .map((e) => `${loaded.path}:${e.line}:${e.column}: ${e.message}`);
  return { config: loaded.config, errors, path: loaded.path };
}
