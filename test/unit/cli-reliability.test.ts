/**
 * The CLI's sharp edges, each run through the real bin (spawned, with a timeout, so a regression that hangs
 * fails instead of blocking the suite): FIFOs, unwritable files with --fix, alias bombs in the config,
 * encodings, one line on stderr per problem, EPIPE.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn, spawnSync, type SpawnSyncOptions } from 'child_process';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'server', 'bin', 'servelint.js');
const MANIFEST = fs.readFileSync(path.join(ROOT, 'examples', 'vllm-default-grace.yaml'), 'utf8');

interface Run {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

/** The real CLI; a short read timeout for non-regular files keeps the FIFO cases fast. */
function servelint(args: string[], cwd: string, extra: SpawnSyncOptions = {}): Run {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [BIN, '--no-cost', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 15000,
    env: { ...process.env, SERVELINT_READ_TIMEOUT_MS: '400', NO_COLOR: '1' },
    ...extra,
  });
  assert.notEqual(r.signal, 'SIGTERM', `servelint ${args.join(' ')} hung (killed after 15 s)`);
  return { code: r.status, out: String(r.stdout), err: String(r.stderr), ms: Date.now() - t0 };
}

function tmpdir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-rel-'));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Exactly one line on stderr, no stack trace. */
function oneStderrLine(r: Run, re: RegExp): void {
  assert.equal(r.err.split('\n').filter(Boolean).length, 1, `expected one stderr line, got:\n${r.err}`);
  assert.match(r.err, re);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
}

test('a FIFO inside a linted directory is skipped with a warning; the other files are linted', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'a.yaml'), MANIFEST);
  spawnSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
  const r = servelint(['-f', 'json', '.'], dir);
  assert.equal(r.code, 1, r.err);
  assert.equal(r.err, `servelint: warning: skipped ${path.join(dir, 'pipe.yaml')}: a FIFO, not a regular file\n`);
  assert.equal((JSON.parse(r.out) as { findings: unknown[] }).findings.length, 3);
});

test('a FIFO given as a path: no writer → one-line error within the time bound, exit 2', () => {
  const dir = tmpdir();
  spawnSync('mkfifo', [path.join(dir, 'p.yaml')]);
  const r = servelint(['p.yaml'], dir);
  assert.equal(r.code, 2);
  oneStderrLine(r, /^servelint: p\.yaml: a FIFO did not reach its end within 0\.4 s \(nothing is writing to it\?\)\n$/);
  assert.ok(r.ms < 10000, `${r.ms} ms`);
});

test('a FIFO given as a path with a writer is read and linted (e.g. servelint <(helm template ...))', async () => {
  const dir = tmpdir();
  const fifo = path.join(dir, 'p.yaml');
  spawnSync('mkfifo', [fifo]);
  const child = spawn(process.execPath, [BIN, '-f', 'json', fifo], { cwd: dir, env: { ...process.env, SERVELINT_READ_TIMEOUT_MS: '10000' } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  const writer = fs.createWriteStream(fifo); // opens once the CLI opens the FIFO for reading
  writer.end(MANIFEST);
  const timer = setTimeout(() => child.kill(), 15000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  assert.equal(code, 1);
  assert.equal((JSON.parse(out) as { findings: unknown[] }).findings.length, 3);
});

test('--fix on a FIFO prints the fixes as a diff instead of writing into the pipe', async () => {
  const dir = tmpdir();
  const fifo = path.join(dir, 'p.yaml');
  spawnSync('mkfifo', [fifo]);
  const child = spawn(process.execPath, [BIN, '--fix', '--no-cost', 'p.yaml'], { cwd: dir, env: { ...process.env, SERVELINT_READ_TIMEOUT_MS: '10000' } });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  fs.createWriteStream(fifo).end(MANIFEST);
  const timer = setTimeout(() => child.kill(), 15000);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(timer);
  assert.equal(code, 1, 'the findings are reported unfixed');
  assert.match(out, /^--- a\/p\.yaml\n\+\+\+ b\/p\.yaml\n@@ /);
  assert.match(out, /^\+ {6}terminationGracePeriodSeconds: \d+$/m);
});

test('-c <fifo>: one-line config error within the time bound, exit 2', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'a.yaml'), MANIFEST);
  spawnSync('mkfifo', [path.join(dir, 'cfg')]);
  const r = servelint(['-c', 'cfg', 'a.yaml'], dir);
  assert.equal(r.code, 2);
  oneStderrLine(r, /^servelint: .*cfg:1:1: Cannot read config file .*cfg: a FIFO did not reach its end within 0\.4 s/);
});

