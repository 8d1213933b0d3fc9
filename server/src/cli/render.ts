/**
 * Renderers: a kustomization folder is built with `kubectl kustomize` (or `kustomize build`), a Helm chart folder with
 * `helm template`, and the rendered output is linted instead of the raw files. Findings are mapped back to the files
 * that define each object: Helm's `# Source: <chart>/templates/x.yaml` comments, or for kustomize (which writes no
 * such comments) the file in the kustomization's tree (and the folders its `resources:` name) that defines the same
 * kind and name. What cannot be mapped is reported against the rendered output under the folder's name.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { parseAllDocuments } from 'yaml';
import type { Finding, LintResult, Range, WorkloadReport } from '..';

export type Renderer = 'kustomize' | 'helm';
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The renderer a folder needs, from its file names. */
export function rendererFor(names: readonly string[]): Renderer | null {
  if (names.some((n) => KUSTOMIZATION_FILES.includes(n))) return 'kustomize';
  if (names.includes('Chart.yaml')) return 'helm';
  return null;
}

function onPath(cmd: string, env: NodeJS.ProcessEnv): string | null {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * The command that renders `dir` (argv with the executable's full path, and how to show it), or a one-line error
 * saying what to install or pipe. `valuesFile`: Helm's `-f` (a values file instead of the chart's defaults).
 */
export function renderCommand(dir: string, renderer: Renderer, env: NodeJS.ProcessEnv = process.env, opts: { valuesFile?: string } = {}): { argv: string[]; shown: string } | { error: string } {
  let cmd: string[];
  if (renderer === 'kustomize') {
    const kubectl = onPath('kubectl', env);
    const kustomize = onPath('kustomize', env);
    if (kubectl) cmd = [kubectl, 'kustomize', dir];
    else if (kustomize) cmd = [kustomize, 'build', dir];
    else return { error: `${dir} is a kustomization: install kubectl (kubectl kustomize) or kustomize, or pipe the output: kubectl kustomize ${dir} | servelint -` };
  } else {
    const helm = onPath('helm', env);
    if (!helm) return { error: `${dir} is a Helm chart: install helm, or pipe the output: helm template ${dir} | servelint -` };
    cmd = [helm, 'template', dir, ...(opts.valuesFile ? ['-f', opts.valuesFile] : [])];
  }
  return { argv: cmd, shown: `${path.basename(cmd[0]!)} ${cmd.slice(1).join(' ')}` };
}

/** The one-line error of a renderer that exited non-zero. */
export function renderFailure(shown: string, status: number | null, stderr: string, stdout: string): string {
  // kubectl logs through klog (`E1130 20:34:10.205836 26571 run.go:72] "command failed" err="..."`): keep the message.
  const first = (stderr || stdout || '').trim().split('\n')[0] ?? '';
  const msg = /\berr="(.*)"$/.exec(first)?.[1] ?? first.replace(/^[EWI]\d{4} [\d:.]+\s+\d+ \S+\] /, '');
  return `${shown} failed (exit ${status}): ${msg}`;
}

