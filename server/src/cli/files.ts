/** Collects the YAML files to lint from paths (recursively for directories). */
import * as fs from 'fs';
import * as path from 'path';
import { specialKind } from '../io/text';

const SKIP_DIRS = new Set(['node_modules', '.git', 'out', 'dist']);

export interface Collected {
  files: string[];
  errors: string[];
  /** Files skipped on the way (FIFOs, sockets, devices named *.yaml inside a directory). */
  warnings: string[];
}

const isManifestName = (name: string): boolean => /\.ya?ml$/i.test(name) && !/^\.servelint\.ya?ml$/.test(name);

export function collectFiles(paths: string[]): Collected {
  const files: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const ent of entries) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) walk(p);
        continue;
      }
      if (!isManifestName(ent.name)) continue;
      // Only regular files are read from a directory: a FIFO would block, a device never end.
      let kind = specialKind(ent);
      if (!kind && ent.isSymbolicLink()) {
        try {
          kind = specialKind(fs.statSync(p));
        } catch {
          // A dangling link: reading it reports the error.
        }
      }
      if (kind) warnings.push(`skipped ${p}: ${kind}, not a regular file`);
      else files.push(p);
    }
  };
  for (const p of paths) {
    if (p === '-') {
      files.push('-');
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      errors.push(`${p}: no such file or directory`);
      continue;
    }
    // Anything else named explicitly is read, with a size and time bound for non-regular files (io/text.ts).
    if (st.isDirectory()) walk(p);
    else files.push(p);
  }
  return { files, errors, warnings };
}
