/**
 * The lint pipeline: split into YAML documents → parse (cached per document text) → Kubernetes objects →
 * link across documents (Rollout workloadRef, HorizontalPodAutoscaler) → per-workload analysis and rules
 * (cached per document text + what it links to + config) → suppression and severities → absolute ranges.
 */
import { parseDocument } from 'yaml';
import type { CostReport, LintOptions, LintResult, RolloutReport, WorkloadReport } from './api';
import type { Finding, Fix, HoverTarget, Range, RuleMeta, ServelintConfig, Severity } from './types';
import { analyzeWorkload, type WorkloadAnalysis } from './analyze';
import { findTemplateSyntax, splitDocuments } from './yaml/split';
import { findAliasBomb, findUnresolvedAlias } from './yaml/aliases';
import { detectServer } from './model/server';
import { get, getIn, num, str, stringMap, type DocModelRef, type Loc } from './yaml/nodes';
import { objectsOf, workloadModel, type K8sObject, type WorkloadModel } from './model/workload';
import { ruleMeta, type LocFinding, type LocFix, type Rule } from './rule';
import { ALL_RULES } from '../rules';
import { buildHovers, type LocHover } from './hovers';
import { partitionSuppressions } from './suppress';
import { fmtSeconds } from './assumptions';

/**
 * The per-document cache is bounded by the text it holds (a parsed document takes ~30x its text in memory), and
 * never evicts a document of the text being linted: so a file of any number of documents re-parses only what
 * changed, and editing a 3 MB document does not keep every earlier version of it alive.
 */
const CACHE_MAX_CHARS = 2 * 1024 * 1024;
const CACHE_MAX_ENTRIES = 2000;

interface WorkloadResult {
  findings: LocFinding[];
  hovers: LocHover[];
  analysis: WorkloadAnalysis;
}

interface DocEntry {
  ref: DocModelRef;
  serial: number;
  /** Parse errors (invalid-yaml), or one document-too-large entry for a document that was not parsed. */
  errors: { message: string; start: number; end: number; rule?: 'document-too-large' }[];
  objects: K8sObject[];
  workloads: WorkloadModel[];
  results: Map<string, WorkloadResult>;
}

let serialCounter = 0;

function fmtCount(n: number): string {
  return n >= 1e6 ? n.toExponential(1).replace('e+', 'e') : n.toLocaleString('en-US');
}

/**
 * Documents longer than this are not parsed. The API server refuses request bodies over 3 MiB (and etcd stores
 * objects up to 1.5 MiB), so such a document cannot be applied as one object anyway; parsing it would only stall
 * the editor (a 23 MB document takes ~4 s and ~380 MB).
 */
export const MAX_DOCUMENT_CHARS = 3 * 1024 * 1024;

/**
 * The parser often reports an indentation error at the line break before the offending line: point at the first
 * token after it instead (the `-` or key that is out of place), through the end of that token.
 */
function errorRange(text: string, start: number, end: number): { start: number; end: number } {
  if (end > start && /\S/.test(text.slice(start, end))) return { start, end };
  const m = /\S/.exec(text.slice(start, start + 2000));
  if (!m) return { start, end: Math.max(end, start + 1) };
  const at = start + m.index;
  const token = /^[^\s:]+/.exec(text.slice(at, at + 200));
  return { start: at, end: at + (token ? token[0].length : 1) };
}

function parseEntry(text: string): DocEntry {
  if (text.length > MAX_DOCUMENT_CHARS) {
    // The first line of content (past a `---` marker line).
    const marker = /^---[^\n]*\n/.exec(text);
    const start = marker ? marker[0].length : 0;
    const eol = text.slice(start, start + 400).search(/\r?\n/);
    const ref: DocModelRef = { base: 0, doc: parseDocument(''), text };
    const mb = (n: number): string => (n / (1024 * 1024)).toFixed(1);
    // Just over the limit, one decimal would print "3.0 MiB ... the limit is 3.0 MiB": give the characters instead.
    const close = mb(text.length) === mb(MAX_DOCUMENT_CHARS);
    const size = close ? `${text.length.toLocaleString('en-US')} characters` : `${mb(text.length)} MiB`;
    const limit = close ? `${MAX_DOCUMENT_CHARS.toLocaleString('en-US')} characters (3 MiB)` : `${mb(MAX_DOCUMENT_CHARS)} MiB`;
    return {
      ref, serial: ++serialCounter, objects: [], workloads: [], results: new Map(),
      errors: [{
        rule: 'document-too-large',
        message: `This YAML document is ${size}: not analysed (the limit is ${limit}, the API server's ` +
          `request limit; etcd stores objects up to 1.5 MiB, so a document this size is almost never one object you can apply). ` +
          `The file's other documents were analysed.`,
        start,
        end: start + Math.max(1, eol === -1 ? 200 : eol),
      }],
    };
  }
  const doc = parseDocument(text, { uniqueKeys: false, strict: false, prettyErrors: false, keepSourceTokens: false });
  const ref: DocModelRef = { base: 0, doc, text };
  const errors = doc.errors.map((e) => ({ message: e.message.split('\n')[0] ?? e.message, ...errorRange(text, e.pos[0], e.pos[1]) }));
  const unresolved = errors.length ? undefined : findUnresolvedAlias(doc);
  if (unresolved) {
    errors.push({ message: `alias ${unresolved.alias} has no anchor &${unresolved.alias.slice(1)} before it`, start: unresolved.start, end: unresolved.end });
  }
  const bomb = errors.length ? undefined : findAliasBomb(doc);
  if (bomb) {
    errors.push({
      message: `excessive aliasing: ${bomb.alias} and the other aliases expand this document from ${bomb.written.toLocaleString('en-US')} ` +
        `to ~${fmtCount(bomb.expanded)} nodes, which kubectl and the API server refuse ("document contains excessive aliasing")`,
      start: bomb.start,
      end: bomb.end,
    });
  }
  const objects = errors.length ? [] : objectsOf(doc.contents, ref);
  const workloads = objects.map(workloadModel).filter((w): w is WorkloadModel => w !== undefined);
  return { ref, serial: ++serialCounter, errors, objects, workloads, results: new Map() };
}

