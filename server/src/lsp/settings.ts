/**
 * Effective config per document: editor settings (section `servelint`, asked per resource with
 * workspace/configuration) merged over the nearest .servelint.yaml (editor settings win).
 */
import * as path from 'path';
import { fileURLToPath } from 'url';
import type { Connection } from 'vscode-languageserver/node';
import { mergeConfig, validateConfigObject, CONFIG_FILE_NAMES } from '../engine/config';
import { clearConfigCache, loadConfigFor } from '../config/load';
import type { HostedApiPrice, ServelintConfig, SeveritySetting } from '../engine/types';

/** The `servelint.*` settings as the editor sends them (every field optional, any JSON allowed). */
export interface EditorSettings {
  enable?: boolean;
  rules?: Record<string, SeveritySetting>;
  assumptions?: Record<string, number>;
  gpuPrices?: Record<string, number>;
  defaultGpu?: string;
  hostedApi?: HostedApiPrice | null;
}

export interface DocumentSettings {
  enabled: boolean;
  config: ServelintConfig;
  /** Absolute path of the .servelint.yaml that was merged in, if any. */
  configFile?: string;
}

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Editor settings → engine config. Ignores malformed values instead of failing. */
export function editorSettingsToConfig(s: EditorSettings | undefined): ServelintConfig {
  const out: ServelintConfig = {};
  if (!isObject(s)) return out;
  if (isObject(s.rules)) {
    const rules = Object.entries(s.rules).filter(([, v]) => typeof v === 'string' && SEVERITIES.has(v));
    if (rules.length) out.rules = Object.fromEntries(rules) as Record<string, SeveritySetting>;
  }
  if (isObject(s.assumptions)) {
    const a = Object.entries(s.assumptions).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
    if (a.length) out.assumptions = Object.fromEntries(a);
  }
  const gpus: NonNullable<ServelintConfig['gpus']> = {};
  if (isObject(s.gpuPrices)) {
    const p = Object.entries(s.gpuPrices).filter(([, v]) => typeof v === 'number' && Number.isFinite(v) && v >= 0);
    if (p.length) gpus.prices = Object.fromEntries(p) as Record<string, number>;
  }
  if (typeof s.defaultGpu === 'string' && s.defaultGpu.trim()) gpus.default = s.defaultGpu.trim();
  if (gpus.prices || gpus.default) out.gpus = gpus;
  const h = s.hostedApi;
  if (isObject(h) && typeof h.inputPerMillion === 'number' && typeof h.outputPerMillion === 'number') out.hostedApi = { ...(h as unknown as HostedApiPrice) };
  // The same schema as .servelint.yaml: out-of-range values (utilization 5) are dropped, not used.
  return validateConfigObject(out).config;
}

export function fsPathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function isConfigFileUri(uri: string): boolean {
  const p = fsPathOf(uri) ?? uri;
  return (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(p));
}

/** A workspace config minus what an untrusted repository must not choose (the cached original is not touched). */
function withoutUntrusted(config: ServelintConfig): ServelintConfig {
  if (config.docsBaseUrl === undefined) return config;
  const { docsBaseUrl: _ignored, ...rest } = config;
  return rest;
}

export class SettingsStore {
  private cache = new Map<string, Promise<DocumentSettings>>();
  /** Settings pushed with workspace/didChangeConfiguration (used when the client has no workspace/configuration). */
  private pushed: EditorSettings | undefined;
  /** Bumped on every change: results computed with an older generation are stale. */
  generation = 0;
  /** initializationOptions.workspaceTrusted: an untrusted workspace's .servelint.yaml cannot set docsBaseUrl. */
  workspaceTrusted = true;

  constructor(
    private readonly connection: Connection,
    private readonly pull: () => boolean,
  ) {}

  forDocument(uri: string): Promise<DocumentSettings> {
    let p = this.cache.get(uri);
    if (!p) {
      p = this.compute(uri);
      this.cache.set(uri, p);
    }
    return p;
  }

  /** Settings or config files changed. `pushed` is the didChangeConfiguration payload's `servelint` section. */
  changed(pushed?: EditorSettings): void {
    if (pushed !== undefined) this.pushed = pushed;
    this.cache.clear();
    clearConfigCache();
    this.generation++;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
  }

  private async compute(uri: string): Promise<DocumentSettings> {
    let editor: EditorSettings | undefined = this.pushed;
    if (this.pull()) {
      try {
        const got: unknown = await this.connection.workspace.getConfiguration({ scopeUri: uri, section: 'servelint' });
        if (isObject(got)) editor = got as EditorSettings;
      } catch (e) {
        this.connection.console.error(`servelint: workspace/configuration failed: ${String(e)}`);
      }
    }
    const file = fsPathOf(uri);
    let fileConfig: ServelintConfig | undefined;
    let configFile: string | undefined;
    if (file) {
      try {
        const loaded = loadConfigFor(path.dirname(file));
        if (loaded) {
          fileConfig = this.workspaceTrusted ? loaded.config : withoutUntrusted(loaded.config);
          configFile = loaded.path;
          for (const e of loaded.errors.filter((x) => x.severity === 'error').slice(0, 3)) {
            this.connection.console.warn(`servelint: ${loaded.path}:${e.line}:${e.column}: ${e.message}`);
          }
        }
      } catch (e) {
        this.connection.console.error(`servelint: reading .servelint.yaml failed: ${String(e)}`);
      }
    }
    const enabled = editor?.enable !== false;
    return { enabled, config: mergeConfig(fileConfig, editorSettingsToConfig(editor)), configFile };
  }
}
