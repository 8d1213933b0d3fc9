/**
 * Diagnostics: pull (textDocument/diagnostic) when the client supports it, else push (publishDiagnostics)
 * debounced per document, where a newer version supersedes a pending or running lint.
 */
import {
  DiagnosticSeverity,
  DocumentDiagnosticReportKind,
  LSPErrorCodes,
  ResponseError,
  type CancellationToken,
  type Diagnostic,
  type DocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ConfigError } from '../engine/config';
import { parseConfigSafe } from '../config/load';
import type { Finding, Severity } from '../engine/types';
import type { LineIndex } from '../engine/positions';
import { guard, type ServerContext } from './context';
import { toRange } from './convert';
import { isManifest, type LintEntry } from './lintService';
import { isConfigFileUri } from './settings';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toDiagnostic(e: LintEntry, f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: toRange(e, f.range),
    severity: SEVERITY[f.severity] ?? DiagnosticSeverity.Warning,
    source: 'servelint',
    code: f.rule,
    message: f.message,
  };
  if (f.docsUrl) d.codeDescription = { href: f.docsUrl };
  return d;
}

/** Problems in an open .servelint.yaml (YAML syntax and schema). */
function configDiagnostics(doc: TextDocument): Diagnostic[] {
  const { errors } = parseConfigSafe(doc.getText());
  return errors.map((err: ConfigError) => ({
    range: { start: { line: err.line - 1, character: err.column - 1 }, end: { line: err.endLine - 1, character: err.endColumn - 1 } },
    severity: err.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    source: 'servelint',
    code: 'invalid-config',
    message: err.message,
  }));
}

/**
 * Each opening of a document gets its own serial, so a resultId never matches across a close and reopen (the same
 * version number can then hold other text).
 */
const openSerials = new WeakMap<object, number>();
let openCounter = 0;
function openSerial(doc: object): number {
  let n = openSerials.get(doc);
  if (n === undefined) {
    n = ++openCounter;
    openSerials.set(doc, n);
  }
  return n;
}

/** Each lint's diagnostics, converted once. */
const converted = new WeakMap<LintEntry, Diagnostic[]>();
/** The last conversion per document: its line index, findings and diagnostics. */
const lastConverted = new Map<string, { lines: LineIndex; findings: readonly Finding[]; diagnostics: Diagnostic[] }>();

/**
 * The lint's findings as diagnostics. Findings are sorted by offset: the leading ones that are the very objects of
 * the last conversion and end before the edit since keep their diagnostics (same lines and columns).
 */
function lintDiagnostics(e: LintEntry): Diagnostic[] {
  let out = converted.get(e);
  if (out) return out;
  out = [];
  const findings = e.result.findings;
  const last = lastConverted.get(e.uri);
  const unchangedUpTo = !last ? -1 : last.lines === e.lines ? Infinity : e.editedFrom?.lines === last.lines ? e.editedFrom.prefix : -1;
  let i = 0;
  if (last) {
    for (const n = Math.min(findings.length, last.findings.length); i < n; i++) {
      const f = findings[i] as Finding;
      if (f !== last.findings[i] || f.range.end > unchangedUpTo) break;
      out.push(last.diagnostics[i] as Diagnostic);
    }
  }
  for (; i < findings.length; i++) out.push(toDiagnostic(e, findings[i] as Finding));
  converted.set(e, out);
  lastConverted.set(e.uri, { lines: e.lines, findings, diagnostics: out });
  return out;
}

/** Forget a closed document's last conversion. */
export function forgetConverted(uri: string): void {
  lastConverted.delete(uri);
}

const samePosition = (a: Diagnostic['range']['start'], b: Diagnostic['range']['start']): boolean => a.line === b.line && a.character === b.character;

/** The same diagnostics, in the same order (what a client would show). */
export function sameDiagnostics(a: readonly Diagnostic[], b: readonly Diagnostic[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as Diagnostic;
    const y = b[i] as Diagnostic;
    if (x === y) continue;
    if (!samePosition(x.range.start, y.range.start) || !samePosition(x.range.end, y.range.end) || x.code !== y.code || x.severity !== y.severity || x.message !== y.message || x.source !== y.source || x.codeDescription?.href !== y.codeDescription?.href) return false;
  }
  return true;
}

/**
 * The last diagnostics a client got for each document (push: published; pull: reported with a result id). A lint
 * whose diagnostics are the same is not published again (push) or keeps its result id, so the client gets
 * "unchanged" (pull). Most edits change no diagnostic: typing within a line moves only offsets, not lines or columns.
 */
