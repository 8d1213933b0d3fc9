/** Collects the YAML files to lint from paths (recursively for directories). */
import * as fs from 'fs';
import * as path from 'path';
import { specialKind } from '../io/text';
import { KUSTOMIZATION_FILES, rendererFor, type Renderer } from './render';

// Only these are skipped without a word; `--exclude` globs and `.gitignore` patterns say what they skipped.
const SKIP_DIRS = new Set(['node_modules', '.git']);

/** A glob (`*`, `**`, `?`; a pattern without `/` matches a name at any depth) as a test on a `/`-separated path. */
export function globTest(glob: string): (rel: string) => boolean {
  let g = glob.replace(/\\/g, '/');
  const anchored = g.startsWith('/') || g.replace(/\/$/, '').includes('/');
  g = g.replace(/^\//, '').replace(/\/$/, '');
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      re += g[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += g[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  const rx = new RegExp(`^${anchored ? '' : '(?:.*/)?'}${re}(?:/.*)?$`);
  return (rel) => rx.test(rel);
}

export interface Collected {
  files: string[];
  errors: string[];
  /** Files skipped on the way (FIFOs, sockets, devices named *.yaml inside a directory; excluded or ignored folders). */
  warnings: string[];
  /** Folders to render (kustomization, Helm chart) instead of reading their files. */
  renders: { dir: string; renderer: Renderer }[];
}

export interface CollectOptions {
  /** `--exclude` globs, matched against paths relative to the current folder and to each given folder. */
  exclude?: string[];
  cwd?: string;
}

const isManifestName = (name: string): boolean => /\.ya?ml$/i.test(name) && !/^\.servelint\.ya?ml$/.test(name);

export function collectFiles(paths: string[], options: CollectOptions = {}): Collected {
  const files: string[] = [];
  const errors: string[] = [];
  const warnings: string[] = [];
  const renders: Collected['renders'] = [];
  const cwd = options.cwd ?? process.cwd();
  const excludes = (options.exclude ?? []).map((g) => ({ g, test: globTest(g) }));
  const slash = (p: string): string => p.split(path.sep).join('/');
  const shown = (p: string): string => path.relative(cwd, p) || p;
  /** `--exclude` or a `.gitignore` (of `ignores`' folders) that matches p. */
  const excludedBy = (p: string, root: string, ignores: { dir: string; test: (rel: string) => boolean; g: string }[]): string | null => {
    for (const x of excludes) if (x.test(slash(path.relative(cwd, p))) || x.test(slash(path.relative(root, p)))) return `--exclude ${x.g}`;
    for (const i of ignores) if (i.test(slash(path.relative(i.dir, p)))) return `.gitignore (${i.g})`;
    return null;
  };
  const gitignore = (dir: string): { dir: string; test: (rel: string) => boolean; g: string }[] => {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, '.gitignore'), 'utf8');
    } catch {
      return [];
    }
    // Negations (`!`) are not supported: such a line is left out rather than read as a pattern.
    return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('!')).map((g) => ({ dir, g, test: globTest(g) }));
  };
  const walk = (dir: string, root: string, inherited: ReturnType<typeof gitignore>): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      errors.push(`${dir}: ${(e as Error).message}`);
      return;
    }
    const renderer = rendererFor(entries.filter((e) => !e.isDirectory()).map((e) => e.name));
    if (renderer) {
      renders.push({ dir, renderer });
      return;
    }
    const ignores = [...inherited, ...gitignore(dir)];
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const ent of entries) {
      const p = path.join(dir, ent.name);
      if (ent.isDirectory() && SKIP_DIRS.has(ent.name)) continue;
      const why = excludedBy(p, root, ignores);
      if (why) {
        if (ent.isDirectory() || isManifestName(ent.name)) warnings.push(`skipped ${shown(p)}${ent.isDirectory() ? '/' : ''}: ${why}`);
        continue;
      }
      if (ent.isDirectory()) {
        walk(p, root, ignores);
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
    if (st.isDirectory()) {
      // .gitignore files of the folders above, up to the repository root (the folder with .git).
      const above: ReturnType<typeof gitignore> = [];
      if (!fs.existsSync(path.join(p, '.git'))) {
        for (let d = path.dirname(p); ; d = path.dirname(d)) {
          above.unshift(...gitignore(d));
          if (fs.existsSync(path.join(d, '.git')) || path.dirname(d) === d) break;
        }
      }
      walk(p, p, above);
    } else if (KUSTOMIZATION_FILES.includes(path.basename(p))) renders.push({ dir: path.dirname(p), renderer: 'kustomize' });
    else files.push(p);
  }
  return { files, errors, warnings, renders };
}
