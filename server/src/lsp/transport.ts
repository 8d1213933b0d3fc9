/**
 * The server's transport (--stdio, --node-ipc, --socket=N, --pipe=NAME, as vscode-languageserver picks it) with
 * the LSP lifecycle enforced in front of the handlers, which vscode-languageserver does not do itself:
 * - a request before `initialize` gets ServerNotInitialized (-32002), notifications then are dropped (not `exit`);
 * - a second `initialize` and any request after `shutdown` get InvalidRequest (-32600), notifications after
 *   `shutdown` are dropped (not `exit`), and no more diagnostics are published;
 * - a frame whose body is not JSON gets ParseError (-32700, id null) and the connection keeps going (stream
 *   transports); a JSON value that is not a JSON-RPC message gets InvalidRequest.
 * Unknown request methods already get MethodNotFound (-32601) from vscode-jsonrpc; `exit` already ends the
 * process with 0 after `shutdown` and 1 without.
 */
import {
  createServerPipeTransport,
  createServerSocketTransport,
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  Message,
  StreamMessageReader,
  StreamMessageWriter,
  type ContentTypeDecoder,
  type DataCallback,
  type Disposable,
  type MessageReader,
  type MessageWriter,
  type ResponseMessage,
  type Connection,
} from 'vscode-languageserver/node';
import { format } from 'util';

/** Stands for a frame whose body did not parse; replaced by a ParseError reply before the connection sees it. */
interface Unparsable {
  jsonrpc: '2.0';
  servelintParseError: string;
}

/** application/json, except that a body JSON.parse rejects becomes an Unparsable instead of a reader error. */
const lenientJson: ContentTypeDecoder = {
  name: 'application/json',
  decode(buffer, options) {
    try {
      return Promise.resolve(JSON.parse(Buffer.from(buffer).toString(options.charset)) as Message);
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      return Promise.resolve({ jsonrpc: '2.0', servelintParseError: reason } as Unparsable as unknown as Message);
    }
  },
};

type Phase = 'new' | 'running' | 'shutdown';

export class Lifecycle {
  phase: Phase = 'new';

  /** What to do with an incoming message: pass it on, drop it, or answer it here. */
  screen(m: unknown): 'pass' | 'drop' | ResponseMessage {
    const reply = (id: unknown, code: number, message: string): ResponseMessage => ({
      jsonrpc: '2.0',
      id: typeof id === 'string' || typeof id === 'number' ? id : null,
      error: { code, message },
    });
    if (m && typeof m === 'object' && 'servelintParseError' in m) return reply(null, ErrorCodes.ParseError, `Parse error: ${(m as Unparsable).servelintParseError}`);
    const msg = m as Message;
    if (Message.isResponse(msg)) return 'pass';
    if (Message.isNotification(msg)) {
      if (msg.method === 'exit') return 'pass';
      return this.phase === 'running' ? 'pass' : 'drop';
    }
    if (!Message.isRequest(msg)) {
      return reply((m as { id?: unknown } | null)?.id, ErrorCodes.InvalidRequest, 'Invalid request: not a JSON-RPC 2.0 request, notification or response');
    }
    if (this.phase === 'shutdown') return reply(msg.id, ErrorCodes.InvalidRequest, `The server is shut down: ${msg.method} refused (only exit is accepted)`);
    if (msg.method === 'initialize') {
      if (this.phase !== 'new') return reply(msg.id, ErrorCodes.InvalidRequest, 'initialize was already received');
      this.phase = 'running';
      return 'pass';
    }
    if (this.phase === 'new') return reply(msg.id, ErrorCodes.ServerNotInitialized, `Server not initialized: ${msg.method} before initialize`);
    if (msg.method === 'shutdown') this.phase = 'shutdown';
    return 'pass';
  }

  reader(inner: MessageReader, writer: MessageWriter): MessageReader {
    return {
      onError: inner.onError,
      onClose: inner.onClose,
      onPartialMessage: inner.onPartialMessage,
      dispose: () => inner.dispose(),
      listen: (callback: DataCallback): Disposable =>
        inner.listen((m) => {
          const verdict = this.screen(m);
          if (verdict === 'pass') callback(m);
          else if (verdict !== 'drop') writer.write(verdict).catch(() => undefined);
        }),
    };
  }

  writer(inner: MessageWriter): MessageWriter {
    return {
      onError: inner.onError,
      onClose: inner.onClose,
      end: () => inner.end(),
      dispose: () => inner.dispose(),
      write: (m: Message): Promise<void> => {
        // Shut down: nothing more is published (a debounced lint may still finish).
        if (this.phase === 'shutdown' && Message.isNotification(m) && m.method === 'textDocument/publishDiagnostics') return Promise.resolve();
        return inner.write(m);
      },
    };
  }
}

export interface Transport {
  reader: MessageReader;
  writer: MessageWriter;
  lifecycle: Lifecycle;
  stdio: boolean;
}

/** The transport named on the command line, wrapped in the lifecycle checks; undefined when none is named. */
export function transportFromArgs(argv: string[] = process.argv.slice(2)): Transport | undefined {
  let pair: [MessageReader, MessageWriter] | undefined;
  let stdio = false;
  for (let i = 0; i < argv.length && !pair; i++) {
    const [flag, inline] = (argv[i] ?? '').split('=', 2) as [string, string | undefined];
    const value = inline ?? argv[i + 1];
    if (flag === '--stdio') {
      stdio = true;
      pair = [new StreamMessageReader(process.stdin, { charset: 'utf-8', contentTypeDecoder: lenientJson }), new StreamMessageWriter(process.stdout)];
    } else if (flag === '--node-ipc') pair = [new IPCMessageReader(process), new IPCMessageWriter(process)];
    else if (flag === '--socket' && value && Number(value) > 0) pair = createServerSocketTransport(Number(value));
    else if (flag === '--pipe' && value) pair = createServerPipeTransport(value);
  }
  if (!pair) return undefined;
  const lifecycle = new Lifecycle();
  const writer = lifecycle.writer(pair[1]);
  return { reader: lifecycle.reader(pair[0], writer), writer, lifecycle, stdio };
}

/**
 * What vscode-languageserver does itself only when it creates the stdio streams: end the process when the
 * client closes stdin (0 after shutdown, else 1), and keep console output off stdout, the protocol channel.
 */
export function attachStdio(transport: Transport, connection: Connection): void {
  if (!transport.stdio) return;
  const end = (): never => process.exit(transport.lifecycle.phase === 'shutdown' ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  const to = (log: (s: string) => void) => (...args: unknown[]): void => log(format(...args));
  console.log = to((s) => connection.console.log(s));
  console.info = to((s) => connection.console.info(s));
  console.debug = to((s) => connection.console.log(s));
  console.warn = to((s) => connection.console.warn(s));
  console.error = to((s) => connection.console.error(s));
}
