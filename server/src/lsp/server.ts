/**
 * The servelint language server: `startServer()` wires the handlers to a connection. `createConnection(ProposedFeatures.all)`
 * picks the transport from the command line (--stdio, --node-ipc, --socket=N). Wiring only: analysis is the engine's.
 * main.ts starts it with the built-in rules; tests start it with others (a rule that throws).
 */
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  createConnection,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { registerCodeActions } from './codeActions';
import { registerCodeLens } from './codeLens';
import { registerCommands, SERVER_COMMANDS } from './commands';
import { clientFeatures, guard, type ServerContext } from './context';
import { registerCostWhatIf } from './costWhatIf';
import { forgetConverted, PushDiagnostics, registerPullDiagnostics } from './diagnostics';
import { registerHover } from './hover';
import { LintService } from './lintService';
import { ALL_RULES, type Rule } from '..';
import { VERSION } from '../version';
import { FIX_ALL_KIND, type InitializationOptions } from './protocol';
import { RenderService, type RenderSettings } from './rendered';
import { isConfigFileUri, SettingsStore, type EditorSettings } from './settings';
import { attachStdio, transportFromArgs } from './transport';

export interface ServerOptions {
  /** The rules to run (default: the built-in ones). */
  rules?: readonly Rule[];
}

export function startServer(options: ServerOptions = {}): void {
  // The transport is built here (not by createConnection) so the lifecycle rules sit in front of every handler.
  const transport = transportFromArgs();
  const connection = transport ? createConnection(ProposedFeatures.all, transport.reader, transport.writer) : createConnection(ProposedFeatures.all);
  if (transport) attachStdio(transport, connection);
  // Edits go through the lint service, which records where each lands (see LintService.update).
  const documents = new TextDocuments<TextDocument>({ create: TextDocument.create, update: (doc, changes, version) => ctx.lints.update(doc, changes, version) });
  const ctx = { connection, documents, debounceMs: 50, features: clientFeatures({}) } as ServerContext;
  ctx.settings = new SettingsStore(connection, () => ctx.features.configuration);
  ctx.lints = new LintService(documents, ctx.settings, options.rules ?? ALL_RULES);
  const push = new PushDiagnostics(ctx);
  ctx.rendered = new RenderService(ctx, (uris) => void guard(ctx, 'refresh', undefined, () => relint(uris)));

  connection.onInitialize((params): InitializeResult => {
    ctx.features = clientFeatures(params.capabilities);
    const init = (params.initializationOptions ?? {}) as InitializationOptions;
    if (typeof init.debounceMs === 'number' && init.debounceMs >= 0) ctx.debounceMs = init.debounceMs;
    ctx.settings.workspaceTrusted = init.workspaceTrusted !== false;
    ctx.rendered!.trusted = ctx.settings.workspaceTrusted;
    ctx.rendered!.initial = { render: init.render, helm: init.helm } as RenderSettings;
    const clientCommands = new Set(Array.isArray(init.clientCommands) ? init.clientCommands : []);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: true },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
        executeCommandProvider: { commands: SERVER_COMMANDS.filter((c) => !clientCommands.has(c)) },
        ...(ctx.features.pullDiagnostics
          ? { diagnosticProvider: { identifier: 'servelint', interFileDependencies: false, workspaceDiagnostics: false } }
          : {}),
      },
      serverInfo: { name: 'servelint', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    void guard(ctx, 'dynamic registration', undefined, async () => {
      if (ctx.features.configurationDynamic) await connection.client.register(DidChangeConfigurationNotification.type, { section: 'servelint' });
      if (ctx.features.watchedFilesDynamic) {
        await connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/.servelint.{yaml,yml}' }] });
      }
    });
  });

  /** Settings or a .servelint.yaml changed: everything open is re-linted and the client asked to refresh. */
  function refreshAll(): void {
    void guard(ctx, 'refresh', undefined, async () => {
      await relint(documents.all().map((d) => d.uri));
      if (ctx.features.codeLensRefresh) await connection.sendRequest(CodeLensRefreshRequest.type);
    });
  }

  /** Diagnostics of these open documents are out of date: ask a pulling client to pull again, or push anew. */
  async function relint(uris: string[]): Promise<void> {
    if (ctx.features.pullDiagnostics) {
      if (ctx.features.diagnosticRefresh) await connection.languages.diagnostics.refresh();
    } else {
      for (const uri of uris) if (documents.get(uri)) push.schedule(uri, 0);
    }
  }

  documents.onDidOpen((e) => ctx.rendered!.opened(e.document.uri));
  documents.onDidSave((e) => ctx.rendered!.saved(e.document.uri));

  documents.onDidChangeContent((change) => {
    // An open .servelint.yaml gets its own (config) diagnostics; its settings apply once saved (didChangeWatchedFiles).
    if (!ctx.features.pullDiagnostics) push.schedule(change.document.uri);
  });

  const pulled = registerPullDiagnostics(ctx);
  documents.onDidClose((e) => {
    pulled.forget(e.document.uri);
    forgetConverted(e.document.uri);
    ctx.lints.forget(e.document.uri);
    ctx.settings.forget(e.document.uri);
    if (!ctx.features.pullDiagnostics) push.closed(e.document.uri);
  });

  connection.onDidChangeConfiguration((params) => {
    // A client that pushes its settings sends all of them: no `servelint` section means the defaults again. A null
    // payload (VS Code's "pull again" signal) leaves the pushed settings alone.
    const all = params?.settings as { servelint?: EditorSettings | null } | null | undefined;
    const s = all !== null && typeof all === 'object' ? (all.servelint ?? {}) : undefined;
    ctx.settings.changed(ctx.features.configuration ? undefined : s);
    refreshAll();
    ctx.rendered!.settingsChanged();
  });

  connection.onDidChangeWatchedFiles((params) => {
    if (params.changes.some((c) => isConfigFileUri(c.uri))) {
      ctx.settings.changed();
      refreshAll();
    }
  });

  registerHover(ctx, connection);
  registerCodeLens(ctx, connection);
  registerCodeActions(ctx, connection);
  registerCommands(ctx, connection);
  registerCostWhatIf(ctx, connection);

  process.on('uncaughtException', (e) => connection.console.error(`servelint: uncaught: ${e.stack ?? e.message}`));
  process.on('unhandledRejection', (e) => connection.console.error(`servelint: unhandled rejection: ${String(e)}`));

  documents.listen(connection);
  connection.listen();
}
