/**
 * The generic rule tester: one test per fixture under test/rules/<rule-id>/{valid,invalid}/ (format in
 * test/rules/README.md), plus a check that the folders match allRules().
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES, allRules, applyEdits, createLinter, KIND_ADAPTERS, lint, LineIndex, type Finding, type LintOptions, type LintResult, type ServelintConfig } from '../../server/src';
import { throwingRule } from '../helpers/throwing-rule';

const ROOT = path.join(__dirname, '../../../test/rules');
const BUILTIN = ['invalid-yaml', 'document-too-large', 'helm-template-skipped'];
const MAX_FIX_ROUNDS = 10;
const RULES = new Map(allRules().map((r) => [r.id, r]));

interface Expect {
  line: number;
  column: number;
  endLine?: number;
  endColumn?: number;
  fragment: string;
  spec: string;
}

interface Case {
  text: string;
  config?: ServelintConfig;
  expects: Expect[];
  /** `# severity:` every finding of the rule has this severity. */
  severity?: string;
  /** `# rules:` the rule ids of all findings of the file, in lint order (`none` for no finding). */
  rules?: string[];
  /** `# fixed-rules:` the same for the fixed text. */
  fixedRules?: string[];
  /** `# no-fix:` (a reason) no finding of the rule has a preferred fix, and there is no .fixed.yaml. */
  noFix?: string;
  /** `# test-rules: throwing` lint with the built-in rules plus a test rule that throws (internal-error cases). */
  throwing?: boolean;
  /** `# rule: <id>` (kind fixtures under test/kinds/): the rule the expect lines and the .fixed.yaml are about. */
  rule?: string;
}

const THROWING = createLinter([...ALL_RULES, throwingRule]);
/** The lint function of the case being run. */
let active: (text: string, options?: LintOptions) => LintResult = lint;
function use(c: Case): void {
  active = c.throwing ? (t, o) => THROWING.lint(t, o) : lint;
}

/** Generated case (`<case>.gen.json`): text = prefix + repeat × times + suffix; the header fields as JSON. */
interface GenCase {
  comment?: string;
  prefix?: string;
  repeat: string;
  times: number;
  suffix?: string;
  expect?: string[];
  config?: ServelintConfig;
  severity?: string;
  rules?: string[];
}

const EXPECT = /^(\d+):(\d+)(?:-(\d+):(\d+))? (.+)$/;

function parseExpect(spec: string): Expect {
  const m = EXPECT.exec(spec);
  if (!m) throw new Error(`bad expect "${spec}": want <line>:<column>[-<endLine>:<endColumn>] <message fragment>`);
  return {
    line: Number(m[1]),
    column: Number(m[2]),
    endLine: m[3] === undefined ? undefined : Number(m[3]),
    endColumn: m[4] === undefined ? undefined : Number(m[4]),
    fragment: m[5]!,
    spec,
  };
}

function ruleList(value: string): string[] {
  return value.trim() === 'none' ? [] : value.split(',').map((s) => s.trim());
}

/** Header: the comment lines at the very top of the file. Lines `# <key>: <value>` must use a known key. */
function parseYamlCase(text: string): Case {
  const c: Case = { text, expects: [] };
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith('#')) break;
    const m = /^# ?([a-z][a-z-]*):(?: (.*))?$/.exec(line);
    if (!m) continue;
    const value = m[2] ?? '';
    switch (m[1]) {
      case 'expect': c.expects.push(parseExpect(value)); break;
      case 'config': c.config = JSON.parse(value) as ServelintConfig; break;
      case 'severity': c.severity = value.trim(); break;
      case 'rules': c.rules = ruleList(value); break;
      case 'fixed-rules': c.fixedRules = ruleList(value); break;
      case 'no-fix': c.noFix = value || 'no fix'; break;
      case 'rule': c.rule = value.trim(); break;
      case 'test-rules':
        if (value.trim() !== 'throwing') throw new Error(`unknown test-rules "${value}"`);
        c.throwing = true;
        break;
      default: throw new Error(`unknown header key "${m[1]}" in "${line}"`);
    }
  }
  return c;
}

function parseGenCase(json: string): Case {
  const g = JSON.parse(json) as GenCase;
  const known = ['comment', 'prefix', 'repeat', 'times', 'suffix', 'expect', 'config', 'severity', 'rules'];
  assert.deepEqual(Object.keys(g).filter((k) => !known.includes(k)), [], 'unknown keys in the gen case');
  assert.ok(typeof g.repeat === 'string' && Number.isInteger(g.times) && g.times > 0, 'gen case needs "repeat" and "times"');
  return {
    text: (g.prefix ?? '') + g.repeat.repeat(g.times) + (g.suffix ?? ''),
    config: g.config,
    expects: (g.expect ?? []).map(parseExpect),
    severity: g.severity,
    rules: g.rules,
  };
}

