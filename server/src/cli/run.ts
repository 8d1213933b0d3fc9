/** The CLI as a function (argv, I/O in; exit code out) so tests can drive it without spawning. */
import * as fs from 'fs';
import * as path from 'path';
import { applyAllFixes, createLinter, directiveCovers, disableDirectives, LineIndex, type LintResult, type Rule, type ServelintConfig } from '..';
import { collectFiles } from './files';
import { runCost } from './cost-diff';
import { hasSourceComments, mapRendered, renderDir } from './render';
import { HELP, parseArgs, UsageError } from './options';
import type { FileReport } from './format/types';
import { FORMATTERS } from './format';
import { unifiedDiff } from './diff';
import { configFor } from './config';
import { VERSION } from '../version';
import { decodeText, encodeText, oneLine, readBytes, type DecodedText } from '../io/text';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  /** Standard input; bytes are decoded like files (byte order marks), a string only loses a leading BOM. */
  readStdin(): string | Buffer;
  cwd: string;
  /** Colour text output unless told otherwise (main.ts: stdout is a TTY and NO_COLOR is unset). */
  colorDefault?: boolean;
  /** Environment of renderers (PATH); default process.env. */
  env?: NodeJS.ProcessEnv;
}

export { VERSION };

/** `options.rules` replaces the built-in rules (tests add one that throws). */
export function run(argv: string[], io: Io, options: { rules?: readonly Rule[] } = {}): number {
  if (argv[0] === 'cost') return runCost(argv.slice(1), io, createLinter(options.rules));
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`servelint: ${e.message} (servelint --help lists the options)\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    io.stdout(HELP + '\n');
    return 0;
  }
  if (opts.version) {
    io.stdout(VERSION + '\n');
    return 0;
  }
  if (opts.listRules) {
    const rules = createLinter(options.rules).allRules();
    const w = Math.max(...rules.map((r) => r.id.length));
    for (const r of rules) io.stdout(`${r.id.padEnd(w)}  ${r.defaultSeverity.padEnd(7)}  ${r.hasFix ? 'fix' : '   '}  ${r.description}\n`);
    return 0;
  }
  if (opts.printConfig !== undefined) {
    const target = path.resolve(io.cwd, opts.printConfig);
    let dir = target;
    try {
      if (!fs.statSync(target).isDirectory()) dir = path.dirname(target);
    } catch {
      io.stderr(`servelint: ${opts.printConfig}: no such file or directory\n`);
      return 2;
    }
    const cfg = configFor(dir, opts.config);
    io.stdout(JSON.stringify({ file: cfg.path ? path.relative(io.cwd, cfg.path) || cfg.path : null, config: cfg.config }, null, 2) + '\n');
    for (const e of cfg.errors) io.stderr(`servelint: ${e}\n`);
    return cfg.errors.length ? 2 : 0;
  }
  if (opts.paths.length === 0) {
    io.stderr('servelint: no paths given (servelint --help lists the options)\n');
    return 2;
  }
  const { files, errors: ioErrors, warnings: skipped, renders } = collectFiles(
    opts.paths.map((p) => (p === '-' ? p : path.resolve(io.cwd, p))),
    { exclude: opts.exclude, cwd: io.cwd },
  );
  // No silent pass: paths without a single YAML file (or folder to render) are a usage problem.
  if (!files.length && !renders.length && !ioErrors.length) ioErrors.push(`no YAML files in ${opts.paths.join(', ')} (servelint reads *.yaml and *.yml, kustomizations and Helm charts)`);
  const notes: string[] = [];
  const linter = createLinter(options.rules);
  const reports: FileReport[] = [];
  let rulesConfig: ServelintConfig = {};
  const report = (e: string): void => {
    if (!ioErrors.includes(e)) ioErrors.push(e); // a config shared by many files is reported once
  };
  // `# servelint-disable` comments: unknown rule ids (a warning line) and, when asked, those that suppress nothing.
  const ruleIds = new Set(linter.allRules().map((r) => r.id));
  const unused: string[] = [];
  const checkDirectives = (display: string, text: string, result: LintResult, index: LineIndex): void => {
    for (const d of disableDirectives(text)) {
      const at = index.position(d.range.start);
      const where = `${display}:${at.line + 1}:${at.character + 1}`;
      for (const id of d.ids) if (!ruleIds.has(id)) skipped.push(`${where}: unknown rule "${id}" in a servelint-disable comment (servelint --list-rules lists them)`);
      if (opts.reportUnusedDisableDirectives && !(result.suppressed ?? []).some((f) => directiveCovers(d, f)))
        unused.push(`${where}: unused servelint-disable directive (no ${d.ids.length ? d.ids.join(', ') : ''} problem reported there)`.replace('no  problem', 'no problem'));
    }
  };
  const stdinFile = opts.stdinFilename ? path.resolve(io.cwd, opts.stdinFilename) : undefined;
  /** Lints a rendered text and files its findings under the source files (render.ts). */
  const lintRendered = (text: string, where: { renderer: 'kustomize' | 'helm' | 'stdin'; dir?: string; fallback: string; command: string }): void => {
    const cfg = configFor(where.dir ?? io.cwd, opts.config);
    for (const err of cfg.errors) report(err);
    rulesConfig = cfg.config;
    const result = linter.lint(text, { config: cfg.config, fileName: where.fallback });
    const { reports: mapped, unmapped } = mapRendered(text, result, { renderer: where.renderer, dir: where.dir, cwd: io.cwd, fallback: where.fallback });
    if (unmapped) notes.push(`${unmapped} finding${unmapped === 1 ? '' : 's'} under ${where.fallback} could not be mapped to a source file: their lines are those of \`${where.command}\``);
    if (opts.fix || opts.fixDryRun) notes.push(`${where.fallback}: rendered by \`${where.command}\`, so its fixes are not applied (fix the source files)`);
    for (const m of mapped) reports.push({ ...m, index: new LineIndex(m.text) });
  };
  for (const { dir, renderer } of renders) {
    const display = path.relative(io.cwd, dir) || '.';
    const r = renderDir(display, renderer, io.env ?? process.env, io.cwd);
    if ('error' in r) report(r.error);
    else lintRendered(r.text, { renderer, dir, fallback: display, command: r.command });
  }
  for (const file of files) {
    const display = file === '-' ? (opts.stdinFilename ?? '-') : path.relative(io.cwd, file) || file;
    let decoded: DecodedText;
    let regular = false;
    try {
      if (file === '-') {
        const input = io.readStdin();
        decoded = typeof input === 'string' ? { text: input.replace(/^\uFEFF/, ''), encoding: 'utf8' } : decodeText(input);
      } else {
        decoded = decodeText(readBytes(file));
        regular = fs.statSync(file).isFile();
      }
    } catch (e) {
      report(`${display}: ${oneLine(e)}`);
      continue;
    }
    let text = decoded.text;
    if (file === '-' && hasSourceComments(text)) {
      // `helm template ... | servelint -`: map each document to its `# Source:` template.
      lintRendered(text, { renderer: 'stdin', fallback: display, command: 'the piped input' });
      continue;
    }
    const cfg = configFor(file === '-' ? (stdinFile ? path.dirname(stdinFile) : io.cwd) : path.dirname(file), opts.config);
    for (const err of cfg.errors) report(err);
    rulesConfig = cfg.config;
    let result = linter.lint(text, { config: cfg.config, fileName: display });
    if (opts.fix || opts.fixDryRun) {
      const fixed = applyAllFixes(text, (t, o) => linter.lint(t, o), { config: cfg.config });
      if (fixed.text !== text) {
        // stdin, FIFOs and devices cannot be rewritten in place: their fixes are printed as a diff.
        if (opts.fixDryRun || !regular) io.stdout(unifiedDiff(display, text, fixed.text));
        else {
          try {
            fs.writeFileSync(file, encodeText(fixed.text, decoded.encoding));
            text = fixed.text;
            result = linter.lint(text, { config: cfg.config, fileName: display });
          } catch (e) {
            report(`${display}: cannot write the fixes: ${oneLine(e)}`);
          }
        }
      }
    }
    const index = new LineIndex(text);
    reports.push({ file: display, text, result, index });
    checkDirectives(display, text, result, index);
  }
  const findings = reports.flatMap((r) => r.result.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const exitCode = ((): number => {
    if (ioErrors.length) return 2;
    if (errors > 0 || unused.length) return 1;
    if (opts.maxWarnings >= 0 && warnings > opts.maxWarnings) return 1;
    return 0;
  })();
  const input = { files: reports, rules: linter.allRules(rulesConfig), version: VERSION, cost: opts.cost, ioErrors, color: opts.color ?? io.colorDefault ?? false, cwd: io.cwd, exitCode };
  const formatted = FORMATTERS[opts.format](input);
  if (opts.outputFile) {
    const out = path.resolve(io.cwd, opts.outputFile);
    try {
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, formatted);
    } catch (e) {
      io.stderr(`servelint: cannot write ${opts.outputFile}: ${oneLine(e)}\n`);
      return 2;
    }
  } else if (!opts.fixDryRun || opts.format !== 'text') io.stdout(formatted);
  // Problems go to stderr, one line each, in every format (json also lists them under "errors").
  for (const w of skipped) io.stderr(`servelint: warning: ${w}\n`);
  for (const n of notes) io.stderr(`servelint: note: ${n}\n`);
  for (const u of unused) io.stderr(`servelint: ${u}\n`);
  for (const e of ioErrors) io.stderr(`servelint: ${e.replace(/\s*\n\s*/g, ' ')}\n`);
  return exitCode;
}
