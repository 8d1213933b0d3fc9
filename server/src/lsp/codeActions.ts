/**
 * Code actions: the engine's fixes as quick fixes, "disable for this workload / line", "show documentation",
 * and source.fixAll.servelint. Edits carry the linted document version so a client refuses stale ones.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Connection, type Diagnostic, type WorkspaceEdit } from 'vscode-languageserver/node';
import { applyAllFixes, minimalEdit } from '../engine';
import type { Finding, TextEdit } from '../engine/types';
import { guard, type ServerContext } from './context';
import { sameRange, toRange } from './convert';
import type { LintEntry } from './lintService';
import { COMMANDS, FIX_ALL_KIND } from './protocol';
import { disableForLineEdit, disableForWorkloadEdit } from './suppressEdits';

/** In a CRLF document, inserted lines use CRLF and no edit lands between a `\r` and its `\n`. */
function forLineEndings(text: string, x: TextEdit): TextEdit {
  if (!text.includes('\r\n')) return x;
  const inCrlf = (o: number): boolean => o > 0 && text[o] === '\n' && text[o - 1] === '\r';
  const start = inCrlf(x.start) ? x.start - 1 : x.start;
  const end = x.end === x.start ? start : inCrlf(x.end) ? x.end - 1 : x.end;
  return { start, end: Math.max(start, end), newText: x.newText.replace(/\r?\n/g, '\r\n') };
}

export function workspaceEdit(ctx: ServerContext, e: LintEntry, edits: TextEdit[]): WorkspaceEdit {
  const lspEdits = edits.map((x) => forLineEndings(e.text, x)).map((x) => ({ range: toRange(e, x), newText: x.newText }));
  if (!ctx.features.documentChanges) return { changes: { [e.uri]: lspEdits } };
  return { documentChanges: [{ textDocument: { uri: e.uri, version: e.version }, edits: lspEdits }] };
}

function wants(only: string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
}

function findingFor(e: LintEntry, d: Diagnostic): Finding | undefined {
  if (d.source !== 'servelint') return undefined;
  return e.result.findings.find((f) => f.rule === d.code && sameRange(toRange(e, f.range), d.range));
}

function actionsFor(ctx: ServerContext, e: LintEntry, d: Diagnostic, f: Finding): CodeAction[] {
  const out: CodeAction[] = [];
  for (const fix of f.fixes ?? []) {
    out.push({ title: fix.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: !!fix.isPreferred, edit: workspaceEdit(ctx, e, fix.edits) });
  }
  const w = e.result.workloads.find((x) => x.documentRange.start <= f.range.start && f.range.start <= x.documentRange.end);
  const annotate = w ? disableForWorkloadEdit(e.text, w.documentRange, f.rule) : undefined;
  if (annotate) {
    const name = w?.object.name ? ` (${w.object.kind}/${w.object.name})` : '';
    out.push({ title: `Disable ${f.rule} for this workload${name}`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: workspaceEdit(ctx, e, [annotate]) });
  }
  out.push({ title: `Disable ${f.rule} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: workspaceEdit(ctx, e, [disableForLineEdit(e.text, f.range.start, f.rule)]) });
  if (f.docsUrl) {
    out.push({ title: `Show documentation for ${f.rule}`, kind: CodeActionKind.QuickFix, diagnostics: [d], command: { title: `Show documentation for ${f.rule}`, command: COMMANDS.openRuleDocs, arguments: [f.docsUrl] } });
  }
  return out;
}

/** All preferred fixes, applied one after another by the engine, as one minimal edit (undefined if none). */
export function fixAllEdit(ctx: ServerContext, e: LintEntry): { edit: TextEdit; applied: number } | undefined {
  if (!e.result.findings.some((f) => f.fixes?.some((x) => x.isPreferred))) return undefined;
  const linter = ctx.lints.linter;
  const all = applyAllFixes(e.text, (t, o) => linter.lint(t, o), { config: e.config, fileName: e.uri });
  const edit = minimalEdit(e.text, all.text);
  return edit ? { edit, applied: all.applied.length } : undefined;
}

export function registerCodeActions(ctx: ServerContext, connection: Connection): void {
  connection.onCodeAction((params: CodeActionParams, token) =>
    guard(ctx, 'codeAction', [] as CodeAction[], async () => {
      const e = await ctx.lints.lint(params.textDocument.uri, token);
      if (!e || token.isCancellationRequested) return [];
      const only = params.context.only;
      const out: CodeAction[] = [];
      if (wants(only, CodeActionKind.QuickFix)) {
        for (const d of params.context.diagnostics) {
          const f = findingFor(e, d);
          if (f) out.push(...actionsFor(ctx, e, d, f));
        }
      }
      // source.fixAll is only offered when asked for (editor.codeActionsOnSave, "Fix all" menus).
      if (only && wants(only, FIX_ALL_KIND)) {
        const all = fixAllEdit(ctx, e);
        if (all) out.push({ title: `servelint: apply all fixes (${all.applied})`, kind: FIX_ALL_KIND, edit: workspaceEdit(ctx, e, [all.edit]) });
      }
      return out;
    }),
  );
}