/** Internal rule ids that are not rules (no check, but documented and configurable). */
const BUILTIN_META: Rule[] = [
  { id: 'invalid-yaml', defaultSeverity: 'error', description: 'The document is not valid YAML; servelint analyses the file\'s other documents.', hasFix: false, check: () => undefined },
  { id: 'document-too-large', defaultSeverity: 'warning', description: 'A YAML document is larger than the API server accepts (3 MiB); servelint does not analyse it.', hasFix: false, check: () => undefined },
  { id: 'helm-template-skipped', defaultSeverity: 'info', description: 'The file contains Helm / Go template syntax; render it (helm template) and lint the output.', hasFix: false, check: () => undefined },
];

export function allRules(config?: ServelintConfig): RuleMeta[] {
  return [...ALL_RULES, ...BUILTIN_META].map((r) => ruleMeta(r, config));
}

function severityOf(rule: Rule | undefined, id: string, config: ServelintConfig): Severity | undefined {
  const setting = config.rules?.[id];
  if (setting === 'off') return undefined;
  return setting ?? (rule ?? BUILTIN_META.find((r) => r.id === id))?.defaultSeverity ?? 'error';
}

function abs(l: Loc): Range {
  return { start: l.doc.base + l.start, end: l.doc.base + l.end };
}

function toFix(f: LocFix): Fix {
  return {
    title: f.title,
    isPreferred: f.isPreferred,
    // Inserted lines take the document's line ending (CRLF files stay CRLF).
    edits: f.edits.map((e) => ({ ...abs(e.loc), newText: e.loc.doc.text.includes('\r\n') ? e.newText.replace(/\r?\n/g, '\r\n') : e.newText })),
  };
}

export class Linter {
  private cache = new Map<string, DocEntry>();
  private cacheChars = 0;
  private parses = 0;

  private entry(text: string, used: Set<DocEntry>): DocEntry {
    let e = this.cache.get(text);
    if (e && !used.has(e)) {
      this.cache.delete(text);
      this.cache.set(text, e);
      return e;
    }
    e = parseEntry(text);
    this.parses++;
    if (!this.cache.has(text)) {
      this.cache.set(text, e);
      this.cacheChars += text.length;
    }
    return e;
  }

  /** Drops the least recently used documents, except those of the current text, until the cache is within bounds. */
  private evict(keep: Set<DocEntry>): void {
    for (const [text, e] of this.cache) {
      if (this.cacheChars <= CACHE_MAX_CHARS && this.cache.size <= CACHE_MAX_ENTRIES) break;
      if (keep.has(e)) continue;
      this.cache.delete(text);
      this.cacheChars -= text.length;
    }
  }

  /** YAML documents parsed so far (for tests and benchmarks). */
  get parseCount(): number {
    return this.parses;
  }

  /** Characters of document text currently cached (for tests). */
  get cachedChars(): number {
    return this.cacheChars;
  }

  /** Number of documents currently cached (for tests and benchmarks). */
  get cacheSize(): number {
    return this.cache.size;
  }

