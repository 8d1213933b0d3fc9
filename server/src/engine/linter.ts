/**
 * The lint pipeline: split into YAML documents → parse (cached per document text) → the scope's resource
 * inventory → per-workload analysis and rules (cached per document, reused while every inventory lookup it made
 * still finds the same objects) → suppression and severities → absolute ranges. The rules are given to the
 * Linter (server/src/index.ts composes the built-in ones); a rule that throws costs only its own findings.
 */
import type { LintOptions, LintResult, WorkloadReport } from './api';
import type { Finding, Fix, RuleMeta, ServelintConfig, Severity } from './types';
import { analyzeWorkload, type WorkloadAnalysis } from './analyze';
import { findTemplateSyntax, splitDocuments, type DocumentChunk } from './yaml/split';
import type { DocModelRef, Loc } from './yaml/nodes';
import { BUILTIN_RULES, interpolate, ruleMeta, type LocFinding, type LocFix, type Rule, type RuleContext, type RuleMetaData } from './rule';
import { partitionSuppressions } from './suppress';
import { parseDocumentText, type ParsedDocument } from './parse';
import { Inventory } from './inventory';
import { dependencyKeys, Lookups, stillValid } from './lookups';
import { movedFinding, sameItems, toFix, type DocOutput, type WorkloadResult } from './output';
import { absRange, lazy, movedReport, workloadReport } from './report';
import type { WorkloadModel } from './model/workload';
import { modelServerEvidence } from './model/unsupported';
import { KIND_ADAPTERS } from './kinds';
import { getPair } from './yaml/nodes';

export { MAX_DOCUMENT_CHARS } from './parse';

/**
 * The per-document cache is bounded by the text it holds (a parsed document takes ~30x its text in memory), and
 * never evicts a document of the text being linted: so a file of any number of documents re-parses only what
 * changed, and editing a 3 MB document does not keep every earlier version of it alive.
 */
const CACHE_MAX_CHARS = 2 * 1024 * 1024;
const CACHE_MAX_ENTRIES = 2000;

function supportedKinds(): string {
  return [...new Set(KIND_ADAPTERS.map((a) => a.kind))].join(', ');
}

interface DocEntry extends ParsedDocument {
  /** kind-not-analysed evidence per object node (computed once per parsed document). */
  evidence?: Map<unknown, string | undefined>;
  /** Results per workload of this document (a few, for different configs or surroundings). */
  results: Map<WorkloadModel, WorkloadResult[]>;
  /** What this document contributed to the last lint that used it. */
  output?: DocOutput;
  /** Whether its text has a `# servelint-disable` comment (computed once). */
  directives?: boolean;
}

const RESULTS_PER_WORKLOAD = 8;

/** The configured severity, else the finding's own (a rule may lower it for one case), else the rule's default. */
function severityOf(meta: RuleMetaData | undefined, id: string, config: ServelintConfig, own?: Severity): Severity | undefined {
  const setting = config.rules?.[id];
  if (setting === 'off') return undefined;
  return setting ?? own ?? meta?.defaultSeverity ?? 'error';
}

function inScope(rule: Rule, a: WorkloadAnalysis): boolean {
  const scope = rule.meta.scope;
  if (!scope) return true;
  if (scope.requires?.includes('progressDeadline') && !a.workload.adapter.progressDeadline) return false;
  if (scope.strategies) {
    const r = a.rollout;
    if (!scope.strategies.includes(r.mode) && !(r.strategyLabel === 'canary' && scope.strategies.includes('canary'))) return false;
  }
  return true;
}

/** Runs every enabled rule on one workload; a rule that throws yields one internal-error finding instead. */
function runRules(rules: readonly Rule[], analysis: WorkloadAnalysis, config: ServelintConfig): LocFinding[] {
  const findings: LocFinding[] = [];
  // One context for every rule of the workload (a rule reports only while its check runs): `meta` and `found` are
  // the running rule's; its findings count only once its check returns.
  let meta = rules[0]?.meta as RuleMetaData;
  const found: LocFinding[] = [];
  const ctx: RuleContext = {
    analysis,
    config,
    report({ loc, messageId, data, fixes, severity }) {
      if (!loc) return;
      const template = meta.messages[messageId];
      if (template === undefined) throw new Error(`unknown messageId "${messageId}"`);
      const usable = fixes?.filter((f): f is LocFix => f !== undefined);
      found.push({ rule: meta.id, severity: severity ?? meta.defaultSeverity, message: interpolate(template, data), loc, fixes: usable?.length ? usable : undefined });
    },
  };
  for (const rule of rules) {
    meta = rule.meta;
    if (config.rules?.[meta.id] === 'off') continue;
    found.length = 0;
    try {
      if (!inScope(rule, analysis)) continue;
      rule.check(ctx);
      for (const f of found) findings.push(f);
    } catch (e) {
      const w = analysis.workload;
      const where: Loc = { doc: w.doc, start: (w.kindPair.value as { range?: number[] } | null)?.range?.[0] ?? 0, end: (w.kindPair.value as { range?: number[] } | null)?.range?.[1] ?? 0 };
      const why = e instanceof Error ? e.message : String(e);
      findings.push({
        rule: 'internal-error',
        severity: 'error',
        message: `servelint's rule ${meta.id} failed on ${w.kind} ${w.name ?? '(unnamed)'}: ${why.split('\n')[0]}. Its findings are missing; the other rules ran. Please report this with the manifest.`,
        loc: where,
      });
    }
  }
  return findings;
}