class Reported {
  private last = new Map<string, { serial: number; resultId: string; diagnostics: Diagnostic[] }>();
  private counter = 0;

  /** The result id the client would have for these diagnostics, if the last ones it got are the same. */
  unchanged(uri: string, serial: number, diagnostics: readonly Diagnostic[]): string | undefined {
    const last = this.last.get(uri);
    return last && last.serial === serial && sameDiagnostics(last.diagnostics, diagnostics) ? last.resultId : undefined;
  }

  /** Record what the client got; returns its result id. */
  remember(uri: string, serial: number, diagnostics: Diagnostic[]): string {
    const resultId = `${serial}:${++this.counter}`;
    this.last.set(uri, { serial, resultId, diagnostics });
    return resultId;
  }

  forget(uri: string): void {
    this.last.delete(uri);
  }
}

interface DocumentDiagnostics {
  version: number;
  diagnostics: Diagnostic[];
  /** Identifies this opening of the document (a result id never matches across a close and reopen). */
  serial: number;
  /** Set for an open .servelint.yaml: its diagnostics are not compared. */
  resultId?: string;
}

async function diagnosticsFor(ctx: ServerContext, uri: string, token?: CancellationToken): Promise<DocumentDiagnostics | undefined> {
  const doc = ctx.documents.get(uri);
  if (!doc) return undefined;
  if (isConfigFileUri(uri)) return { version: doc.version, diagnostics: configDiagnostics(doc), serial: openSerial(doc), resultId: `c${openSerial(doc)}:${doc.version}` };
  const rendered = ctx.rendered?.diagnostics(uri);
  if (rendered) return { version: doc.version, diagnostics: rendered, serial: openSerial(doc), resultId: `r${openSerial(doc)}:${doc.version}:${ctx.rendered!.generation}` };
  const e = await ctx.lints.lint(uri, token);
  if (!e) return undefined;
  return { version: e.version, diagnostics: lintDiagnostics(e), serial: openSerial(doc) };
}

export class PushDiagnostics {
  private timers = new Map<string, NodeJS.Timeout>();
  private published = new Reported();

  constructor(private readonly ctx: ServerContext) {}

  /** (Re)schedule a lint of `uri`; a newer call replaces a pending one. */
  schedule(uri: string, delay = this.ctx.debounceMs): void {
    const old = this.timers.get(uri);
    if (old) clearTimeout(old);
    this.timers.set(uri, setTimeout(() => {
      this.timers.delete(uri);
      void this.run(uri);
    }, delay));
  }

  private async run(uri: string): Promise<void> {
    await guard(this.ctx, `diagnostics for ${uri}`, undefined, async () => {
      const out = await diagnosticsFor(this.ctx, uri);
      const doc = this.ctx.documents.get(uri);
      // Dropped when the document changed or closed meanwhile: its own scheduled run will publish.
      if (!out || !doc || doc.version !== out.version || this.timers.has(uri)) return;
      if (!out.resultId && this.published.unchanged(uri, out.serial, out.diagnostics)) return; // the client shows these already
      this.published.remember(uri, out.serial, out.diagnostics);
      await this.ctx.connection.sendDiagnostics({ uri, version: out.version, diagnostics: out.diagnostics });
    });
  }

  closed(uri: string): void {
    this.published.forget(uri);
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}

/** textDocument/diagnostic. Unchanged when the client already has this version's report. */
export function registerPullDiagnostics(ctx: ServerContext): { forget(uri: string): void } {
  const reported = new Reported();
  ctx.connection.languages.diagnostics.on(async (params, token): Promise<DocumentDiagnosticReport> => {
    const uri = params.textDocument.uri;
    let out: Awaited<ReturnType<typeof diagnosticsFor>>;
    try {
      out = await diagnosticsFor(ctx, uri, token);
    } catch (e) {
      ctx.connection.console.error(`servelint: diagnostics for ${uri} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { kind: DocumentDiagnosticReportKind.Full, items: [] };
    }
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded', { retriggerRequest: true });
    if (!out) {
      const doc = ctx.documents.get(uri);
      if (!doc || (!isConfigFileUri(uri) && !isManifest(doc))) return { kind: DocumentDiagnosticReportKind.Full, items: [] };
      throw new ResponseError(LSPErrorCodes.ServerCancelled, 'superseded', { retriggerRequest: true });
    }
    const resultId = out.resultId ?? reported.unchanged(uri, out.serial, out.diagnostics) ?? reported.remember(uri, out.serial, out.diagnostics);
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: out.diagnostics };
  });
  return reported;
}
