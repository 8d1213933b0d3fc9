/** The CLI as a function (argv, I/O in; exit code out) so tests can drive it without spawning. */
import * as fs from 'fs';
import * as path from 'path';
import { createLinter, LineIndex, type Rule, type ServelintConfig } from '..';
import { collectFiles } from './files';
import { runCost } from './cost-diff';
import { hasSourceComments, mapRendered, renderDir } from './render';
import { HELP, parseArgs, UsageError, type Format } from './options';
import { fileReport, type ReportInput } from './format/types';
import { ReportStore } from './report-store';
import { prepareReport } from './format/prepare';
import { cliLinter, fileLinter, type FileOutcome, type LintSettings } from './lint-file';
import { lintInParallel } from './pool';
import { FORMATTERS } from './format';
import { configFor } from './config';
import { VERSION } from '../version';
import { decodeText, oneLine, type DecodedText } from '../io/text';

export interface Io {
  stdout(s: string): void;
  /** The report, UTF-8, for stdout (main.ts; a piece is valid only during the call); without it, decoded to `stdout`. */
  stdoutBytes?(b: Uint8Array): void;
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

/**
 * Runs a formatter, handing its output to `sink` as UTF-8 in pieces of about 64 KiB (not one write call per finding
 * or file): text is encoded into a staging buffer and the files' parts, UTF-8 bytes already, are copied into it (a
 * part larger than the buffer goes out as it is). A piece is valid only during the call (the buffer is reused).
 */
function writeReport(format: Format, input: ReportInput, sink: (b: Uint8Array) => void): void {
  const staging = Buffer.allocUnsafe(65536);
  let used = 0;
  const flush = (): void => {
    if (used) sink(staging.subarray(0, used));
    used = 0;
  };
  FORMATTERS[format](input, (chunk) => {
    const bytes = typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    if (used + bytes > staging.length) flush();
    if (bytes > staging.length) sink(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    else if (typeof chunk === 'string') used += staging.write(chunk, used);
    else {
      staging.set(chunk, used);
      used += bytes;
    }
  });
  flush();
}

function writeAll(fd: number, b: Uint8Array): void {
  for (let off = 0; off < b.length; ) off += fs.writeSync(fd, b, off);
}

/**
 * `options.rules` replaces the built-in rules (tests add one that throws); `options.spillBytes`: reports kept in
 * memory before they go to a temporary file (report-store.ts; tests set 0).
 */
export function run(argv: string[], io: Io, options: { rules?: readonly Rule[]; spillBytes?: number } = {}): number {
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
  const reports = new ReportStore(options.spillBytes);
  let rulesConfig: ServelintConfig = {};
  const report = (e: string): void => {
    if (!ioErrors.includes(e)) ioErrors.push(e); // a config shared by many files is reported once
  };
  // What the format shows of a workload: nothing else is computed (cost and rollout are lazy in the engine).
  const needs = { cost: opts.format === 'json' || (opts.cost && (opts.format === 'text' || opts.format === 'markdown')), rollout: opts.format === 'json' };
  const linter = cliLinter(options.rules, needs);
  const settings: LintSettings = {
    cwd: io.cwd, config: opts.config, reportUnusedDisableDirectives: opts.reportUnusedDisableDirectives,
    fix: opts.fix, fixDryRun: opts.fixDryRun, needs, stdinFilename: opts.stdinFilename,
    render: { format: opts.format, color: opts.color ?? io.colorDefault ?? false, cost: opts.cost },
  };
  /** Lints a rendered text and files its findings under the source files (render.ts). */
  const lintRendered = (text: string, where: { renderer: 'kustomize' | 'helm' | 'stdin'; dir?: string; fallback: string; command: string }): void => {
    const cfg = configFor(where.dir ?? io.cwd, opts.config);
    for (const err of cfg.errors) report(err);
    rulesConfig = cfg.config;
    const result = linter.lint(text, { config: cfg.config, fileName: where.fallback });
    const { reports: mapped, unmapped } = mapRendered(text, result, { renderer: where.renderer, dir: where.dir, cwd: io.cwd, fallback: where.fallback });
    if (unmapped) notes.push(`${unmapped} finding${unmapped === 1 ? '' : 's'} under ${where.fallback} could not be mapped to a source file: their lines are those of \`${where.command}\``);
    if (opts.fix || opts.fixDryRun) notes.push(`${where.fallback}: rendered by \`${where.command}\`, so its fixes are not applied (fix the source files)`);
    for (const m of mapped) reports.add(prepareReport(fileReport(m.file, new LineIndex(m.text), m.result, needs), settings.render));
  };
  for (const { dir, renderer } of renders) {
    const display = path.relative(io.cwd, dir) || '.';
    const r = renderDir(display, renderer, io.env ?? process.env, io.cwd);
    if ('error' in r) report(r.error);
    else lintRendered(r.text, { renderer, dir, fallback: display, command: r.command });
  }
  const unused: string[] = [];
  /** Takes one file's outcome, in the order of `files`. */
  const take = (o: FileOutcome): void => {
    if (o.diff) io.stdout(o.diff);
    for (const e of o.errors) report(e);
    if (o.config) rulesConfig = o.config;
    if (o.report) reports.add(o.report);
    if (o.serialized) reports.addSerialized(o.serialized.bytes, o.serialized.counts);
    skipped.push(...o.warnings);
    unused.push(...o.unused);
  };
  const displayOf = (file: string): string => (file === '-' ? (opts.stdinFilename ?? '-') : path.relative(io.cwd, file) || file);
  // Worker threads only for the built-in rules (custom rules are functions of this thread) and files on disk.
  const parallel = !options.rules && !opts.fix && !opts.fixDryRun && !files.includes('-');
  if (parallel) {
    lintInParallel(files.map((f) => ({ file: f, display: displayOf(f) })), settings, linter, take, io.env ?? process.env);
  } else {
    const fl = fileLinter(linter, settings);
    for (const file of files) {
      const display = displayOf(file);
      if (file !== '-') {
        take(fl.lint(file, display));
        continue;
      }
      let decoded: DecodedText;
      try {
        const input = io.readStdin();
        decoded = typeof input === 'string' ? { text: input.replace(/^\uFEFF/, ''), encoding: 'utf8' } : decodeText(input);
      } catch (e) {
        report(`${display}: ${oneLine(e)}`);
        continue;
      }
      // `helm template ... | servelint -`: map each document to its `# Source:` template.
      if (hasSourceComments(decoded.text)) lintRendered(decoded.text, { renderer: 'stdin', fallback: display, command: 'the piped input' });
      else take(fl.lint(file, display, decoded));
    }
  }
  const { errors, warnings } = reports.totals;
  const exitCode = ((): number => {
    if (ioErrors.length) return 2;
    if (errors > 0 || unused.length) return 1;
    if (opts.maxWarnings >= 0 && warnings > opts.maxWarnings) return 1;
    return 0;
  })();
  const input = { files: reports, totals: reports.totals, rules: linter.allRules(rulesConfig), version: VERSION, cost: opts.cost, ioErrors, color: opts.color ?? io.colorDefault ?? false, cwd: io.cwd, exitCode };
  try {
    if (opts.outputFile) {
      const out = path.resolve(io.cwd, opts.outputFile);
      let fd: number;
      try {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fd = fs.openSync(out, 'w');
      } catch (e) {
        io.stderr(`servelint: cannot write ${opts.outputFile}: ${oneLine(e)}\n`);
        return 2;
      }
      try {
        writeReport(opts.format, input, (s) => writeAll(fd, s));
      } catch (e) {
        io.stderr(`servelint: cannot write ${opts.outputFile}: ${oneLine(e)}\n`);
        return 2;
      } finally {
        fs.closeSync(fd);
      }
    } else if (!opts.fixDryRun || opts.format !== 'text') {
      writeReport(opts.format, input, io.stdoutBytes?.bind(io) ?? ((b) => io.stdout(Buffer.from(b.buffer, b.byteOffset, b.length).toString('utf8'))));
    }
  } finally {
    reports.close();
  }
  // Problems go to stderr, one line each, in every format (json also lists them under "errors").
  for (const w of skipped) io.stderr(`servelint: warning: ${w}\n`);
  for (const n of notes) io.stderr(`servelint: note: ${n}\n`);
  for (const u of unused) io.stderr(`servelint: ${u}\n`);
  for (const e of ioErrors) io.stderr(`servelint: ${e.replace(/\s*\n\s*/g, ' ')}\n`);
  return exitCode;
}