test('--fix on a read-only file: one line on stderr, exit 2, the other file still fixed and reported', () => {
  const dir = tmpdir();
  const ro = path.join(dir, 'ro.yaml');
  const rw = path.join(dir, 'rw.yaml');
  fs.writeFileSync(ro, MANIFEST);
  fs.writeFileSync(rw, MANIFEST);
  fs.chmodSync(ro, 0o444);
  // root may write anywhere: run as nobody then, owning the writable file.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(rw, 65534, 65534);
  const r = servelint(['--fix', '-f', 'json', 'ro.yaml', 'rw.yaml'], dir, asRoot ? { uid: 65534, gid: 65534 } : {});
  assert.equal(r.code, 2);
  oneStderrLine(r, /^servelint: ro\.yaml: cannot write the fixes: EACCES: permission denied, open '.*ro\.yaml'\n$/);
  const j = JSON.parse(r.out) as { findings: { file: string }[] };
  assert.equal(j.findings.filter((f) => f.file === 'ro.yaml').length, 3, 'the unfixed file is still reported');
  assert.equal(j.findings.filter((f) => f.file === 'rw.yaml').length, 0);
  assert.equal(fs.readFileSync(ro, 'utf8'), MANIFEST);
  assert.notEqual(fs.readFileSync(rw, 'utf8'), MANIFEST);
});

test('an alias bomb in .servelint.yaml: one config error, exit 2, no stack trace', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'a.yaml'), MANIFEST);
  const rows = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (const [name, prev] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) rows.push(`${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`);
  fs.writeFileSync(path.join(dir, '.servelint.yaml'), rows.join('\n') + '\n');
  for (const fmt of ['text', 'json']) {
    const r = servelint(['-f', fmt, 'a.yaml', 'a.yaml'], dir);
    assert.equal(r.code, 2);
    oneStderrLine(r, /^servelint: .*\.servelint\.yaml:1:1: \.servelint\.yaml: YAML aliases expand to too many nodes \(a "billion laughs" file\?\); the file is ignored\n$/);
  }
});

test('encodings: UTF-8 BOM, UTF-16 LE/BE with BOM are linted like UTF-8; --fix keeps the encoding', () => {
  const dir = tmpdir();
  const utf16 = Buffer.from(MANIFEST, 'utf16le');
  fs.writeFileSync(path.join(dir, 'bom8.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(MANIFEST)]));
  fs.writeFileSync(path.join(dir, 'le.yaml'), Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]));
  fs.writeFileSync(path.join(dir, 'be.yaml'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(utf16).swap16()]));
  const plain = JSON.parse(servelint(['-f', 'json', '-'], dir, { input: MANIFEST }).out) as { findings: { rule: string; line: number; column: number }[] };
  const key = (fs: { rule: string; line: number; column: number }[]): string[] => fs.map((f) => `${f.rule}@${f.line}:${f.column}`);
  for (const name of ['bom8.yaml', 'le.yaml', 'be.yaml']) {
    const r = servelint(['-f', 'json', name], dir);
    assert.equal(r.code, 1, `${name}: ${r.err}`);
    assert.deepEqual(key((JSON.parse(r.out) as typeof plain).findings), key(plain.findings), name);
  }
  const fixed = servelint(['--fix', 'le.yaml', 'be.yaml'], dir);
  assert.equal(fixed.code, 0, fixed.err);
  const le = fs.readFileSync(path.join(dir, 'le.yaml'));
  const be = fs.readFileSync(path.join(dir, 'be.yaml'));
  assert.deepEqual([...le.subarray(0, 2)], [0xff, 0xfe]);
  assert.deepEqual([...be.subarray(0, 2)], [0xfe, 0xff]);
  assert.match(le.subarray(2).toString('utf16le'), /terminationGracePeriodSeconds: \d+/);
  assert.equal(Buffer.from(be.subarray(2)).swap16().toString('utf16le'), le.subarray(2).toString('utf16le'));
  // A BOM on standard input is handled too.
  const stdinBom = servelint(['-f', 'json', '-'], dir, { input: Buffer.concat([Buffer.from([0xff, 0xfe]), utf16]) });
  assert.deepEqual(key((JSON.parse(stdinBom.out) as typeof plain).findings), key(plain.findings));
});

