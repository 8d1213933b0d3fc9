/**
 * Lints one file for the CLI and returns what the report needs as plain data (format/types.ts FileReport), so the
 * file's text and YAML trees are dropped before the next file is read. The same function runs on the main thread
 * and in the worker threads (pool.ts); its outcome is structured-cloneable.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, applyAllFixes, directiveCovers, disableDirectives, LineIndex, Linter, type LintResult, type Rule, type ServelintConfig } from '..';
import { fileReport, type FileCounts, type FileReport, type ReportNeeds } from './format/types';
import { prepareReport, type RenderOptions } from './format/prepare';
import { unifiedDiff } from './diff';
import { configFor } from './config';
import { decodeText, encodeText, oneLine, readBytes, type DecodedText } from '../io/text';

/** What every file's lint shares (the same on every thread, except `stdout` and `readStdin`, main thread only). */
export interface LintSettings {
  cwd: string;
  /** --config */
  config?: string;
  reportUnusedDisableDirectives: boolean;
  fix: boolean;
  fixDryRun: boolean;
  needs: ReportNeeds;
  /** What the format renders of each file where it is linted (format/prepare.ts). */
  render: RenderOptions;
  stdinFilename?: string;
}

/** The result of one file, in the order its pieces go to the output. */
export interface FileOutcome {
  report?: FileReport;
  /** The report serialised by a worker thread (report-store.ts serializeReport) instead of `report`. */
  serialized?: { bytes: Uint8Array; counts: FileCounts };
  /** I/O and config problems (exit code 2), in order. */
  errors: string[];
  /** Warning lines (unknown rule ids in `# servelint-disable` comments). */
  warnings: string[];
  /** --report-unused-disable-directives lines. */
  unused: string[];
  /** The config the file was linted with (the last one names the rules of SARIF output, as before). */
  config?: ServelintConfig;
  /** A diff to print (--fix-dry-run, or fixes of a file that cannot be rewritten). */
  diff?: string;
}

export interface FileLinter {
  lint(file: string, display: string, decoded?: DecodedText): FileOutcome;
}

/**
 * A Linter for linting each file once: no document parse is kept for a later lint (bounded memory). When the report
 * shows every workload's cost (`needs.cost`), the rules' cost facts come from that computation.
 */
export const cliLinter = (rules: readonly Rule[] = ALL_RULES, needs?: ReportNeeds): Linter => new Linter({ rules, cacheMaxChars: 0, costs: needs?.cost ?? false });

/** A linter of files for one CLI run (configs looked up once per folder). */
export function fileLinter(linter: Linter, settings: LintSettings): FileLinter {
  const ruleIds = new Set(linter.allRules().map((r) => r.id));
  const configs = new Map<string, ReturnType<typeof configFor>>();
  const configAt = (dir: string): ReturnType<typeof configFor> => {
    let c = configs.get(dir);
    if (!c) configs.set(dir, (c = configFor(dir, settings.config)));
    return c;
  };
  const stdinFile = settings.stdinFilename ? path.resolve(settings.cwd, settings.stdinFilename) : undefined;
  // `# servelint-disable` comments: unknown rule ids (a warning line) and, when asked, those that suppress nothing.
  const checkDirectives = (out: FileOutcome, display: string, text: string, result: LintResult, index: LineIndex): void => {
    for (const d of disableDirectives(text)) {
      const at = index.position(d.range.start);
      const where = `${display}:${at.line + 1}:${at.character + 1}`;
      for (const id of d.ids) if (!ruleIds.has(id)) out.warnings.push(`${where}: unknown rule "${id}" in a servelint-disable comment (servelint --list-rules lists them)`);
      if (settings.reportUnusedDisableDirectives && !(result.suppressed ?? []).some((f) => directiveCovers(d, f)))
        out.unused.push(`${where}: unused servelint-disable directive (no ${d.ids.length ? d.ids.join(', ') : ''} problem reported there)`.replace('no  problem', 'no problem'));
    }
  };
  return {
    /** `decoded`: the text of stdin (`file` is '-'), already read. */
    lint(file, display, decoded) {
      const out: FileOutcome = { errors: [], warnings: [], unused: [] };
      let regular = false;
      if (!decoded) {
        try {
          decoded = decodeText(readBytes(file));
          // Only fixes ask (a file that is not a regular one gets its fixes as a diff): one stat less per file.
          regular = (settings.fix || settings.fixDryRun) && fs.statSync(file).isFile();
        } catch (e) {
          out.errors.push(`${display}: ${oneLine(e)}`);
          return out;
        }
      }
      let text = decoded.text;
      const cfg = configAt(file === '-' ? (stdinFile ? path.dirname(stdinFile) : settings.cwd) : path.dirname(file));
      out.errors.push(...cfg.errors);
      out.config = cfg.config;
      let result = linter.lint(text, { config: cfg.config, fileName: display });
      if (settings.fix || settings.fixDryRun) {
        const fixed = applyAllFixes(text, (t, o) => linter.lint(t, o), { config: cfg.config });
        if (fixed.text !== text) {
          // stdin, FIFOs and devices cannot be rewritten in place: their fixes are printed as a diff.
          if (settings.fixDryRun || !regular) out.diff = unifiedDiff(display, text, fixed.text);
          else {
            try {
              fs.writeFileSync(file, encodeText(fixed.text, decoded.encoding));
              text = fixed.text;
              result = linter.lint(text, { config: cfg.config, fileName: display });
            } catch (e) {
              out.errors.push(`${display}: cannot write the fixes: ${oneLine(e)}`);
            }
          }
        }
      }
      const index = new LineIndex(text);
      out.report = prepareReport(fileReport(display, index, result, settings.needs), settings.render);
      checkDirectives(out, display, text, result, index);
      return out;
    },
  };
}
