/**
 * A minimal LSP client for protocol tests: spawns the built server over stdio and answers the server's
 * requests (workspace/configuration, client/registerCapability, refresh requests) like an editor would.
 */
import { spawn, type ChildProcess } from 'child_process';
import * as path from 'path';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

/** The server under test; SERVELINT_SERVER=client/dist/server.js runs the suite against the bundle. */
export const SERVER_MAIN = path.resolve(process.env.SERVELINT_SERVER ?? path.resolve(__dirname, '../../../server/src/lsp/main.js'));

export interface TestClient {
  conn: ProtocolConnection;
  child: ChildProcess;
  /** What workspace/configuration answers for section `servelint`. */
  settings: Record<string, unknown>;
  /** Every publishDiagnostics received, in order. */
  published: PublishDiagnosticsParams[];
  refreshes: string[];
  logs: string[];
  stderr: string[];
  /** Resolves with the first publishDiagnostics for `uri` (after `afterIndex`) that satisfies `pred`. */
  waitForDiagnostics(uri: string, pred?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  exited: Promise<number | null>;
  kill(): void;
}

export function capabilities(opts: { pull: boolean; lazyCodeLens?: boolean; configuration?: boolean }): ClientCapabilities {
  return {
    workspace: {
      configuration: opts.configuration ?? true,
      didChangeConfiguration: { dynamicRegistration: true },
      didChangeWatchedFiles: { dynamicRegistration: true },
      workspaceEdit: { documentChanges: true },
      codeLens: { refreshSupport: true },
      ...(opts.pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
    textDocument: {
      synchronization: { dynamicRegistration: false },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      codeLens: opts.lazyCodeLens === false ? {} : { resolveSupport: { properties: ['command'] } },
      codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source.fixAll'] } }, isPreferredSupport: true },
      publishDiagnostics: { versionSupport: true, codeDescriptionSupport: true },
      ...(opts.pull ? { diagnostic: { dynamicRegistration: false, relatedDocumentSupport: false } } : {}),
    },
    window: { showDocument: { support: true } },
  };
}

export async function startServer(opts: { pull: boolean; lazyCodeLens?: boolean; debounceMs?: number; settings?: Record<string, unknown>; configuration?: boolean; workspaceTrusted?: boolean; serverMain?: string; env?: NodeJS.ProcessEnv }): Promise<TestClient> {
  const child = spawn(process.execPath, [opts.serverMain ?? SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}) });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const published: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; pred: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const client: TestClient = {
    conn,
    child,
    settings: opts.settings ?? {},
    published,
    refreshes: [],
    logs: [],
    stderr: [],
    exited,
    waitForDiagnostics(uri, pred = () => true, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching publishDiagnostics for ${uri} within ${timeoutMs} ms; got ${JSON.stringify(published.filter((p) => p.uri === uri).map((p) => p.diagnostics.map((d) => d.code)))}; logs: ${client.logs.join(' | ')}`)), timeoutMs);
        waiters.push({ uri, pred, resolve: (p) => { clearTimeout(timer); resolve(p); } });
      });
    },
    kill() {
      if (child.exitCode === null && !child.killed) child.kill();
      conn.dispose();
    },
  };
  child.stderr!.on('data', (b: Buffer) => client.stderr.push(b.toString()));
  conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    published.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.pred(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  conn.onNotification('window/logMessage', (p: { message: string }) => { client.logs.push(p.message); });
  conn.onNotification('window/showMessage', (p: { message: string }) => { client.logs.push(p.message); });
  conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'servelint' ? client.settings : null)));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('workspace/codeLens/refresh', () => { client.refreshes.push('codeLens'); return null; });
  conn.onRequest('workspace/diagnostic/refresh', () => { client.refreshes.push('diagnostic'); return null; });
  conn.onRequest('window/showDocument', () => ({ success: true }));
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: null,
    capabilities: capabilities(opts),
    initializationOptions: { debounceMs: opts.debounceMs ?? 20, ...(opts.workspaceTrusted !== undefined ? { workspaceTrusted: opts.workspaceTrusted } : {}) },
  });
  await conn.sendNotification('initialized', {});
  return client;
}

/** Reject after `ms` so a hung server fails the test with a message instead of the runner's timeout. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
