/**
 * A file's report made ready for the chosen format where the file was linted (a worker thread, or the main thread):
 * its counts taken, the format's text of the file rendered (json, text, github), and what the format will not read
 * again dropped, so the main thread only stores and concatenates (report-store.ts, pool.ts).
 */
import type { Format } from '../options';
import { fileCounts, type FileReport } from './types';
import { jsonFileParts } from './json';
import { textFileParts } from './text';
import { githubFileParts } from './github';

export interface RenderOptions {
  format: Format;
  /** ANSI colours (text). */
  color: boolean;
  /** The cost table is printed (text and markdown read the workloads at the end). */
  cost: boolean;
}

export function prepareReport(r: FileReport, o: RenderOptions): FileReport {
  r.counts = fileCounts(r);
  const parts = o.format === 'json' ? jsonFileParts(r) : o.format === 'text' ? textFileParts(r, o.color) : o.format === 'github' ? githubFileParts(r) : undefined;
  if (!parts) return r;
  // The format reads this file's parts and, for text with a cost table, its workloads; nothing else.
  return { file: r.file, findings: [], workloads: o.format === 'text' && o.cost ? r.workloads : [], counts: r.counts, parts };
}
