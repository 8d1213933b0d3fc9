/**
 * The LSP lifecycle spoken as raw JSON-RPC frames over stdio (no client library in between, so malformed
 * frames can be sent): ServerNotInitialized before initialize, InvalidRequest after shutdown, ParseError for
 * a body that is not JSON, MethodNotFound for unknown methods, exit codes 0 / 1.
 */
import { strict as assert } from 'node:assert';
import { spawn, type ChildProcess } from 'child_process';
import { describe, it } from 'node:test';
import { SERVER_MAIN, within } from './helpers/lsp-client';

interface Msg {
  id?: number | string | null;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

class RawClient {
  readonly child: ChildProcess;
  readonly received: Msg[] = [];
  readonly exited: Promise<number | null>;
  private buf = Buffer.alloc(0);
  private waiters: { pred: (m: Msg) => boolean; resolve: (m: Msg) => void }[] = [];

  constructor() {
    this.child = spawn(process.execPath, [SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
    this.child.stdout!.on('data', (b: Buffer) => this.onData(b));
  }

  private onData(b: Buffer): void {
    this.buf = Buffer.concat([this.buf, b]);
    for (;;) {
      const sep = this.buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const len = Number(/Content-Length: (\d+)/i.exec(this.buf.subarray(0, sep).toString())?.[1]);
      if (this.buf.length < sep + 4 + len) return;
      const msg = JSON.parse(this.buf.subarray(sep + 4, sep + 4 + len).toString()) as Msg;
      this.buf = this.buf.subarray(sep + 4 + len);
      this.received.push(msg);
      // Answer the server's own requests (registrations, configuration) like an editor.
      if (msg.method && msg.id !== undefined) this.send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? [{}] : null });
      for (const w of [...this.waiters]) if (w.pred(msg)) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(msg); }
    }
  }

  /** One frame with exactly this body. */
  frame(body: string): void {
    this.child.stdin!.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  }

  send(m: object): void {
    this.frame(JSON.stringify({ jsonrpc: '2.0', ...m }));
  }

  waitFor(pred: (m: Msg) => boolean, what: string): Promise<Msg> {
    const seen = this.received.find(pred);
    if (seen) return Promise.resolve(seen);
    return within(new Promise((resolve) => this.waiters.push({ pred, resolve })), 5000, what);
  }

  response(id: number | string | null, what: string): Promise<Msg> {
    return this.waitFor((m) => m.id === id && m.method === undefined, what);
  }

  async initialize(): Promise<void> {
    this.send({ id: 'init', method: 'initialize', params: { processId: null, rootUri: null, capabilities: {}, initializationOptions: { debounceMs: 0 } } });
    await this.response('init', 'initialize');
    this.send({ method: 'initialized', params: {} });
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill();
  }
}

const MANIFEST = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  template:\n    spec:\n      containers:\n        - name: vllm\n          image: vllm/vllm-openai:v0.6.0\n          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]\n          resources:\n            limits:\n              nvidia.com/gpu: 1\n';
const open = (uri: string, version = 1): object => ({ method: 'textDocument/didOpen', params: { textDocument: { uri, languageId: 'yaml', version, text: MANIFEST } } });

describe('lifecycle over raw JSON-RPC frames', { timeout: 30000 }, () => {
  it('a request before initialize gets -32002 (ServerNotInitialized); notifications then are ignored', async () => {
    const c = new RawClient();
    try {
      c.send({ id: 1, method: 'textDocument/hover', params: { textDocument: { uri: 'file:///a.yaml' }, position: { line: 0, character: 0 } } });
      const r = await c.response(1, 'hover before initialize');
      assert.equal(r.error?.code, -32002, JSON.stringify(r));
      assert.equal('result' in r, false);
      c.send(open('file:///tmp/servelint-raw/early.yaml')); // dropped: the document was never opened
      await c.initialize();
      c.send({ id: 2, method: 'textDocument/codeLens', params: { textDocument: { uri: 'file:///tmp/servelint-raw/early.yaml' } } });
      assert.deepEqual((await c.response(2, 'codeLens')).result, []);
      c.send({ id: 3, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      assert.equal((await c.response(3, 'second initialize')).error?.code, -32600);
    } finally {
      c.kill();
    }
  });

  it('malformed JSON gets -32700 (id null), other invalid messages -32600, unknown methods -32601; the server keeps running', async () => {
    const c = new RawClient();
    try {
      await c.initialize();
      c.frame('{"jsonrpc": "2.0", "id": 7, "method": "textDocument/hover", "params": {'); // truncated body
      const parse = await c.waitFor((m) => m.error?.code === -32700, 'ParseError reply');
      assert.equal(parse.id, null);
      assert.match(parse.error!.message, /^Parse error: /);
      c.frame('[1, 2, 3]');
      const invalid = await c.waitFor((m) => m.error?.code === -32600, 'InvalidRequest reply');
      assert.equal(invalid.id, null);
      c.send({ id: 8, method: 'servelint/noSuchThing', params: {} });
      assert.equal((await c.response(8, 'unknown method')).error?.code, -32601);
      c.send({ id: 9, method: 'textDocument/codeLens', params: { textDocument: { uri: 'file:///nope.yaml' } } });
      assert.deepEqual((await c.response(9, 'still answering')).result, []);
      assert.equal(c.child.exitCode, null, 'still running');
    } finally {
      c.kill();
    }
  });

  it('after shutdown: requests get -32600, no diagnostics are published, exit ends with 0', async () => {
    const c = new RawClient();
    try {
      await c.initialize();
      const uri = 'file:///tmp/servelint-raw/a.yaml';
      c.send(open(uri));
      await c.waitFor((m) => m.method === 'textDocument/publishDiagnostics' && (m.params as { uri: string }).uri === uri, 'diagnostics while running');
      c.send({ id: 's', method: 'shutdown' });
      assert.equal((await c.response('s', 'shutdown')).result, null);
      const before = c.received.length;
      c.send({ id: 10, method: 'textDocument/hover', params: { textDocument: { uri }, position: { line: 0, character: 0 } } });
      assert.equal((await c.response(10, 'hover after shutdown')).error?.code, -32600);
      c.send(open('file:///tmp/servelint-raw/b.yaml'));
      c.send({ method: 'textDocument/didChange', params: { textDocument: { uri, version: 2 }, contentChanges: [{ text: MANIFEST + '# edit\n' }] } });
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(c.received.slice(before).filter((m) => m.method === 'textDocument/publishDiagnostics'), []);
      c.send({ method: 'exit' });
      assert.equal(await within(c.exited, 5000, 'exit'), 0);
    } finally {
      c.kill();
    }
  });

  it('exit without shutdown ends with 1; so does closing stdin', async () => {
    const a = new RawClient();
    const b = new RawClient();
    try {
      await a.initialize();
      a.send({ method: 'exit' });
      assert.equal(await within(a.exited, 5000, 'exit without shutdown'), 1);
      await b.initialize();
      b.child.stdin!.end();
      assert.equal(await within(b.exited, 5000, 'stdin closed'), 1);
    } finally {
      a.kill();
      b.kill();
    }
  });
});
