/** The CLI as a function (argv, I/O in; exit code out) so tests can drive it without spawning. */
import * as fs from 'fs';
import * as path from 'path';
import { applyAllFixes, createLinter, LineIndex, type Rule, type ServelintConfig } from '..';
import { collectFiles } from './files';
import { HELP, parseArgs, UsageError } from './options';
import type { FileReport } from './format/types';
import { FORMATTERS } from './format';
import { unifiedDiff } from './diff';
import { configFor } from './config';
import { VERSION } from '../version';

export interface Io {
  stdout(s: string): void;
  stderr(s: string): void;
  readStdin(): string;
  cwd: string;
  /** Colour text output unless told otherwise (main.ts: stdout is a TTY and NO_COLOR is unset). */
  colorDefault?: boolean;
}

export { VERSION };

/** `options.rules` replaces the built-in rules (tests add one that throws). */
export function run(argv: string[], io: Io, options: { rules?: readonly Rule[] } = {}): number {
  let opts;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`servelint: ${e.message}\n${HELP}\n`);
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
  if (opts.paths.length === 0) {
    io.stderr(`servelint: no paths given\n${HELP}\n`);
    return 2;
  }
  const { files, errors: ioErrors } = collectFiles(opts.paths.map((p) => (p === '-' ? p : path.resolve(io.cwd, p))));
  const linter = createLinter(options.rules);
  const reports: FileReport[] = [];
  let configErrors = false;
  let rulesConfig: ServelintConfig = {};
  for (const file of files) {
    let text: string;
    try {
      text = file === '-' ? io.readStdin() : fs.readFileSync(file, 'utf8');
    } catch (e) {
      ioErrors.push(`${file}: ${(e as Error).message}`);
      continue;
    }
    const cfg = configFor(file === '-' ? io.cwd : path.dirname(file), opts.config);
    for (const err of cfg.errors) {
      ioErrors.push(err);
      configErrors = true;
    }
    rulesConfig = cfg.config;
    const display = file === '-' ? '-' : path.relative(io.cwd, file) || file;
    let result = linter.lint(text, { config: cfg.config, fileName: display });
    if (opts.fix || opts.fixDryRun) {
      const fixed = applyAllFixes(text, (t, o) => linter.lint(t, o), { config: cfg.config });
      if (fixed.text !== text) {
        if (opts.fixDryRun || file === '-') io.stdout(unifiedDiff(display, text, fixed.text));
        else fs.writeFileSync(file, fixed.text);
        if (opts.fix && file !== '-') {
          text = fixed.text;
          result = linter.lint(text, { config: cfg.config, fileName: display });
        }
      }
    }
    reports.push({ file: display, text, result, index: new LineIndex(text) });
  }
  const findings = reports.flatMap((r) => r.result.findings);
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.filter((f) => f.severity === 'warning').length;
  const exitCode = ((): number => {
    if (ioErrors.length || configErrors) return 2;
    if (errors > 0) return 1;
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
      io.stderr(`servelint: cannot write ${opts.outputFile}: ${(e as Error).message}\n`);
      return 2;
    }
  } else if (!opts.fixDryRun || opts.format !== 'text') io.stdout(formatted);
  if (opts.format !== 'text' || opts.outputFile) for (const e of ioErrors) io.stderr(`servelint: ${e}\n`);
  return exitCode;
}
