/**
 * The linted files' reports between linting and formatting, in output order. Each report is one record: the parts
 * the format already rendered (format/prepare.ts) as UTF-8 bytes, and the rest of the report serialised
 * (v8.serialize: the structured clone format, so numbers, undefined and nesting come back exactly). Past
 * MEMORY_BYTES records go to a temporary file, so a run's memory stays bounded whatever the size of its input and
 * output. Iterating reads them back one at a time (any number of times: a format may read them in several passes);
 * a report's parts come back as bytes that are written out as they are (never decoded and encoded again).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import { addTotals, emptyTotals, fileCounts, type FileCounts, type FileReport, type Totals } from './format/types';

const MEMORY_BYTES = 8 * 1024 * 1024;
const READ_CHUNK = 1024 * 1024;

export class ReportStore implements Iterable<FileReport> {
  readonly totals: Totals = emptyTotals();
  private buffers: Uint8Array[] = [];
  private bytes = 0;
  private spill?: { dir: string; fd: number; size: number };

  /** `memoryBytes`: serialised reports kept in memory before they go to a temporary file. */
  constructor(private readonly memoryBytes = MEMORY_BYTES) {}

  add(report: FileReport): void {
    this.addSerialized(serializeReport(report), fileCounts(report));
  }

  /** A report serialised by serializeReport (a worker thread's), with its counts. */
  addSerialized(record: Uint8Array, counts: FileCounts): void {
    addTotals(this.totals, counts);
    if (this.spill) {
      this.append(record);
      return;
    }
    this.buffers.push(record);
    this.bytes += record.length;
    if (this.bytes > this.memoryBytes) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'servelint-'));
      this.spill = { dir, fd: fs.openSync(path.join(dir, 'reports'), 'w+'), size: 0 };
      for (const b of this.buffers) this.append(b);
      this.buffers = [];
      this.bytes = 0;
    }
  }

  private append(b: Uint8Array): void {
    const s = this.spill!;
    for (let off = 0; off < b.length; ) off += fs.writeSync(s.fd, b, off, b.length - off, s.size + off);
    s.size += b.length;
  }

  *[Symbol.iterator](): Iterator<FileReport> {
    if (!this.spill) {
      for (const b of this.buffers) yield readRecord(b, 0);
      return;
    }
    const { fd, size } = this.spill;
    let buf = Buffer.alloc(READ_CHUNK);
    let start = 0; // of buf's content in the file
    let have = 0;
    for (let pos = 0; pos < size; ) {
      // Make sure [pos, pos + n) is in buf, for the record's length and then the record.
      const ensure = (n: number): void => {
        if (pos >= start && pos + n <= start + have) return;
        if (n > buf.length) buf = Buffer.alloc(Math.max(n, buf.length * 2));
        start = pos;
        have = 0;
        while (have < Math.min(buf.length, size - pos)) {
          const r = fs.readSync(fd, buf, have, Math.min(buf.length, size - pos) - have, pos + have);
          if (r <= 0) break;
          have += r;
        }
      };
      ensure(4);
      const len = buf.readUInt32LE(pos - start);
      ensure(len);
      // The parts are views of buf: a format writes them out before it asks for the next report.
      yield readRecord(buf, pos - start);
      pos += len;
    }
  }

  /** Removes the temporary file. */
  close(): void {
    if (!this.spill) return;
    fs.closeSync(this.spill.fd);
    fs.rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = undefined;
  }
}

/*
 * A record: u32 its length in bytes, u32 the length of the serialised rest, u32 the number of parts, u32 each part's
 * length in bytes, the serialised rest, then each part's UTF-8 bytes.
 */

/** A report as one record for ReportStore.addSerialized, in a buffer of its own (a worker thread transfers it). */
export function serializeReport(report: FileReport): Uint8Array {
  const parts = report.parts ?? [];
  const rest = v8.serialize(parts.length ? Object.assign({}, report, { parts: undefined }) : report);
  const lengths = parts.map((p) => (typeof p === 'string' ? Buffer.byteLength(p) : p.length));
  const head = 12 + 4 * parts.length;
  const total = head + rest.length + lengths.reduce((a, b) => a + b, 0);
  const out = Buffer.allocUnsafeSlow(total);
  out.writeUInt32LE(total, 0);
  out.writeUInt32LE(rest.length, 4);
  out.writeUInt32LE(parts.length, 8);
  lengths.forEach((n, i) => out.writeUInt32LE(n, 12 + 4 * i));
  let at = head;
  at += rest.copy(out, at);
  parts.forEach((p, i) => {
    if (typeof p === 'string') out.write(p, at, 'utf8');
    else out.set(p, at);
    at += lengths[i]!;
  });
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** The report of the record at `off` in `b`; its parts are views of `b`. */
function readRecord(b: Uint8Array, off: number): FileReport {
  const view = Buffer.from(b.buffer, b.byteOffset, b.length);
  const restLength = view.readUInt32LE(off + 4);
  const count = view.readUInt32LE(off + 8);
  let at = off + 12 + 4 * count;
  const report = v8.deserialize(view.subarray(at, at + restLength)) as FileReport;
  at += restLength;
  if (!count) return report;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const n = view.readUInt32LE(off + 12 + 4 * i);
    parts.push(view.subarray(at, at + n));
    at += n;
  }
  report.parts = parts;
  return report;
}