test('encodings: UTF-32 and binary files are one-line errors (exit 2), not "no problems"', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'u32le.yaml'), Buffer.from([0xff, 0xfe, 0, 0, 0x61, 0, 0, 0]));
  fs.writeFileSync(path.join(dir, 'u32be.yaml'), Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x61]));
  fs.writeFileSync(path.join(dir, 'bin.yaml'), Buffer.from('kind: Deployment\n\0\x01\x02'));
  const cases: [string, RegExp][] = [
    ['u32le.yaml', /^servelint: u32le\.yaml: encoded as UTF-32 LE \(byte order mark FF FE 00 00\), which servelint does not read: save it as UTF-8\n$/],
    ['u32be.yaml', /^servelint: u32be\.yaml: encoded as UTF-32 BE \(byte order mark 00 00 FE FF\)/],
    ['bin.yaml', /^servelint: bin\.yaml: looks binary \(NUL byte at offset 17\): servelint reads UTF-8, or UTF-16 with a byte order mark\n$/],
  ];
  for (const [name, re] of cases) {
    const r = servelint([name], dir);
    assert.equal(r.code, 2, name);
    oneStderrLine(r, re);
    assert.doesNotMatch(r.out, /servelint:/, 'the error is not on stdout');
  }
});

test('every error path: one line on stderr (also in text mode), exit 2', () => {
  const dir = tmpdir();
  const cases: [string[], RegExp][] = [
    [['--format', 'xml', '.'], /^servelint: unknown format "xml" \(text, json, sarif, github, junit, markdown\) \(servelint --help lists the options\)\n$/],
    [[], /^servelint: no paths given/],
    [['missing.yaml'], /^servelint: .*missing\.yaml: no such file or directory\n$/],
    [['-c', 'nope.yaml', '-'], /^servelint: .*nope\.yaml:1:1: Cannot read config file .*nope\.yaml: ENOENT/],
  ];
  for (const [args, re] of cases) {
    for (const fmt of ['text', 'json']) {
      const r = servelint(args[0] === '--format' ? args : ['-f', fmt, ...args], dir, { input: '' });
      assert.equal(r.code, 2, args.join(' '));
      oneStderrLine(r, re);
      if (fmt === 'text') assert.doesNotMatch(r.out, /no such file|Cannot read/, 'not on stdout'); // json also lists them under "errors"
    }
  }
});

test('EPIPE: piping into a reader that stops early ends quietly with the computed exit code', async () => {
  const dir = tmpdir();
  for (let i = 0; i < 150; i++) fs.writeFileSync(path.join(dir, `m${i}.yaml`), MANIFEST); // well over a pipe buffer of JSON
  const child = spawn(process.execPath, [BIN, '-f', 'json', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  // Like `| head -1`: read the first chunk, then close the pipe.
  child.stdout.once('data', () => child.stdout.destroy());
  const timer = setTimeout(() => child.kill(), 15000);
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearTimeout(timer);
  assert.equal(signal, null);
  assert.equal(code, 1, err);
  assert.equal(err, '');
});

test('docsBaseUrl: only https:// is accepted; anything else is one config error naming the field, default links kept', () => {
  const dir = tmpdir();
  fs.writeFileSync(path.join(dir, 'a.yaml'), MANIFEST);
  const docs = (r: Run): string[] => [...new Set((JSON.parse(r.out) as { findings: { docsUrl: string }[] }).findings.map((f) => f.docsUrl.replace(/[^/]+\.md$/, '')))];
  fs.writeFileSync(path.join(dir, '.servelint.yaml'), 'docsBaseUrl: https://wiki.example.com/rules\n');
  const ok = servelint(['-f', 'json', 'a.yaml'], dir);
  assert.equal(ok.code, 1, ok.err);
  assert.deepEqual(docs(ok), ['https://wiki.example.com/rules/']);
  for (const bad of ['http://wiki.example.com/rules', 'javascript:alert(1)', 'file:///etc/passwd', '//evil.example.com']) {
    fs.writeFileSync(path.join(dir, '.servelint.yaml'), `docsBaseUrl: "${bad}"\n`);
    const r = servelint(['-f', 'json', 'a.yaml'], dir);
    assert.equal(r.code, 2, bad);
    oneStderrLine(r, /^servelint: .*\.servelint\.yaml:1:14: \.servelint\.yaml: docsBaseUrl must be an https:\/\/ URL \(got ".*"\); the default documentation links are used\.\n$/);
    assert.deepEqual(docs(r), ['https://github.com/servelint/servelint/blob/main/docs/rules/'], bad);
  }
});
