/**
 * `servelint cost --diff <git-ref> [paths]` (the files at that ref, via `git show <ref>:<path>`, against the working
 * tree) and `servelint cost --diff <old-path> <new-path>`: per workload (matched by kind/namespace/name) and in
 * total, $/hr, $/month and $/1M tokens before and after, GPUs added or removed and the rollout surge cost.
 */
import * as fs from 'fs';
import * as path from 'path';
import { spawnSync } from 'child_process';
import type { Linter, WorkloadReport } from '..';
import { collectFiles } from './files';
import { configFor } from './config';
import { money } from './format/report';
import { table as textTable } from './format/text';
import { table as mdTable } from './format/markdown';
import { oneLine } from '../io/text';
import type { Io } from './run';

export const COST_HELP = `Usage: servelint cost --diff <git-ref> [paths...]
       servelint cost --diff <old-path> <new-path>

Compares the cost of the manifests at a git ref (default paths: .) with the working tree, or of two files or
folders: per workload (matched by kind, namespace and name) and in total, $/hr, $/month, $/1M tokens, GPUs and the
rollout surge cost.

Options:
  -f, --format text|json|markdown   (default text)
  -o, --output-file <path>          write the report to this file instead of standard output
  -c, --config <path>               use this .servelint.yaml`;

/** The cost figures of one side of a workload. */
export interface Side {
  file: string;
  gpu: string | null;
  gpus: number;
  replicas: number | null;
  usdPerHour: number | null;
  usdPerMonth: number | null;
  usdPerMillionTokens: number | null;
  /** Tokens served per hour by the whole workload (what its $/1M tokens divides by), for the total. */
  tokensPerHour: number | null;
  surgeUsd: number | null;
}

export interface DiffRow {
  kind: string;
  namespace: string | null;
  name: string;
  status: 'added' | 'removed' | 'changed' | 'unchanged';
  before: Side | null;
  after: Side | null;
}

export interface Totals {
  usdPerHour: number;
  usdPerMonth: number;
  usdPerMillionTokens: number | null;
  gpus: number;
  surgeUsd: number;
}

function side(file: string, w: WorkloadReport): Side {
  const c = w.cost;
  const rollout = c?.rollout as { surgeUsd?: number } | undefined;
  const replicas = c?.replicas ?? w.replicas;
  const perReplica = c?.gpusPerReplica ?? w.gpusPerPod ?? 0;
  return {
    file,
    gpu: c?.gpu.id ?? null,
    gpus: perReplica * (replicas ?? 1),
    replicas,
    usdPerHour: c?.usdPerHour ?? null,
    usdPerMonth: c?.usdPerMonth ?? null,
    usdPerMillionTokens: c?.usdPerMillionTokens ?? null,
    tokensPerHour: c?.usdPerHour && c.usdPerMillionTokens ? (c.usdPerHour / c.usdPerMillionTokens) * 1e6 : null,
    surgeUsd: rollout?.surgeUsd ?? null,
  };
}

const key = (w: WorkloadReport): string => `${w.object.kind}/${w.object.namespace ?? ''}/${w.object.name ?? ''}`;

/** Lints texts (file name → text) and returns their workloads' cost figures by kind/namespace/name. */
function figures(texts: Map<string, string>, linter: Linter, cwd: string, config?: string): { sides: Map<string, { w: WorkloadReport; s: Side }>; errors: string[] } {
  const sides = new Map<string, { w: WorkloadReport; s: Side }>();
  const errors: string[] = [];
  for (const [file, text] of texts) {
    const cfg = configFor(path.dirname(path.resolve(cwd, file)), config);
    for (const e of cfg.errors) if (!errors.includes(e)) errors.push(e);
    for (const w of linter.lint(text, { config: cfg.config, fileName: file }).workloads) sides.set(key(w), { w, s: side(file, w) });
  }
  return { sides, errors };
}

export function diffRows(before: Map<string, { w: WorkloadReport; s: Side }>, after: Map<string, { w: WorkloadReport; s: Side }>): DiffRow[] {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys.map((k) => {
    const b = before.get(k);
    const a = after.get(k);
    const o = (a ?? b)!.w.object;
    const same = b && a && JSON.stringify(Object.assign({}, b.s, { file: '' })) === JSON.stringify(Object.assign({}, a.s, { file: '' }));
    return { kind: o.kind, namespace: o.namespace ?? null, name: o.name ?? '?', status: !b ? 'added' : !a ? 'removed' : same ? 'unchanged' : 'changed', before: b?.s ?? null, after: a?.s ?? null };
  });
}

