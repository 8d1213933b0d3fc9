/**
 * Reading manifests and config files from disk. Regular files are read whole; anything else given explicitly
 * (a FIFO, a character device, /dev/fd/N from `<(...)`) is read without blocking, within a size and a time
 * bound, so servelint never hangs on a pipe nobody writes to. Bytes are decoded by their byte order mark:
 * UTF-8 (BOM stripped), UTF-16 LE/BE; UTF-32 and binary files (NUL bytes, no BOM) are errors.
 * Every error is a ReadError whose message is one line.
 */
import * as fs from 'fs';

export class ReadError extends Error {}

export interface ReadLimits {
  /** Most bytes read from a non-regular file. */
  maxBytes: number;
  /** How long a non-regular file may take to reach its end. */
  timeoutMs: number;
}

const envTimeout = Number(process.env.SERVELINT_READ_TIMEOUT_MS);
export const READ_LIMITS: ReadLimits = {
  maxBytes: 16 * 1024 * 1024,
  timeoutMs: Number.isFinite(envTimeout) && envTimeout > 0 ? envTimeout : 5000,
};

export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be';

export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/** 'a FIFO', 'a socket', ... for messages; undefined for regular files and directories. */
export function specialKind(st: fs.Stats | fs.Dirent): string | undefined {
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return undefined;
}

/** The file's bytes. Throws ReadError (one-line message) for directories, over-long or never-ending special files. */
export function readBytes(file: string, limits: ReadLimits = READ_LIMITS): Buffer {
  const st = fs.statSync(file);
  if (st.isDirectory()) throw new ReadError('is a directory');
  if (st.isFile()) return fs.readFileSync(file);
  return readSpecial(file, specialKind(st) ?? 'a special file', st.isFIFO(), limits);
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => void Atomics.wait(SLEEPER, 0, 0, ms);

function readSpecial(file: string, kind: string, fifo: boolean, limits: ReadLimits): Buffer {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const deadline = Date.now() + limits.timeoutMs;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      let n = -1;
      try {
        n = fs.readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      }
      if (n > 0) {
        total += n;
        if (total > limits.maxBytes) throw new ReadError(`${kind} gave more than ${limits.maxBytes} bytes, the most servelint reads from a non-regular file`);
        chunks.push(Buffer.from(buf.subarray(0, n)));
        continue;
      }
      // End of input. A FIFO also reads as ended before its writer has opened it: wait for data then.
      if (n === 0 && (!fifo || total > 0)) break;
      if (Date.now() >= deadline) {
        throw new ReadError(`${kind} did not reach its end within ${limits.timeoutMs / 1000} s${fifo && total === 0 ? ' (nothing is writing to it?)' : ''}`);
      }
      sleep(10);
    }
    return Buffer.concat(chunks);
  } finally {
    fs.closeSync(fd);
  }
}

const startsWith = (b: Buffer, bom: number[]): boolean => b.length >= bom.length && bom.every((x, i) => b[i] === x);

/** Decode by byte order mark. Throws ReadError for UTF-32, odd-length UTF-16 and binary (NUL bytes without a BOM). */
export function decodeText(bytes: Buffer): DecodedText {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { text: bytes.toString('utf8', 3), encoding: 'utf8-bom' };
  if (startsWith(bytes, [0xff, 0xfe, 0, 0])) throw new ReadError('encoded as UTF-32 LE (byte order mark FF FE 00 00), which servelint does not read: save it as UTF-8');
  if (startsWith(bytes, [0, 0, 0xfe, 0xff])) throw new ReadError('encoded as UTF-32 BE (byte order mark 00 00 FE FF), which servelint does not read: save it as UTF-8');
  const le = startsWith(bytes, [0xff, 0xfe]);
  if (le || startsWith(bytes, [0xfe, 0xff])) {
    if (bytes.length % 2 !== 0) throw new ReadError(`encoded as UTF-16 ${le ? 'LE' : 'BE'} but has an odd number of bytes (truncated?)`);
    const body = Buffer.from(bytes.subarray(2));
    if (!le) body.swap16();
    return { text: body.toString('utf16le'), encoding: le ? 'utf16le' : 'utf16be' };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) throw new ReadError(`looks binary (NUL byte at offset ${nul}): servelint reads UTF-8, or UTF-16 with a byte order mark`);
  return { text: bytes.toString('utf8'), encoding: 'utf8' };
}

/** The bytes to write `text` back in the encoding it was read in (BOM included). */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  switch (encoding) {
    case 'utf8':
      return Buffer.from(text, 'utf8');
    case 'utf8-bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
    case 'utf16le':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    case 'utf16be':
      return Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);
  }
}

/** readBytes + decodeText. */
export function readText(file: string, limits: ReadLimits = READ_LIMITS): DecodedText {
  return decodeText(readBytes(file, limits));
}

/** First line of an error's message (fs and parser messages can span lines). */
export function oneLine(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return (s.split('\n').find((l) => l.trim()) ?? s).trim();
}