  lint(text: string, options: LintOptions = {}): LintResult {
    const config = options.config ?? {};
    const metas = new Map(allRules(config).map((m) => [m.id, m]));
    const findings: Finding[] = [];
    const helmAt = findTemplateSyntax(text);
    if (helmAt >= 0) {
      const sev = severityOf(undefined, 'helm-template-skipped', config);
      if (sev) {
        const end = text.indexOf('}}', helmAt) + 2;
        findings.push({
          rule: 'helm-template-skipped',
          severity: sev,
          message: 'Helm / Go template syntax ({{ ... }}) found: this file was not analysed. Run `helm template` and lint the rendered manifests.',
          range: { start: helmAt, end: end > helmAt ? end : helmAt + 2 },
          docsUrl: metas.get('helm-template-skipped')!.docsUrl,
        });
      }
      return { findings, workloads: [] };
    }
    const used = new Set<DocEntry>();
    const entries = splitDocuments(text).map((chunk) => {
      const e = this.entry(chunk.text, used);
      used.add(e);
      e.ref.base = chunk.base;
      return e;
    });
    this.evict(used);
    for (const e of entries) {
      const err = e.errors[0];
      const rule = err?.rule ?? 'invalid-yaml';
      const sev = severityOf(undefined, rule, config);
      if (err && sev) {
        findings.push({
          rule,
          severity: sev,
          message: err.rule ? err.message : `Invalid YAML: ${err.message}. This document was skipped; the file's other documents were analysed.`,
          range: { start: e.ref.base + err.start, end: e.ref.base + Math.min(err.end, e.ref.text.length) },
          docsUrl: metas.get(rule)!.docsUrl,
        });
      }
    }
    link(entries);
    const configKey = JSON.stringify(config);
    const workloads: WorkloadReport[] = [];
    for (const e of entries) {
      for (const w of e.workloads) {
        if (w.managedBy) continue;
        const key = dependencyKey(w, configKey);
        let result = e.results.get(key);
        if (!result) {
          const computed = analyzeAndCheck(w, config);
          if (!computed) continue;
          result = computed;
          e.results.set(key, result);
          if (e.results.size > 8) e.results.delete(e.results.keys().next().value as string);
        }
        const object = { kind: w.kind, name: w.name, namespace: w.namespace };
        for (const f of result.findings) {
          const meta = metas.get(f.rule);
          const rule = ALL_RULES.find((r) => r.id === f.rule);
          const severity = severityOf(rule, f.rule, config);
          if (!severity || !meta) continue;
          const ignore = result.analysis.annotations[`ignore-check.servelint.io/${f.rule}`];
          if (ignore !== undefined && ignore.trim().toLowerCase() !== 'false') continue;
          findings.push({ rule: f.rule, severity, message: f.message, range: abs(f.loc), object, docsUrl: meta.docsUrl, fixes: f.fixes?.map(toFix) });
        }
        workloads.push(report(w, result, e));
      }
    }
    const { kept, suppressed } = partitionSuppressions(text, findings);
    kept.sort((a, b) => a.range.start - b.range.start || a.rule.localeCompare(b.rule));
    return suppressed.length ? { findings: kept, workloads, suppressed } : { findings: kept, workloads };
  }
}

function analyzeAndCheck(w: WorkloadModel, config: ServelintConfig): WorkloadResult | undefined {
  const analysis = analyzeWorkload(w, config);
  if (!analysis) return undefined;
  const findings: LocFinding[] = [];
  for (const rule of ALL_RULES) {
    if (config.rules?.[rule.id] === 'off') continue;
    rule.check({
      analysis,
      config,
      report(l, message, fixes) {
        if (!l) return;
        const usable = (fixes ?? []).filter((f): f is LocFix => f !== undefined);
        findings.push({ rule: rule.id, severity: rule.defaultSeverity, message, loc: l, fixes: usable.length ? usable : undefined });
      },
    });
  }
  return { findings, analysis, hovers: buildHovers(analysis) };
}

/** Everything outside the workload's own document that its analysis depends on. */
function dependencyKey(w: WorkloadModel, configKey: string): string {
  const ref = w.workloadRef?.resolved;
  const refKey = ref ? `${ref.doc.text.length}:${serialOf(ref.doc)}` : '';
  const hpa = w.hpa ? `${w.hpa.min}-${w.hpa.max}` : '';
  const envFrom = [w, ...(ref ? [ref] : [])].flatMap((x) => x.templates.flatMap((t) => t.containers.map((c) => c.envFromKey ?? ''))).join(';');
  return `${w.kind}/${w.name}|${refKey}|${hpa}|${envFrom}|${configKey}`;
}

const serials = new WeakMap<DocModelRef, number>();
function serialOf(ref: DocModelRef): number {
  let s = serials.get(ref);
  if (s === undefined) {
    s = ++serialCounter;
    serials.set(ref, s);
  }
  return s;
}

function sameNs(a?: string, b?: string): boolean {
  return a === undefined || b === undefined || a === b;
}

