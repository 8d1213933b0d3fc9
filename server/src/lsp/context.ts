/** What every handler module gets: the connection, documents, lint service, settings and client capabilities. */
import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LintService } from './lintService';
import type { RenderService } from './rendered';
import type { SettingsStore } from './settings';

export interface ClientFeatures {
  pullDiagnostics: boolean;
  configuration: boolean;
  codeLensRefresh: boolean;
  diagnosticRefresh: boolean;
  lazyCodeLens: boolean;
  documentChanges: boolean;
  watchedFilesDynamic: boolean;
  configurationDynamic: boolean;
  showDocument: boolean;
}

export function clientFeatures(c: ClientCapabilities): ClientFeatures {
  return {
    pullDiagnostics: !!c.textDocument?.diagnostic,
    configuration: !!c.workspace?.configuration,
    codeLensRefresh: !!c.workspace?.codeLens?.refreshSupport,
    diagnosticRefresh: !!c.workspace?.diagnostics?.refreshSupport,
    lazyCodeLens: !!c.textDocument?.codeLens?.resolveSupport?.properties?.includes('command'),
    documentChanges: !!c.workspace?.workspaceEdit?.documentChanges,
    watchedFilesDynamic: !!c.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    configurationDynamic: !!c.workspace?.didChangeConfiguration?.dynamicRegistration,
    showDocument: !!c.window?.showDocument?.support,
  };
}

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  lints: LintService;
  settings: SettingsStore;
  features: ClientFeatures;
  debounceMs: number;
  /** Charts and kustomizations rendered in the editor (rendered.ts). */
  rendered?: RenderService;
}

/** Run a handler; log and return `fallback` instead of throwing (a bad manifest must never take the server down). */
export async function guard<T>(ctx: Pick<ServerContext, 'connection'>, what: string, fallback: T, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    ctx.connection.console.error(`servelint: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    return fallback;
  }
}