export interface LinterOptions {
  /** The rules to run (server/src/index.ts gives the built-in ones). */
  rules: readonly Rule[];
  /** Characters of document text whose parse is kept for later lints (default 2 MiB; the CLI, which lints each file once, keeps none). */
  cacheMaxChars?: number;
  /**
   * The caller reads every workload's cost (the CLI's JSON report): the memory-fit and weight-load facts the rules
   * need then come from that one cost computation instead of their own (the same figures; partial-cost-facts.test.ts).
   */
  costs?: boolean;
}

/** `a.localeCompare(b)` with the collator built once (localeCompare builds one per call). */
const RULE_ORDER = new Intl.Collator();

export class Linter {
  private cache = new Map<string, DocEntry>();
  private cacheChars = 0;
  private parses = 0;
  private analyses = 0;
  /** Counts lints (past the Helm check); with the previous lint's documents, tells which lookups need re-running. */
  private serial = 0;
  private lastEntries = new Set<DocEntry>();
  private changed = new Set<string>();
  private inventoryOps = 0;
  /** The rules' metadata for the last config (made once: a CLI run lints every file of a folder with one config). */
  private metas?: { configKey: string; byId: Map<string, RuleMeta> };
  readonly rules: readonly Rule[];
  private readonly metaById: Map<string, RuleMetaData>;
  /** Position of each rule id in RULE_ORDER (findings at one offset sort by it; unknown ids fall back to the collator). */
  private readonly ruleRank: Map<string, number>;
  private readonly cacheMaxChars: number;
  private readonly costs: boolean;

  constructor(options: LinterOptions) {
    this.rules = options.rules;
    this.cacheMaxChars = options.cacheMaxChars ?? CACHE_MAX_CHARS;
    this.costs = options.costs ?? false;
    this.metaById = new Map([...this.rules.map((r) => r.meta), ...BUILTIN_RULES].map((m) => [m.id, m]));
    this.ruleRank = new Map([...this.metaById.keys()].sort(RULE_ORDER.compare).map((id, i) => [id, i]));
  }

  /** Every rule this linter reports (its rules and the engine's built-in ids), as tools show them. */
  allRules(config?: ServelintConfig): RuleMeta[] {
    return [...this.metaById.values()].map((m) => ruleMeta(m, config));
  }

  private entry(text: string, used: Set<DocEntry>): DocEntry {
    let e = this.cache.get(text);
    if (e && !used.has(e)) {
      this.cache.delete(text);
      this.cache.set(text, e);
      return e;
    }
    e = Object.assign({}, parseDocumentText(text), { results: new Map() });
    this.parses++;
    // A linter that keeps nothing (the CLI's) records nothing per document in its long-lived maps (docs/architecture.md, Garbage).
    if (this.cacheMaxChars > 0 && !this.cache.has(text)) {
      this.cache.set(text, e);
      this.cacheChars += text.length;
    }
    return e;
  }

  /** Drops the least recently used documents, except those of the current text, until the cache is within bounds. */
  private evict(keep: Set<DocEntry>): void {
    for (const [text, e] of this.cache) {
      if (this.cacheChars <= this.cacheMaxChars && this.cache.size <= CACHE_MAX_ENTRIES) break;
      if (keep.has(e)) continue;
      this.cache.delete(text);
      this.cacheChars -= text.length;
    }
  }

  /** YAML documents parsed so far (for tests and benchmarks). */
  get parseCount(): number {
    return this.parses;
  }

  /** Workload analyses run so far (cache misses; for tests). */
  get analysisCount(): number {
    return this.analyses;
  }

  /** Inventory index operations so far (building and lookups; for tests of linear linking). */
  get inventoryOpCount(): number {
    return this.inventoryOps;
  }