function link(entries: DocEntry[]): void {
  const workloads = entries.flatMap((e) => e.workloads);
  for (const w of workloads) {
    w.managedBy = undefined;
    w.hpa = undefined;
    if (w.workloadRef) w.workloadRef.resolved = undefined;
  }
  for (const w of workloads) {
    if (!w.workloadRef) continue;
    const target = workloads.find((d) => d.kind === w.workloadRef!.kind && d.name === w.workloadRef!.name && sameNs(d.namespace, w.namespace) && d !== w);
    if (target) {
      w.workloadRef.resolved = target;
      target.managedBy = w;
    }
  }
  linkEnvFrom(entries, workloads);
  for (const o of entries.flatMap((e) => e.objects)) {
    if (o.kind !== 'HorizontalPodAutoscaler') continue;
    const spec = get(o.node, 'spec', o.doc.doc);
    const kind = str(getIn(spec, ['scaleTargetRef', 'kind'], o.doc.doc));
    const name = str(getIn(spec, ['scaleTargetRef', 'name'], o.doc.doc));
    const max = num(get(spec, 'maxReplicas', o.doc.doc));
    const target = workloads.find((w) => w.kind === kind && w.name === name && sameNs(w.namespace, o.namespace));
    if (target && max !== undefined) target.hpa = { min: num(get(spec, 'minReplicas', o.doc.doc)) ?? 1, max, name: o.name };
  }
}

/**
 * `envFrom: [{configMapRef: {name}}]` pointing at a ConfigMap in the same input: its data joins the container's
 * environment (its own `env` wins, as in Kubernetes), so `--model $(MODEL_ID)` or TGI's MODEL_ID resolve. Server
 * detection and arguments are worked out again only when the ConfigMaps a container sees change.
 */
function linkEnvFrom(entries: DocEntry[], workloads: WorkloadModel[]): void {
  const configMaps = entries.flatMap((e) => e.objects).filter((o) => o.kind === 'ConfigMap' && o.name);
  for (const w of workloads) {
    for (const t of w.templates) {
      for (const c of t.containers) {
        if (!c.envFrom.length && !c.envFromKey) continue;
        const env: Record<string, string> = {};
        const keys: string[] = [];
        for (const ref of c.envFrom) {
          const cm = configMaps.find((o) => o.name === ref.configMap && sameNs(o.namespace, w.namespace));
          if (!cm) continue;
          keys.push(`${cm.name}@${serialOf(cm.doc)}`);
          for (const [k, v] of Object.entries(stringMap(get(cm.node, 'data', cm.doc.doc)))) env[ref.prefix + k] = v;
        }
        const key = keys.length ? keys.join(',') : undefined;
        if (key === c.envFromKey) continue;
        c.envFromKey = key;
        c.env = key ? { ...env, ...c.ownEnv } : c.ownEnv;
        c.server = detectServer(c, t.doc, c.annotations, c.forced);
      }
    }
  }
}

function report(w: WorkloadModel, result: WorkloadResult, e: DocEntry): WorkloadReport {
  const a = result.analysis;
  const kindRange = abs({ doc: w.doc, start: w.kindPair.key ? (w.kindPair.key as { range: number[] }).range[0]! : 0, end: (w.kindPair.value as { range?: number[] } | null)?.range?.[1] ?? 0 });
  const cost: CostReport | undefined = a.cost.report;
  const r = a.rollout;
  const surgeGpus = r.maxSurge * (a.cost.gpusPerReplica ?? 0);
  const rollout: RolloutReport = {
    strategy: r.strategyLabel,
    stepSeconds: Number(a.weightLoad.value),
    totalSeconds: a.rolloutSeconds,
    steps: a.rolloutSteps,
    maxSurge: r.maxSurge,
    maxUnavailable: r.maxUnavailable,
    surgeGpus,
    summary:
      r.mode === 'ondelete'
        ? 'rollout: OnDelete (pods replaced by hand)'
        : `rollout ≈ ${fmtSeconds(a.rolloutSeconds)} · ${r.mode === 'bluegreen' ? `+${r.replicas} replicas (blue-green)` : `+${r.maxSurge} replica surge`}` +
          `${surgeGpus ? ` (${surgeGpus} GPU${surgeGpus === 1 ? '' : 's'})` : ''}${r.maxUnavailable && r.mode !== 'bluegreen' ? ` · −${Math.min(r.maxUnavailable, r.replicas)} serving` : ''}`,
  };
  const hovers: HoverTarget[] = result.hovers.map((h) => ({ range: abs(h.loc), topic: h.topic, markdown: h.markdown }));
  return {
    object: { kind: w.kind, name: w.name, namespace: w.namespace },
    kindRange,
    documentRange: { start: e.ref.base, end: e.ref.base + e.ref.text.length },
    modelServer: a.primary.server.kind,
    model: a.primary.server.args.model?.value ?? null,
    replicas: w.replicas ?? null,
    gpusPerPod: a.cost.gpusPerPod,
    cost,
    rollout,
    hovers,
  };
}
