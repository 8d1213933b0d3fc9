/** File-system side of .servelint.yaml: find it (walking up from a manifest's folder) and load it, with a small cache. */
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_FILE_NAMES, parseConfig, type ConfigError, type ParsedConfig } from '../engine/config';
import type { ServelintConfig } from '../engine/types';
import { oneLine, readText } from '../io/text';

export interface LoadedConfig {
  config: ServelintConfig;
  errors: ConfigError[];
  /** Absolute path of the config file. */
  path: string;
}

/**
 * The nearest .servelint.yaml (or .servelint.yml) in startDir or any of its parents, up to the filesystem root.
 * startDir may also be a file path (its folder is used). .yaml wins over .yml in the same folder.
 */
export function findConfigFile(startDir: string): string | undefined {
  let dir = path.resolve(startDir);
  if (statOrUndefined(dir)?.isFile()) dir = path.dirname(dir);
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (statOrUndefined(candidate)?.isFile()) return candidate;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

const cache = new Map<string, { mtimeMs: number; size: number; result: LoadedConfig }>();
const MAX_CACHE = 64;

/**
 * Read and parse a config file. I/O problems come back as an error entry at 1:1, never as a throw.
 * Results are cached by path + mtime + size and shared between callers: treat them as read-only.
 */
export function loadConfigFile(file: string): LoadedConfig {
  const abs = path.resolve(file);
  let stat: fs.Stats;
  let text: string;
  try {
    stat = fs.statSync(abs);
    const hit = cache.get(abs);
    if (hit && hit.mtimeMs === stat.mtimeMs && hit.size === stat.size) return hit.result;
    // Bounded for FIFOs and devices (-c /dev/stdin, a named pipe); BOM-aware like manifests.
    text = readText(abs).text;
  } catch (e) {
    cache.delete(abs);
    return { config: {}, path: abs, errors: [fileError(`Cannot read config file ${abs}: ${oneLine(e)}`)] };
  }
  const { config, errors } = parseConfigSafe(text, path.basename(abs));
  const result: LoadedConfig = { config, errors, path: abs };
  if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value as string);
  cache.set(abs, { mtimeMs: stat.mtimeMs, size: stat.size, result });
  return result;
}

/**
 * parseConfig, but a file the YAML parser refuses outright (an alias bomb: "billion laughs") comes back as
 * one config error at 1:1 instead of a throw.
 */
export function parseConfigSafe(text: string, fileName?: string): ParsedConfig {
  try {
    return parseConfig(text, fileName);
  } catch (e) {
    const prefix = fileName ? `${fileName}: ` : '';
    const reason = /alias/i.test(oneLine(e))
      ? 'YAML aliases expand to too many nodes (a "billion laughs" file?); the file is ignored'
      : `cannot be parsed (${oneLine(e)}); the file is ignored`;
    return { config: {}, errors: [fileError(prefix + reason)] };
  }
}

function fileError(message: string): ConfigError {
  return { message, line: 1, column: 1, endLine: 1, endColumn: 1, severity: 'error' };
}

/** findConfigFile + loadConfigFile; undefined when there is no config file. */
export function loadConfigFor(startDir: string): LoadedConfig | undefined {
  const file = findConfigFile(startDir);
  return file ? loadConfigFile(file) : undefined;
}

/** Forget cached files (e.g. when the language server is told a config file changed). */
export function clearConfigCache(file?: string): void {
  if (file) cache.delete(path.resolve(file));
  else cache.clear();
}

function statOrUndefined(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
}