/** Runs the renderer for `dir`: the rendered YAML, or a one-line error saying what to install or pipe. */
export function renderDir(dir: string, renderer: Renderer, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { text: string; command: string } | { error: string } {
  const c = renderCommand(dir, renderer, env);
  if ('error' in c) return c;
  const r = spawnSync(c.argv[0]!, c.argv.slice(1), { encoding: 'utf8', env, cwd, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) return { error: `${c.shown} failed: ${r.error.message}` };
  if (r.status !== 0) return { error: renderFailure(c.shown, r.status, r.stderr, r.stdout) };
  return { text: r.stdout, command: c.shown };
}

/** A YAML document of a text: its offsets and, when known, the file that defines it. */
interface Doc {
  start: number;
  end: number;
  kind?: string;
  name?: string;
  /** Helm's `# Source:` path. */
  source?: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function documents(text: string): Doc[] {
  const docs: Doc[] = [];
  for (const d of parseAllDocuments(text, { strict: false, uniqueKeys: false })) {
    if (!('range' in d) || !d.range) continue;
    // The document's own range starts after any leading comment; widen it back to the previous document's end.
    const start = docs.length ? docs[docs.length - 1]!.end : 0;
    const end = d.range[2];
    const js = ((): { kind?: unknown; metadata?: { name?: unknown } } | null => {
      try {
        return d.toJS() as never;
      } catch {
        return null;
      }
    })();
    const head = text.slice(start, d.contents?.range?.[0] ?? end);
    const source = /^#\s*Source:\s*(\S.*?)\s*$/m.exec(head)?.[1];
    docs.push({
      start,
      end,
      kind: str(js?.kind),
      name: str(js?.metadata?.name),
      source,
    });
  }
  return docs;
}

/** True when the rendered text carries Helm's `# Source:` comments. */
export const hasSourceComments = (text: string): boolean => /^#\s*Source:\s*\S/m.test(text);

/** A file a rendered document maps to: its path (as shown) and text, with the document's part of it. */
interface Target {
  file: string;
  text: string;
  /** The part of `text` that defines the object (whole file for Helm templates). */
  start: number;
  end: number;
  /** The object defined there (kustomize sources). */
  kind?: string;
  name?: string;
}

/** The lines of the candidate files searched, in order, for the rendered line of a finding. */
function locate(rendered: string, range: Range, targets: Target[]): { target: Target; range: Range } | null {
  if (!targets.length) return null;
  const lineStart = rendered.lastIndexOf('\n', range.start - 1) + 1;
  const lineEnd = ((e) => (e < 0 ? rendered.length : e))(rendered.indexOf('\n', range.start));
  // kustomize re-emits YAML (sorted keys, so a list item's first key changes): compare lines without the `- `.
  const norm = (l: string): string => l.trim().replace(/^(?:-\s+)+/, '').replace(/["']/g, '');
  const line = norm(rendered.slice(lineStart, lineEnd));
  const kindLine = (t: Target): Range | null => {
    const m = /^[ \t]*kind:.*$/m.exec(t.text.slice(t.start, t.end));
    return m ? { start: t.start + m.index + (m[0].length - m[0].trimStart().length), end: t.start + m.index + m[0].length } : null;
  };
  if (line) {
    for (const t of targets) {
      let off = t.start;
      for (const l of t.text.slice(t.start, t.end).split('\n')) {
        if (norm(l) === line) {
          const s = off + (l.length - l.trimStart().length);
          return { target: t, range: { start: s, end: off + l.trimEnd().length } };
        }
        off += l.length + 1;
      }
    }
  }
  const t = targets[0]!;
  return { target: t, range: kindLine(t) ?? { start: t.start, end: t.start } };
}

export interface MappedReport {
  file: string;
  text: string;
  result: LintResult;
}

/** The files (paths relative to `cwd`) that define objects of a kustomization: its tree and its `resources:` folders. */
export const kustomizeSourceFiles = (dir: string, cwd: string): string[] => [...new Set(kustomizeTargets(dir, cwd).map((t) => t.file))];

/** Source files of a kustomization, from its tree and the folders (recursively) its `resources:` name. */
function kustomizeTargets(dir: string, cwd: string): Target[] {
  const out: Target[] = [];
  const seenDirs = new Set<string>();
  const visit = (d: string): void => {
    if (seenDirs.has(d)) return;
    seenDirs.add(d);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git' && e.name !== 'node_modules') visit(p);
        continue;
      }
      if (!/\.ya?ml$/i.test(e.name) && e.name !== 'Kustomization') continue;
      let text: string;
      try {
        text = fs.readFileSync(p, 'utf8');
      } catch {
        continue;
      }
      if (KUSTOMIZATION_FILES.includes(e.name)) {
        try {
          const k = parseAllDocuments(text)[0]?.toJS() as { resources?: unknown; bases?: unknown } | undefined;
          for (const r of [...(Array.isArray(k?.resources) ? k.resources : []), ...(Array.isArray(k?.bases) ? k.bases : [])]) {
            if (typeof r !== 'string' || /^[a-z]+:\/\//i.test(r)) continue;
            const rp = path.resolve(d, r);
            if (fs.existsSync(rp) && fs.statSync(rp).isDirectory()) visit(rp);
          }
        } catch {
          // kustomize itself reports a broken kustomization
        }
        continue;
      }
      const file = path.relative(cwd, p) || p;
      for (const doc of documents(text)) if (doc.kind) out.push({ file, text, start: doc.start, end: doc.end, kind: doc.kind, name: doc.name });
    }
  };
  visit(dir);
  return out;
}

/**
 * Splits the result of linting a rendered text into reports per source file. `fallback` names what cannot be mapped
 * (the rendered output keeps its own lines there). Fixes are dropped: they would edit the rendered output.
 */
export function mapRendered(
  rendered: string,
  result: LintResult,
  opts: { renderer: Renderer | 'stdin'; dir?: string; cwd: string; fallback: string },
): { reports: MappedReport[]; unmapped: number } {
  const docs = documents(rendered);
  const cache = new Map<string, string | null>();
  const read = (p: string): string | null => {
    if (!cache.has(p)) {
      try {
        cache.set(p, fs.statSync(p).isFile() ? fs.readFileSync(p, 'utf8') : null);
      } catch {
        cache.set(p, null);
      }
    }
    return cache.get(p)!;
  };
  const kustomized = opts.renderer === 'kustomize' && opts.dir ? kustomizeTargets(opts.dir, opts.cwd) : [];
  // Overlay files (in the kustomization's own folder) first: a patch there is what the author edits.
  const inDir = (t: Target): number => (opts.dir && !path.relative(path.relative(opts.cwd, opts.dir) || '.', t.file).startsWith('..') ? 0 : 1);
  const targetsFor = (doc: Doc | undefined): Target[] => {
    if (!doc) return [];
    if (doc.source) {
      // `<chart>/templates/x.yaml`: relative to the chart folder's parent, or to the current folder when piped.
      const base = opts.dir ? path.dirname(opts.dir) : opts.cwd;
      for (const p of [path.resolve(base, doc.source), path.resolve(opts.cwd, doc.source.split('/').slice(1).join('/'))]) {
        const text = read(p);
        if (text !== null) return [{ file: path.relative(opts.cwd, p) || p, text, start: 0, end: text.length }];
      }
      return [{ file: doc.source, text: rendered, start: doc.start, end: doc.end }];
    }
    // Same kind, and the same name or one namePrefix/nameSuffix extended.
    const same = kustomized.filter((t) => t.kind === doc.kind && t.name !== undefined && doc.name !== undefined && doc.name.includes(t.name));
    return same.sort((a, b) => inDir(a) - inDir(b));
  };
  const groups = new Map<string, MappedReport>();
  let unmapped = 0;
  const groupFor = (file: string, text: string): MappedReport => {
    let g = groups.get(file);
    if (!g) groups.set(file, (g = { file, text, result: { findings: [], workloads: [], objectCount: 0 } }));
    return g;
  };
  const docAt = (offset: number): Doc | undefined => docs.find((d) => offset >= d.start && offset < d.end) ?? docs[docs.length - 1];
  const place = (range: Range): { group: MappedReport; range: Range } => {
    const doc = docAt(range.start);
    const hit = locate(rendered, range, targetsFor(doc));
    if (hit && hit.target.text !== rendered) return { group: groupFor(hit.target.file, hit.target.text), range: hit.range };
    if (hit && doc?.source) {
      // A `# Source:` file not on disk: report under its name, lines of the rendered output.
      return { group: groupFor(hit.target.file, rendered), range };
    }
    unmapped++;
    return { group: groupFor(opts.fallback, rendered), range };
  };
  for (const f of result.findings) {
    const { group, range } = place(f.range);
    group.result.findings.push(Object.assign({}, f, { range, fixes: undefined }) as Finding);
  }
  for (const f of result.suppressed ?? []) {
    const { group, range } = place(f.range);
    (group.result.suppressed ??= []).push(Object.assign({}, f, { range, fixes: undefined }) as Finding);
  }
  for (const w of result.workloads) {
    const { group, range } = place(w.kindRange);
    group.result.workloads.push(Object.assign({}, w, { kindRange: range, documentRange: range }) as WorkloadReport);
  }
  const reports = [...groups.values()];
  if (reports.length) reports[0]!.result.objectCount = result.objectCount;
  else reports.push({ file: opts.fallback, text: rendered, result: Object.assign({}, result, { findings: [], workloads: [] }) });
  return { reports, unmapped };
}