export function totals(sides: (Side | null)[]): Totals {
  const s = sides.filter((x): x is Side => x !== null);
  const sum = (f: (x: Side) => number | null): number => s.reduce((n, x) => n + (f(x) ?? 0), 0);
  // Fleet $/1M tokens: summed $/hr over summed served tokens, when every workload has both.
  const all = s.length > 0 && s.every((x) => x.usdPerHour !== null && x.tokensPerHour);
  const tokensPerHour = sum((x) => x.tokensPerHour);
  return {
    usdPerHour: sum((x) => x.usdPerHour),
    usdPerMonth: sum((x) => x.usdPerMonth),
    usdPerMillionTokens: all && tokensPerHour > 0 ? (sum((x) => x.usdPerHour) / tokensPerHour) * 1e6 : null,
    gpus: sum((x) => x.gpus),
    surgeUsd: sum((x) => x.surgeUsd),
  };
}

/** Texts of the YAML files under paths in the working tree (relative names). */
function workingTree(paths: string[], cwd: string): { texts: Map<string, string>; errors: string[] } {
  const c = collectFiles(paths.map((p) => path.resolve(cwd, p)), { cwd });
  const texts = new Map<string, string>();
  const errors = [...c.errors];
  for (const r of c.renders) errors.push(`${path.relative(cwd, r.dir) || '.'}: cost --diff does not render ${r.renderer === 'helm' ? 'Helm charts' : 'kustomizations'}: compare rendered files instead`);
  for (const f of c.files) {
    try {
      texts.set(path.relative(cwd, f) || f, fs.readFileSync(f, 'utf8'));
    } catch (e) {
      errors.push(`${f}: ${oneLine(e)}`);
    }
  }
  return { texts, errors };
}

function git(args: string[], cwd: string): { out: string } | { error: string } {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) return { error: `git ${args[0]}: ${r.error.message} (is git installed?)` };
  if (r.status !== 0) return { error: `git ${args.join(' ')} failed: ${(r.stderr || '').trim().split('\n')[0]}` };
  return { out: r.stdout };
}

/** Texts of the YAML files under paths at a git ref, named like the working tree's (relative to cwd). */
function atRef(ref: string, paths: string[], cwd: string): { texts: Map<string, string>; errors: string[] } {
  const texts = new Map<string, string>();
  const ls = git(['ls-tree', '-r', '--name-only', '--full-name', ref, '--', ...paths], cwd);
  if ('error' in ls) return { texts, errors: [ls.error] };
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if ('error' in top) return { texts, errors: [top.error] };
  for (const full of ls.out.split('\n').filter((l) => /\.ya?ml$/i.test(l) && !/(^|\/)\.servelint\.ya?ml$/.test(l))) {
    if (full.split('/').some((seg) => seg === 'node_modules' || seg === '.git')) continue;
    const shown = git(['show', `${ref}:${full}`], cwd);
    if ('error' in shown) return { texts, errors: [shown.error] };
    texts.set(path.relative(cwd, path.join(top.out.trim(), full)), shown.out);
  }
  return { texts, errors: [] };
}

const num = (n: number): string => (Number.isInteger(n) ? String(n) : n.toFixed(1));
const change = (b: string | null, a: string | null): string => (b === a ? (a ?? '—') : `${b ?? '—'} → ${a ?? '—'}`);
const delta = (b: number | null | undefined, a: number | null | undefined, digits = 2): string => {
  if (b === a || (b == null && a == null)) return '';
  const d = (a ?? 0) - (b ?? 0);
  return ` (${d >= 0 ? '+' : '−'}${money(Math.abs(d), digits)})`;
};

/** Table rows (header first) with "before → after" cells; `bold` marks the total row for markdown. */
function rows(diff: DiffRow[], before: Totals, after: Totals, name: (r: DiffRow) => string): string[][] {
  const gpuCell = (s: Side | null): string | null => (s ? `${num(s.gpus)} × ${s.gpu ?? '?'}` : null);
  const out = [['workload', 'change', 'GPUs', '$/hr', '$/month', '$/1M tokens', 'rollout surge']];
  for (const r of diff) {
    const b = r.before;
    const a = r.after;
    out.push([
      name(r),
      r.status,
      change(gpuCell(b), gpuCell(a)),
      change(b ? money(b.usdPerHour) : null, a ? money(a.usdPerHour) : null) + delta(b?.usdPerHour, a?.usdPerHour),
      change(b ? money(b.usdPerMonth, 0) : null, a ? money(a.usdPerMonth, 0) : null) + delta(b?.usdPerMonth, a?.usdPerMonth, 0),
      change(b ? money(b.usdPerMillionTokens) : null, a ? money(a.usdPerMillionTokens) : null),
      change(b ? money(b.surgeUsd) : null, a ? money(a.surgeUsd) : null),
    ]);
  }
  out.push([
    'total',
    '',
    change(num(before.gpus), num(after.gpus)),
    change(money(before.usdPerHour), money(after.usdPerHour)) + delta(before.usdPerHour, after.usdPerHour),
    change(money(before.usdPerMonth, 0), money(after.usdPerMonth, 0)) + delta(before.usdPerMonth, after.usdPerMonth, 0),
    change(money(before.usdPerMillionTokens), money(after.usdPerMillionTokens)),
    change(money(before.surgeUsd), money(after.surgeUsd)),
  ]);
  return out;
}

