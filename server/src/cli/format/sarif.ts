import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { pathToFileURL } from 'url';
import type { Finding, RuleMeta } from '../../engine';
import { writeJsonArray, type FileReport, type ReportInput, type Write } from './types';
import { RULE_DOCS } from './rule-docs';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;
const SRCROOT = '%SRCROOT%';

/** Rule groups, shown as code-scanning tags (with `kubernetes`, `llm-serving` and `autofix` for rules with a fix). */
const GROUP: Record<string, string> = {
  'grace-period-truncates-generations': 'shutdown',
  'missing-prestop-drain': 'shutdown',
  'prestop-exceeds-grace-period': 'shutdown',
  'rollout-drops-capacity': 'rollout',
  'recreate-causes-downtime': 'rollout',
  'canary-without-analysis': 'rollout',
  'bluegreen-promotes-without-analysis': 'rollout',
  'progress-deadline-exceeded': 'rollout',
  'missing-readiness-probe': 'probes',
  'liveness-kills-loading-pod': 'probes',
  'model-exceeds-gpu-memory': 'capacity',
};

/** The repository root: the nearest folder at or above `cwd` that holds `.git` (a directory, or a worktree's file); else cwd. */
export function repositoryRoot(cwd: string): string {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, '.git'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(cwd);
  }
}

interface Artifact {
  uri: string;
  uriBaseId?: string;
}

/** Files inside the root are `%SRCROOT%`-relative (what code scanning matches against the checkout); others absolute. */
function artifact(file: string, cwd: string, root: string): Artifact {
  if (file === '-') return { uri: 'stdin' };
  const abs = path.resolve(cwd, file);
  const rel = path.relative(root, abs);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  return { uri: pathToFileURL(abs).href };
}

/**
 * Identity of a finding that survives edits elsewhere in the file: rule, file, object and the message with its
 * numbers blanked (so a changed estimate or a moved line is the same alert). Never the line.
 */
function fingerprintKey(x: Finding, uri: string): string {
  const o = x.object;
  const object = o ? `${o.kind}/${o.namespace ?? ''}/${o.name ?? ''}` : '';
  return [x.rule, uri, object, x.message.replace(/\d+(?:[.,]\d+)*/g, '0')].join('\0');
}

/** The sections of a rule's docs page: `## Title` -> body. */
function sections(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of markdown.split(/^## /m).slice(1)) {
    const nl = part.indexOf('\n');
    out.set(part.slice(0, nl).trim(), part.slice(nl + 1).trim());
  }
  return out;
}

/** Markdown to readable plain text (SARIF `text` fields): links as "text (url)", no emphasis markers. */
function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, '$1 ($2)')
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/^#+ /gm, '');
}

function ruleDescriptor(r: RuleMeta) {
  const docs = RULE_DOCS[r.id];
  // Relative links in the docs (../assumptions.md, other rules) are made absolute against the rule's docs URL.
  const markdown = docs?.replace(/\]\((?!https?:|#)([^)]+)\)/g, (_m, link: string) => `](${new URL(link, r.docsUrl).href})`);
  const catches = markdown ? sections(markdown).get('What it catches') : undefined;
  const full = catches ? plain(catches).replace(/\s+/g, ' ') : `${r.description} Default severity: ${r.defaultSeverity}.`;
  return {
    id: r.id,
    name: r.id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
    shortDescription: { text: r.description },
    fullDescription: { text: full },
    helpUri: r.docsUrl,
    help: markdown ? { text: plain(markdown), markdown } : { text: `${r.description} See ${r.docsUrl}` },
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    properties: { tags: ['kubernetes', 'llm-serving', GROUP[r.id] ?? 'input', ...(r.hasFix ? ['autofix'] : [])], precision: 'high' },
  };
}

function results(f: FileReport, input: ReportInput, cwd: string, root: string, seen: Map<string, number>) {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const location = artifact(f.file, cwd, root);
  const all = [...f.findings.map((x) => ({ x, suppressed: false })), ...(f.suppressed ?? []).map((x) => ({ x, suppressed: true }))];
  all.sort((a, b) => a.x.range.start - b.x.range.start || a.x.rule.localeCompare(b.x.rule));
  return all.map(({ x, suppressed }) => {
    const l = x.loc;
    const key = fingerprintKey(x, location.uri);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return {
      ruleId: x.rule,
      ruleIndex: ruleIndex.get(x.rule) ?? -1,
      level: LEVEL[x.severity],
      message: { text: x.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: location,
            region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn },
          },
          ...(x.object
            ? { logicalLocations: [{ name: x.object.name ?? '', kind: 'object', fullyQualifiedName: `${x.object.kind}/${x.object.namespace ? x.object.namespace + '/' : ''}${x.object.name ?? ''}` }] }
            : {}),
        },
      ],
      partialFingerprints: { 'servelintFindingHash/v1': `${createHash('sha256').update(key).digest('hex').slice(0, 32)}:${n}` },
      ...(suppressed ? { suppressions: [{ kind: 'inSource' }] } : {}),
    };
  });
}

/**
 * SARIF 2.1.0 for GitHub code scanning: rule metadata and help from docs/rules, `%SRCROOT%`-relative locations,
 * line-independent fingerprints, findings suppressed by `# servelint-disable` as suppressed results, and the
 * invocation's exit code.
 */
export function formatSarif(input: ReportInput, write: Write): void {
  const cwd = input.cwd ?? process.cwd();
  const root = repositoryRoot(cwd);
  const seen = new Map<string, number>();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'servelint',
            version: input.version,
            semanticVersion: input.version,
            informationUri: 'https://github.com/servelint/servelint',
            rules: input.rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(root).href.replace(/\/?$/, '/'), description: { text: 'The repository root' } } },
        invocations: [
          {
            executionSuccessful: input.ioErrors.length === 0,
            ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}),
            toolExecutionNotifications: input.ioErrors.map((e) => ({ level: 'error', message: { text: e } })),
          },
        ],
        results: [],
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  // JSON.stringify(sarif, null, 2) with the results written file by file where the empty array is.
  const text = JSON.stringify(sarif, null, 2) + '\n';
  const at = text.indexOf(RESULTS);
  write(text.slice(0, at + RESULTS.length - 2));
  function* all(): Generator<unknown> {
    for (const f of input.files) yield* results(f, input, cwd, root, seen);
  }
  writeJsonArray(write, all(), 3);
  write(text.slice(at + RESULTS.length));
}

/** Where the results go in the laid-out SARIF text (a key, so never inside a string value, where quotes are escaped). */
const RESULTS = '"results": []';
