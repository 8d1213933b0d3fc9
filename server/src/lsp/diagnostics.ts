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

async function diagnosticsFor(ctx: ServerContext, uri: string, token?: CancellationToken): Promise<{ version: number; diagnostics: Diagnostic[]; resultId: string } | undefined> {
  const doc = ctx.documents.get(uri);
  if (!doc) return undefined;
  if (isConfigFileUri(uri)) return { version: doc.version, diagnostics: configDiagnostics(doc), resultId: `c${openSerial(doc)}:${doc.version}` };
  const rendered = ctx.rendered?.diagnostics(uri);
  if (rendered) return { version: doc.version, diagnostics: rendered, resultId: `r${openSerial(doc)}:${doc.version}:${ctx.rendered!.generation}` };
  const e = await ctx.lints.lint(uri, token);
  if (!e) return undefined;
  return { version: e.version, diagnostics: e.result.findings.map((f) => toDiagnostic(e, f)), resultId: `${openSerial(doc)}:${e.version}:${e.generation}` };
}

export class PushDiagnostics {
  private timers = new Map<string, NodeJS.Timeout>();

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
      await this.ctx.connection.sendDiagnostics({ uri, version: out.version, diagnostics: out.diagnostics });
    });
  }

  closed(uri: string): void {
    const t = this.timers.get(uri);
    if (t) clearTimeout(t);
    this.timers.delete(uri);
    void this.ctx.connection.sendDiagnostics({ uri, diagnostics: [] });
  }
}

/** textDocument/diagnostic. Unchanged when the client already has this version's report. */
export function registerPullDiagnostics(ctx: ServerContext): void {
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
    if (params.previousResultId === out.resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId: out.resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId: out.resultId, items: out.diagnostics };
  });
}