  /** Characters of document text currently cached (for tests). */
  get cachedChars(): number {
    return this.cacheChars;
  }

  /** Number of documents currently cached (for tests and benchmarks). */
  get cacheSize(): number {
    return this.cache.size;
  }

  /**
   * `chunks`: the text's documents when the caller has split it already (the language server re-splits only around
   * each edit, resplitDocuments); else splitDocuments(text).
   */
  lint(text: string, options: LintOptions = {}, chunks?: readonly DocumentChunk[]): LintResult {
    const config = options.config ?? {};
    const configKey = JSON.stringify(config);
    if (this.metas?.configKey !== configKey) this.metas = { configKey, byId: new Map(this.allRules(config).map((m) => [m.id, m])) };
    const metas = this.metas.byId;
    const findings: Finding[] = [];
    const helmAt = findTemplateSyntax(text);
    if (helmAt >= 0) {
      const sev = severityOf(this.metaById.get('helm-template-skipped'), 'helm-template-skipped', config);
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
    const entries = (chunks ?? splitDocuments(text)).map((chunk) => {
      const e = this.entry(chunk.text, used);
      used.add(e);
      e.ref.base = chunk.base;
      return e;
    });
    this.evict(used);
    this.changed = this.changedKeys(used);
    for (const e of entries) {
      const err = e.errors[0];
      const rule = err?.rule ?? 'invalid-yaml';
      const sev = severityOf(this.metaById.get(rule), rule, config);
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
    const inventory = new Inventory(entries.flatMap((e) => e.objects), entries.flatMap((e) => e.workloads));
    findings.push(...this.unanalysed(entries, config, metas));
    const workloads: WorkloadReport[] = [];
    for (const e of entries) {
      const out = this.documentOutput(e, inventory, config, configKey, metas);
      for (const f of out.findings) findings.push(f);
      for (const w of out.workloads) workloads.push(w);
    }
    this.inventoryOps += inventory.ops;
    // A directive has no line break, so it never straddles two documents: the cached documents tell whether any has one.
    const directives = entries.some((e) => (e.directives ??= e.ref.text.includes('servelint-disable')));
    const { kept, suppressed } = directives ? partitionSuppressions(text, findings) : { kept: findings, suppressed: [] };
    const rank = this.ruleRank;
    kept.sort((a, b) => {
      if (a.range.start !== b.range.start) return a.range.start - b.range.start;
      const ra = rank.get(a.rule);
      const rb = rank.get(b.rule);
      return ra !== undefined && rb !== undefined ? ra - rb : RULE_ORDER.compare(a.rule, b.rule);
    });
    const objectCount = inventory.objects.length;
    return suppressed.length ? { findings: kept, workloads, suppressed, objectCount } : { findings: kept, workloads, objectCount };
  }

  /** A document's findings and reports in this lint: the previous lint's when still valid (DocOutput). */
  private documentOutput(e: DocEntry, inventory: Inventory, config: ServelintConfig, configKey: string, metas: Map<string, RuleMeta>): DocOutput {
    const results: WorkloadResult[] = [];
    for (const w of e.workloads) if (!inventory.managedBy(w)) results.push(this.resultFor(e, w, inventory, config, configKey));
    const prev = e.output;
    if (prev && prev.configKey === configKey && sameItems(prev.results, results)) {
      if (prev.bases.every(([d, b]) => d.base === b)) return prev;
      const own = prev.bases[0];
      if (prev.bases.length === 1 && own) {
        const first = prev.origin?.output ?? prev;
        const delta = (prev.origin?.delta ?? 0) + e.ref.base - own[1];
        const moved: DocOutput = {
          configKey,
          results,
          bases: [[e.ref, e.ref.base]],
          findings: first.findings.map((f) => movedFinding(f, delta)),
          workloads: first.workloads.map((w) => movedReport(w, delta)),
          origin: { output: first, delta },
        };
        e.output = moved;
        return moved;
      }
    }
    const bases = new Map<DocModelRef, number>([[e.ref, e.ref.base]]);
    const out: DocOutput = { configKey, results, bases: [], findings: [], workloads: [] };
    const documentRange = { start: e.ref.base, end: e.ref.base + e.ref.text.length };
    for (const result of results) {
      const a = result.analysis;
      if (!a) continue;
      const w = a.workload;
      const object = { kind: w.kind, name: w.name, namespace: w.namespace };
      for (const f of result.findings) {
        const meta = metas.get(f.rule);
        const severity = severityOf(this.metaById.get(f.rule), f.rule, config, f.severity);
        if (!severity || !meta) continue;
        const ignore = a.annotations[`ignore-check.servelint.io/${f.rule}`];
        if (ignore !== undefined && ignore.trim().toLowerCase() !== 'false') continue;
        bases.set(f.loc.doc, f.loc.doc.base);
        for (const x of f.fixes ?? []) for (const edit of x.edits) bases.set(edit.loc.doc, edit.loc.doc.base);
        const finding = { rule: f.rule, severity, message: f.message, range: absRange(f.loc), object, docsUrl: meta.docsUrl } as Finding;
        // Fixes are built when read (code actions, --fix, JSON), with the offsets of this lint.
        const fixes = f.fixes;
        if (fixes) lazy(finding, 'fixes', () => fixes.map((x) => toFix(x, bases)));
        else finding.fixes = undefined;
        out.findings.push(finding);
      }
      for (const t of a.templates) bases.set(t.doc, t.doc.base);
      out.workloads.push(workloadReport(a, documentRange));
    }
    out.bases = [...bases];
    e.output = out;
    return out;
  }

  /** kind-not-analysed: objects of kinds without an adapter that run a model server (no silent pass). */
  private unanalysed(entries: DocEntry[], config: ServelintConfig, metas: Map<string, RuleMeta>): Finding[] {
    const severity = severityOf(this.metaById.get('kind-not-analysed'), 'kind-not-analysed', config);
    if (!severity) return [];
    const out: Finding[] = [];
    for (const e of entries) {
      if (e.workloads.length === e.objects.length) continue; // every object is a workload (one per object node)
      const analysed = new Set(e.workloads.map((w) => w.node));
      for (const o of e.objects) {
        if (analysed.has(o.node)) continue;
        e.evidence ??= new Map();
        if (!e.evidence.has(o.node)) e.evidence.set(o.node, modelServerEvidence(o));
        const evidence = e.evidence.get(o.node);
        if (!evidence) continue;
        const kindValue = getPair(o.node, 'kind')?.value as { range?: number[] } | undefined;
        const start = kindValue?.range?.[0] ?? 0;
        out.push({
          rule: 'kind-not-analysed',
          severity,
          message:
            `${o.kind} ${o.name ?? '(unnamed)'} runs a model server (${evidence}) but servelint does not analyse ${o.kind} objects (apiVersion \"${o.apiVersion}\"): ` +
            `no rule and no cost estimate ran on it. Supported kinds: ${supportedKinds()}. To check it now, lint the objects it creates ` +
            `(e.g. \`kubectl get deployment,statefulset -o yaml\`).`,
          range: { start: e.ref.base + start, end: e.ref.base + (kindValue?.range?.[1] ?? start) },
          object: { kind: o.kind, name: o.name, namespace: o.namespace },
          docsUrl: metas.get('kind-not-analysed')!.docsUrl,
        });
      }
    }
    return out;
  }

  /** Starts a lint of these documents: the dependency keys of the objects in documents added or dropped since the last. */
  private changedKeys(entries: Set<DocEntry>): Set<string> {
    this.serial++;
    const changed = new Set<string>();
    if (this.cacheMaxChars <= 0) return changed; // without a cache no result outlives its lint: nothing to re-check
    const add = (e: DocEntry): void => {
      const workloads = new Set(e.workloads.map((w) => w.node));
      for (const o of e.objects) for (const k of dependencyKeys(o, workloads.has(o.node))) changed.add(k);
    };
    for (const e of entries) if (!this.lastEntries.has(e)) add(e);
    for (const e of this.lastEntries) if (!entries.has(e)) add(e);
    this.lastEntries = entries;
    return changed;
  }

  /** The cached result whose lookups still hold in this inventory, else a new analysis (then cached). */
  private resultFor(e: DocEntry, w: WorkloadModel, inventory: Inventory, config: ServelintConfig, configKey: string): WorkloadResult {
    const cached = e.results.get(w) ?? [];
    // Results that held in the previous lint re-run only the lookups that the documents changed since could affect.
    const hit = cached.find((r) => r.configKey === configKey && stillValid(r.deps, inventory, r.checkedIn === this.serial - 1 ? this.changed : undefined));
    if (hit) hit.checkedIn = this.serial;
    if (hit) return hit;
    this.analyses++;
    const lookups = new Lookups(inventory);
    const analysis = analyzeWorkload(w, config, lookups, this.costs);
    const result: WorkloadResult = { configKey, deps: lookups.deps, analysis, findings: analysis ? runRules(this.rules, analysis, config) : [], checkedIn: this.serial };
    cached.push(result);
    if (cached.length > RESULTS_PER_WORKLOAD) cached.shift();
    e.results.set(w, cached);
    return result;
  }
}

export type { DocModelRef };
