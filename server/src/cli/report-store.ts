/**
 * The linted files' reports between linting and formatting, in output order. Each report is serialised
 * (v8.serialize: the structured clone format, so numbers, undefined and nesting come back exactly); past
 * MEMORY_BYTES they go to a temporary file, so a run's memory stays bounded whatever the size of its input and
 * output. Iterating reads them back one at a time (any number of times: a format may read them in several passes).
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
    this.addSerialized(v8.serialize(report), fileCounts(report));
  }

  /** A report serialised by serializeReport (a worker thread's), with its counts. */
  addSerialized(data: Uint8Array, counts: FileCounts): void {
    addTotals(this.totals, counts);
    const head = Buffer.alloc(4);
    head.writeUInt32LE(data.length);
    if (this.spill) {
      this.append(head);
      this.append(data);
      return;
    }
    this.buffers.push(head, data);
    this.bytes += 4 + data.length;
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
      for (let i = 0; i < this.buffers.length; i += 2) yield v8.deserialize(this.buffers[i + 1]! as Buffer) as FileReport;
      return;
    }
    const { fd, size } = this.spill;
    let buf = Buffer.alloc(READ_CHUNK);
    let start = 0; // of buf's content in the file
    let have = 0;
    for (let pos = 0; pos < size; ) {
      // Make sure [pos, pos + n) is in buf, for the 4-byte length and then the record.
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
      ensure(4 + len);
      const off = pos - start + 4;
      yield v8.deserialize(buf.subarray(off, off + len)) as FileReport;
      pos += 4 + len;
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

/** A report serialised for ReportStore.addSerialized, in a buffer of its own (a worker thread transfers it). */
export function serializeReport(report: FileReport): Uint8Array {
  const b = v8.serialize(report);
  return b.byteOffset === 0 && b.byteLength === b.buffer.byteLength ? b : new Uint8Array(b);
}