/** 1-based line and column of a finding's range start and end. */
function positions(text: string, f: Finding): [number, number, number, number] {
  const idx = new LineIndex(text);
  const s = idx.position(f.range.start);
  const e = idx.position(f.range.end);
  return [s.line + 1, s.character + 1, e.line + 1, e.character + 1];
}

function describe(text: string, f: Finding): string {
  const [line, column, endLine, endColumn] = positions(text, f);
  return `${line}:${column}-${endLine}:${endColumn} ${f.message}`;
}

function matches(text: string, f: Finding, x: Expect): boolean {
  const [line, column, endLine, endColumn] = positions(text, f);
  const endOk = x.endLine === undefined || (endLine === x.endLine && endColumn === x.endColumn);
  return line === x.line && column === x.column && endOk && f.message.includes(x.fragment);
}

/** Apply the rule's preferred fixes, one per round, until none is left. */
function fixAll(text: string, rule: string, config?: ServelintConfig): string {
  let current = text;
  for (let round = 0; round < MAX_FIX_ROUNDS; round++) {
    const fix = active(current, { config }).findings.filter((f) => f.rule === rule).map((f) => f.fixes?.find((x) => x.isPreferred)).find((x) => x);
    if (!fix) break;
    current = applyEdits(current, fix.edits);
  }
  return current;
}

function assertRules(text: string, config: ServelintConfig | undefined, want: string[] | undefined, what: string): void {
  if (want) assert.deepEqual(active(text, { config }).findings.map((f) => f.rule), want, `${what}: rules of all findings`);
}

function runValid(rule: string, c: Case): void {
  use(c);
  const all = active(c.text, { config: c.config }).findings;
  assert.deepEqual(all.filter((f) => f.rule === rule).map((f) => describe(c.text, f)), [], `no ${rule} finding expected`);
  if (!BUILTIN.includes(rule)) {
    // A valid case must really be analysed: not skipped as invalid YAML, too large or a Helm template.
    assert.deepEqual(all.filter((f) => BUILTIN.includes(f.rule)).map((f) => `${f.rule} ${describe(c.text, f)}`), [], 'the case was not analysed');
  }
  assertRules(c.text, c.config, c.rules, 'valid case');
}

function runInvalid(rule: string, c: Case, fixedFile: string): void {
  use(c);
  assert.ok(c.expects.length > 0, 'an invalid case needs at least one "# expect:" line');
  const meta = RULES.get(rule)!;
  const got = active(c.text, { config: c.config }).findings.filter((f) => f.rule === rule);
  const unmatched = [...got];
  const missing: string[] = [];
  for (const x of c.expects) {
    const i = unmatched.findIndex((f) => matches(c.text, f, x));
    if (i === -1) missing.push(x.spec);
    else unmatched.splice(i, 1);
  }
  assert.deepEqual(
    { missing, unexpected: unmatched.map((f) => describe(c.text, f)) },
    { missing: [], unexpected: [] },
    `findings of ${rule}:\n${got.map((f) => `  ${describe(c.text, f)}`).join('\n')}`,
  );
  // The configured severity, else the case's `# severity:` (a rule may report a milder case), else the default.
  const severity = c.config?.rules?.[rule] ?? c.severity ?? meta.defaultSeverity;
  for (const f of got) assert.equal(f.severity, severity, describe(c.text, f));
  assertRules(c.text, c.config, c.rules, 'invalid case');
  const hasFixed = fs.existsSync(fixedFile);
  if (c.noFix !== undefined) {
    assert.ok(!hasFixed, `"# no-fix:" case with a ${path.basename(fixedFile)}`);
    assert.deepEqual(got.filter((f) => f.fixes?.some((x) => x.isPreferred)).map((f) => describe(c.text, f)), [], 'no preferred fix expected');
    return;
  }
  if (!meta.hasFix) {
    assert.ok(!hasFixed, `${rule} has no fix but ${path.basename(fixedFile)} exists`);
    return;
  }
  assert.ok(hasFixed, `${rule} is fixable: ${path.basename(fixedFile)} (or a "# no-fix:" header) is required`);
  const fixed = fixAll(c.text, rule, c.config);
  assert.equal(fixed, fs.readFileSync(fixedFile, 'utf8'), `text after ${rule}'s preferred fixes`);
  const after = active(fixed, { config: c.config }).findings;
  assert.deepEqual(after.filter((f) => f.rule === rule || f.rule === 'invalid-yaml').map((f) => `${f.rule} ${describe(fixed, f)}`), [], 'after the fixes');
  assertRules(fixed, c.config, c.fixedRules, 'fixed text');
}