/** "GPUs: +8 H100-SXM, −8 L4" from the GPU counts per type before and after. */
export function gpuChanges(diff: DiffRow[]): string {
  const count = (pick: (r: DiffRow) => Side | null): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of diff) {
      const s = pick(r);
      if (s && s.gpus) m.set(s.gpu ?? '?', (m.get(s.gpu ?? '?') ?? 0) + s.gpus);
    }
    return m;
  };
  const b = count((r) => r.before);
  const a = count((r) => r.after);
  const parts = [...new Set([...b.keys(), ...a.keys()])].sort().flatMap((g) => {
    const d = (a.get(g) ?? 0) - (b.get(g) ?? 0);
    return d === 0 ? [] : [`${d > 0 ? '+' : '−'}${num(Math.abs(d))} ${g}`];
  });
  return parts.length ? `GPUs: ${parts.join(', ')}` : 'GPUs: no change';
}

/** `servelint cost ...`: exit 0, or 2 for usage, git or I/O problems. */
export function runCost(argv: string[], io: Io, linter: Linter): number {
  let format = 'text';
  let output: string | undefined;
  let config: string | undefined;
  let diff: string | undefined;
  const paths: string[] = [];
  const fail = (m: string): number => {
    io.stderr(`servelint cost: ${m}\n`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === '-h' || flag === '--help') {
      io.stdout(COST_HELP + '\n');
      return 0;
    } else if (flag === '--diff') diff = value();
    else if (flag === '-f' || flag === '--format') format = value() ?? '';
    else if (flag === '-o' || flag === '--output-file') output = value();
    else if (flag === '-c' || flag === '--config') config = value();
    else if (a.startsWith('-')) return fail(`unknown option ${a} (servelint cost --help)`);
    else paths.push(a);
  }
  if (!['text', 'json', 'markdown'].includes(format)) return fail(`unknown format "${format}" (text, json, markdown)`);
  if (diff === undefined) return fail('--diff <git-ref> [paths] or --diff <old-path> <new-path> is needed (servelint cost --help)');
  const twoPaths = paths.length === 1 && fs.existsSync(path.resolve(io.cwd, diff)) && fs.existsSync(path.resolve(io.cwd, paths[0]!));
  const old = twoPaths ? workingTree([diff], io.cwd) : atRef(diff, paths.length ? paths : ['.'], io.cwd);
  const now = workingTree(twoPaths ? paths : paths.length ? paths : ['.'], io.cwd);
  const b = figures(old.texts, linter, io.cwd, config);
  const a = figures(now.texts, linter, io.cwd, config);
  const errors = [...old.errors, ...now.errors, ...b.errors, ...a.errors].filter((e, i, all) => all.indexOf(e) === i);
  if (!old.texts.size && !now.texts.size && !errors.length) errors.push(`no YAML files in ${twoPaths ? `${diff}, ${paths[0]}` : paths.join(', ') || '.'}`);
  const table = diffRows(b.sides, a.sides);
  const tb = totals(table.map((r) => r.before));
  const ta = totals(table.map((r) => r.after));
  const label = twoPaths ? { before: diff, after: paths[0]! } : { before: diff, after: 'working tree' };
  const nameOf = (r: DiffRow): string => `${r.kind}/${r.namespace ? `${r.namespace}/` : ''}${r.name}`;
  let text: string;
  if (format === 'json') {
    text = JSON.stringify({ version: 1, before: label.before, after: label.after, workloads: table, total: { before: tb, after: ta }, gpus: gpuChanges(table), errors }, null, 2) + '\n';
  } else if (format === 'markdown') {
    const t = rows(table, tb, ta, (r) => `\`${nameOf(r)}\``);
    const last = t.length - 1;
    t[last] = t[last]!.map((c) => (c ? `**${c}**` : ''));
    text = [`### servelint cost: ${label.before} → ${label.after}`, '', ...mdTable(t, ['---', '---', ...t[0]!.slice(2).map(() => '---:')]), '', gpuChanges(table) + '. Estimates; see docs/cost-model.md.', ''].join('\n');
  } else {
    text = [`Cost: ${label.before} → ${label.after} (estimates; see docs/cost-model.md)`, textTable(rows(table, tb, ta, nameOf)), gpuChanges(table), ''].join('\n');
  }
  if (output) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(io.cwd, output)), { recursive: true });
      fs.writeFileSync(path.resolve(io.cwd, output), text);
    } catch (e) {
      errors.push(`cannot write ${output}: ${oneLine(e)}`);
    }
  } else io.stdout(text);
  for (const e of errors) io.stderr(`servelint cost: ${e}\n`);
  return errors.length ? 2 : 0;
}
