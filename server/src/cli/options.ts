/** Command-line options of `servelint`. */
export const FORMATS = ['text', 'json', 'sarif', 'github', 'junit', 'markdown'] as const;
export type Format = (typeof FORMATS)[number];

export interface CliOptions {
  format: Format;
  maxWarnings: number;
  config?: string;
  /** Write the report to this file instead of standard output. */
  outputFile?: string;
  fix: boolean;
  fixDryRun: boolean;
  cost: boolean;
  /** undefined: colour when stdout is a terminal and NO_COLOR is unset (Io.colorDefault). */
  color?: boolean;
  paths: string[];
  /** `--exclude` globs. */
  exclude: string[];
  /** The name piped input (`-`) is reported under (and its config looked up from). */
  stdinFilename?: string;
  help: boolean;
  version: boolean;
  listRules: boolean;
  /** Print the configuration that applies to this file or folder. */
  printConfig?: string;
  reportUnusedDisableDirectives: boolean;
}

export class UsageError extends Error {}

export const HELP = `Usage: servelint [options] [paths...]

Lints Kubernetes manifests for LLM serving (vLLM, TGI, SGLang, Triton, NIM, llama.cpp) and estimates $/1M tokens.
Paths are files or directories (searched recursively for *.yaml and *.yml); "-" reads standard input.
A folder with kustomization.yaml is built with kubectl kustomize (or kustomize build), a folder with Chart.yaml
with helm template, and findings are mapped back to the source files (Helm: its "# Source:" comments, also piped).

Options:
  -f, --format <format>                  text (default), json, sarif, github (workflow annotations), junit (JUnit XML)
                                         or markdown (a report for pull-request comments)
  -o, --output-file <path>               write the report to this file (folders created) instead of standard output
      --max-warnings <n>                 exit 1 when there are more than n warnings (default: unlimited)
  -c, --config <path>                    use this .servelint.yaml instead of looking it up from each file's folder
      --exclude <glob>                   skip matching files and folders (repeatable; .gitignore is honoured too)
      --stdin-filename <path>            the name piped input ("-") is reported under
      --fix                              apply the preferred fix of every finding in place
      --fix-dry-run                      print the fixes as a unified diff, change nothing
      --no-cost                          leave out the cost table (text and markdown output)
      --color, --no-color                colour severities (default: when stdout is a terminal and NO_COLOR is unset)
      --report-unused-disable-directives exit 1 when a # servelint-disable comment suppresses nothing (listed on stderr)
      --list-rules                       list the rules (id, default severity, fixable, description)
      --print-config <path>              print the configuration that applies to this file or folder (JSON)
  -h, --help                             show this help
  -v, --version                          show the version

servelint cost --diff <git-ref> [paths] | --diff <old> <new>   cost before and after (servelint cost --help)

Exit codes: 0 no errors, 1 errors (or too many warnings, or unused disable directives when reported), 2 usage, I/O
or config problems. Unknown rule ids in # servelint-disable comments get a warning line on stderr.`;

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = {
    format: 'text',
    maxWarnings: -1,
    fix: false,
    fixDryRun: false,
    cost: true,
    paths: [],
    exclude: [],
    help: false,
    version: false,
    listRules: false,
    reportUnusedDisableDirectives: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '-f':
      case '--format': {
        const v = value();
        if (!(FORMATS as readonly string[]).includes(v)) throw new UsageError(`unknown format "${v}" (${FORMATS.join(', ')})`);
        o.format = v as Format;
        break;
      }
      case '-o':
      case '--output-file':
        o.outputFile = value();
        break;
      case '--max-warnings': {
        const v = value();
        if (!/^\d+$/.test(v)) throw new UsageError(`--max-warnings needs a whole number, got "${v}"`);
        o.maxWarnings = Number(v);
        break;
      }
      case '--exclude':
        o.exclude.push(value());
        break;
      case '--stdin-filename':
        o.stdinFilename = value();
        break;
      case '-c':
      case '--config':
        o.config = value();
        break;
      case '--fix':
        o.fix = true;
        break;
      case '--fix-dry-run':
        o.fixDryRun = true;
        break;
      case '--no-cost':
        o.cost = false;
        break;
      case '--color':
        o.color = true;
        break;
      case '--no-color':
        o.color = false;
        break;
      case '--list-rules':
        o.listRules = true;
        break;
      case '--print-config':
        o.printConfig = value();
        break;
      case '--report-unused-disable-directives':
        o.reportUnusedDisableDirectives = true;
        break;
      case '-h':
      case '--help':
        o.help = true;
        break;
      case '-v':
      case '--version':
        o.version = true;
        break;
      default:
        if (a !== '-' && a.startsWith('-')) throw new UsageError(`unknown option ${a}`);
        o.paths.push(a);
    }
  }
  if (o.fix && o.fixDryRun) throw new UsageError('use either --fix or --fix-dry-run');
  return o;
}