/** The cases of one folder: `<case>.yaml` or `<case>.gen.json`, besides `<case>.fixed.yaml`. */
function casesOf(dir: string): { name: string; file: string }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.fixed.yaml'))
    .sort()
    .map((f) => ({ name: f.replace(/\.gen\.json$|\.yaml$/, ''), file: path.join(dir, f) }));
}

const folders = fs.existsSync(ROOT) ? fs.readdirSync(ROOT).filter((f) => fs.statSync(path.join(ROOT, f)).isDirectory()).sort() : [];

test('rule fixtures: one folder per rule of allRules(), each with valid and invalid cases and nothing else', () => {
  const problems: string[] = [];
  for (const id of RULES.keys()) if (!folders.includes(id)) problems.push(`${id}: no folder test/rules/${id}`);
  for (const folder of folders) {
    if (!RULES.has(folder)) problems.push(`${folder}: not a rule id of allRules()`);
    const entries = fs.readdirSync(path.join(ROOT, folder)).filter((e) => e !== 'valid' && e !== 'invalid');
    if (entries.length) problems.push(`${folder}: unexpected ${entries.join(', ')} (only valid/ and invalid/)`);
    for (const kind of ['valid', 'invalid']) {
      const dir = path.join(ROOT, folder, kind);
      const cases = casesOf(dir);
      if (!cases.length) problems.push(`${folder}: no ${kind} case`);
      for (const { file } of cases) if (!/\.(yaml|gen\.json)$/.test(file)) problems.push(`${folder}/${kind}: ${path.basename(file)} is not a case`);
      if (!fs.existsSync(dir)) continue;
      for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.fixed.yaml'))) {
        const name = f.replace(/\.fixed\.yaml$/, '');
        if (kind === 'valid') problems.push(`${folder}/valid/${f}: a valid case has nothing to fix`);
        else if (!cases.some((c) => c.name === name)) problems.push(`${folder}/invalid/${f}: no case ${name}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

for (const rule of folders.filter((f) => RULES.has(f))) {
  for (const kind of ['valid', 'invalid'] as const) {
    const dir = path.join(ROOT, rule, kind);
    for (const { name, file } of casesOf(dir)) {
      test(`${rule} ${kind}/${name}`, () => {
        const raw = fs.readFileSync(file, 'utf8');
        const c = file.endsWith('.gen.json') ? parseGenCase(raw) : parseYamlCase(raw);
        if (kind === 'valid') {
          assert.deepEqual(c.expects, [], 'a valid case has no "expect"');
          runValid(rule, c);
        } else {
          runInvalid(rule, c, path.join(dir, `${name}.fixed.yaml`));
        }
      });
    }
  }
}

/**
 * Kind fixtures: test/kinds/<kind>/{valid,invalid}/ (the kind in lower case), written from each operator's documented
 * examples. Same header as rule fixtures, plus `# rule: <id>`: the rule the expect lines and the .fixed.yaml are
 * about (valid cases: `# rules:` lists every finding, usually `none`).
 */
const KIND_ROOT = path.join(__dirname, '../../../test/kinds');
const kindFolders = fs.existsSync(KIND_ROOT) ? fs.readdirSync(KIND_ROOT).filter((f) => fs.statSync(path.join(KIND_ROOT, f)).isDirectory()).sort() : [];

test('kind fixtures: one folder per supported kind, each with valid and invalid cases', () => {
  const kinds = new Set(KIND_ADAPTERS.map((a) => a.kind.toLowerCase()));
  const problems: string[] = [];
  for (const k of kinds) if (!kindFolders.includes(k)) problems.push(`${k}: no folder test/kinds/${k}`);
  for (const folder of kindFolders) {
    if (!kinds.has(folder)) problems.push(`${folder}: not a supported kind`);
    for (const kind of ['valid', 'invalid']) if (!casesOf(path.join(KIND_ROOT, folder, kind)).length) problems.push(`${folder}: no ${kind} case`);
  }
  assert.deepEqual(problems, []);
});

for (const folder of kindFolders) {
  for (const kind of ['valid', 'invalid'] as const) {
    const dir = path.join(KIND_ROOT, folder, kind);
    for (const { name, file } of casesOf(dir)) {
      test(`kind ${folder} ${kind}/${name}`, () => {
        const c = parseYamlCase(fs.readFileSync(file, 'utf8'));
        if (kind === 'valid') {
          assert.ok(c.rules, 'a valid kind case lists its findings with "# rules:" (none for a clean manifest)');
          use(c);
          assertRules(c.text, c.config, c.rules, 'valid case');
          return;
        }
        assert.ok(c.rule && RULES.has(c.rule), 'an invalid kind case names its rule with "# rule: <id>"');
        runInvalid(c.rule, c, path.join(dir, `${name}.fixed.yaml`));
      });
    }
  }
}
