/**
 * Helm charts and kustomizations in the editor. A file under `<chart>/templates/` (a folder with Chart.yaml) or in a
 * folder with a kustomization.yaml is rendered when it is opened (first time) or saved: `helm template <chart>`
 * (with `servelint.helm.valuesFile` as `-f` when set) or `kubectl kustomize` / `kustomize build`, the same commands
 * and the same `# Source:` / kind-and-name mapping as the CLI (cli/render.ts). The findings on the rendered output
 * then replace the file's own diagnostics (a template's "render it first", a patch's partial Deployment) until the
 * next render. Nothing is executed when the editor does not trust the workspace (initializationOptions
 * .workspaceTrusted false) or `servelint.render` is false; the first such file says so once.
 */
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { MessageType, ShowMessageNotification, type Diagnostic } from 'vscode-languageserver/node';
import { LineIndex } from '..';
import { KUSTOMIZATION_FILES, kustomizeSourceFiles, mapRendered, renderCommand, renderFailure, type Renderer } from '../cli/render';
import { guard, type ServerContext } from './context';
import { toDiagnostic } from './diagnostics';
import type { LintEntry } from './lintService';
import { fsPathOf } from './settings';

/** initializationOptions / `servelint` settings read here. */
export interface RenderSettings {
  render?: boolean;
  helm?: { valuesFile?: string };
}

interface Unit {
  dir: string;
  renderer: Renderer;
}

interface Rendered {
  renderer: Renderer;
  /** The diagnostics' messages end with `[<how> <name>]`: `[kustomize prod]`, `[helm template llm]`. */
  how: string;
  name: string;
  /** The file whose opening or saving rendered it (its settings apply). */
  uri: string;
  /** What ran, e.g. `kubectl kustomize /w/k/overlays/prod`. */
  command: string;
  /** Source files (absolute) the render covers: their diagnostics come from it. */
  files: Set<string>;
  byFile: Map<string, Diagnostic[]>;
}

const exists = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The chart or kustomization a file belongs to: the nearest folder above it with a kustomization, or the chart whose templates/ holds it. */
export function unitOf(file: string): Unit | null {
  let dir = path.dirname(file);
  for (let i = 0; i < 32; i++) {
    if (KUSTOMIZATION_FILES.some((n) => exists(path.join(dir, n)))) return { dir, renderer: 'kustomize' };
    if (path.basename(dir) === 'templates' && exists(path.join(path.dirname(dir), 'Chart.yaml'))) return { dir: path.dirname(dir), renderer: 'helm' };
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return null;
}

/** Files of a chart whose diagnostics come from its rendering: everything under templates/. */
function chartFiles(chart: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  visit(path.join(chart, 'templates'));
  return out;
}

const run = (argv: string[], cwd: string): Promise<{ status: number | null; stdout: string; stderr: string; error?: Error }> =>
  new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000 }, (err, stdout, stderr) => {
      const status = err && typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : err ? null : 0;
      resolve({ status, stdout, stderr, error: err && status === null ? err : undefined });
    });
  });

export class RenderService {
  private readonly renders = new Map<string, Rendered>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly said = new Set<string>();
  /** Bumped on every render: part of the diagnostics resultId. */
  generation = 0;
  /** From initializationOptions.workspaceTrusted (default true, as for docsBaseUrl). */
  trusted = true;
  /** From initializationOptions (clients without workspace/configuration). */
  initial: RenderSettings = {};

  constructor(
    private readonly ctx: ServerContext,
    /** Called with the file URIs whose diagnostics changed. */
    private readonly changed: (uris: string[]) => void,
  ) {}

  /**
   * Diagnostics from the latest renders that cover `uri` (undefined: lint the file itself). The same finding from
   * several renders (a base under two overlays) is one diagnostic naming them all: `[kustomize prod, staging]`.
   */
  diagnostics(uri: string): Diagnostic[] | undefined {
    const file = fsPathOf(uri);
    if (!file) return undefined;
    let out: Map<string, { d: Diagnostic; how: string; names: string[] }> | undefined;
    for (const r of this.renders.values()) {
      if (!r.files.has(file)) continue;
      out ??= new Map();
      for (const d of r.byFile.get(file) ?? []) {
        const key = `${d.code}|${d.range.start.line}:${d.range.start.character}|${d.message}`;
        const seen = out.get(key);
        if (seen) seen.names.push(r.name);
        else out.set(key, { d, how: r.how, names: [r.name] });
      }
    }
    if (!out) return undefined;
    return [...out.values()].map(({ d, how, names }) => (Object.assign({}, d, { message: `${d.message} [${how} ${names.join(', ')}]` })));
  }

  /** Opened: render its unit if nothing has yet. */
  opened(uri: string): void {
    const file = fsPathOf(uri);
    const unit = file ? unitOf(file) : null;
    if (unit && !this.renders.has(unit.dir)) void this.render(unit, uri);
  }

  /** Saved: render its unit and every rendered unit that covers the file (an overlay over a saved base). */
  saved(uri: string): void {
    const file = fsPathOf(uri);
    if (!file) return;
    const units = new Map<string, Unit>();
    const own = unitOf(file);
    if (own) units.set(own.dir, own);
    for (const [dir, r] of this.renders) if (r.files.has(file) && !units.has(dir)) units.set(dir, { dir, renderer: r.renderer });
    for (const u of units.values()) void this.render(u, uri);
  }

  /** Settings changed (a values file, `servelint.render`): every rendered unit again. */
  settingsChanged(): void {
    for (const [dir, r] of this.renders) void this.render({ dir, renderer: r.renderer }, r.uri);
  }

  /** Once per session and reason: a notification, and the log. */
  private sayOnce(key: string, message: string): void {
    if (this.said.has(key)) return;
    this.said.add(key);
    this.ctx.connection.console.info(message);
    void this.ctx.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Info, message });
  }

  private async settings(uri: string): Promise<RenderSettings> {
    if (!this.ctx.features.configuration) return this.initial;
    try {
      const got = (await this.ctx.connection.workspace.getConfiguration({ scopeUri: uri, section: 'servelint' })) as RenderSettings | null;
      return Object.assign({}, this.initial, (got ?? {}));
    } catch {
      return this.initial;
    }
  }

  private render(unit: Unit, uri: string): Promise<void> {
    // One render per unit at a time; a save during a render renders again after it.
    const prev = this.running.get(unit.dir) ?? Promise.resolve();
    const next = prev.then(() => guard(this.ctx, `rendering ${unit.dir}`, undefined, () => this.renderNow(unit, uri)));
    this.running.set(unit.dir, next);
    void next.then(() => this.running.get(unit.dir) === next && this.running.delete(unit.dir));
    return next;
  }

  private async renderNow(unit: Unit, uri: string): Promise<void> {
    if (!this.trusted) {
      this.sayOnce('untrusted', `servelint: this workspace is not trusted, so Helm charts and kustomizations are not rendered (nothing is executed); their files are linted as they are. Trust the workspace to render them.`);
      return;
    }
    const settings = await this.settings(uri);
    if (settings.render === false) return this.store(unit.dir, undefined);
    const valuesFile = unit.renderer === 'helm' && settings.helm?.valuesFile ? path.resolve(unit.dir, settings.helm.valuesFile) : undefined;
    const cmd = renderCommand(unit.dir, unit.renderer, process.env, { valuesFile });
    if ('error' in cmd) return this.sayOnce(`missing:${unit.renderer}`, `servelint: ${cmd.error}. Until then its files are linted as they are.`);
    const r = await run(cmd.argv, path.dirname(unit.dir));
    if (r.error || r.status !== 0) {
      const msg = r.error ? `${cmd.shown} failed: ${r.error.message}` : renderFailure(cmd.shown, r.status, r.stderr, r.stdout);
      this.sayOnce(`failed:${unit.dir}:${msg}`, `servelint: ${msg}`);
      return this.store(unit.dir, undefined);
    }
    const { config } = await this.ctx.settings.forDocument(uri);
    const result = this.ctx.lints.linter.lint(r.stdout, { config, fileName: `${unit.dir} (rendered)` });
    const { reports, unmapped } = mapRendered(r.stdout, result, { renderer: unit.renderer, dir: unit.dir, cwd: unit.dir, fallback: unit.dir });
    if (unmapped) this.ctx.connection.console.info(`servelint: ${cmd.shown}: ${unmapped} finding(s) map to no source file`);
    const files = new Set((unit.renderer === 'helm' ? chartFiles(unit.dir) : kustomizeSourceFiles(unit.dir, unit.dir).map((f) => path.resolve(unit.dir, f))));
    const byFile = new Map<string, Diagnostic[]>();
    for (const rep of reports) {
      const file = path.resolve(unit.dir, rep.file);
      if (rep.text === r.stdout || !files.has(file)) continue;
      const entry = { lines: new LineIndex(rep.text) } as LintEntry;
      byFile.set(file, rep.result.findings.map((f) => toDiagnostic(entry, f)));
    }
    this.store(unit.dir, { uri, renderer: unit.renderer, how: unit.renderer === 'helm' ? 'helm template' : 'kustomize', name: path.basename(unit.dir), command: cmd.shown, files, byFile });
  }

  private store(dir: string, r: Rendered | undefined): void {
    const before = this.renders.get(dir);
    if (r) this.renders.set(dir, r);
    else this.renders.delete(dir);
    this.generation++;
    const files = new Set([...(before?.files ?? []), ...(r?.files ?? [])]);
    this.changed([...files].map((f) => pathToFileURL(f).href));
  }
}
