/**
 * Lints files on the main thread and on worker threads (node:worker_threads), one file at a time each, and hands the
 * outcomes to the caller in the order of the files, so the output is the same as on one thread. Files are taken from
 * a shared counter (whoever is free takes the next one). A worker sends each file's outcome (lint-file.ts) as soon as
 * it is done, its report already rendered for the format (format/prepare.ts) and serialised into a buffer it
 * transfers (no copy), which the main thread stores as it is (report-store.ts); the main thread keeps only the
 * outcomes that wait for an earlier file. `run` stays synchronous: the main thread polls with Atomics.wait only when
 * it has nothing left to lint. (Workers only, with the main thread collecting, measured slower and 20% larger.)
 */
import * as os from 'os';
import * as path from 'path';
import { MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'worker_threads';
import type { Linter } from '..';
import { serializeReport } from './report-store';
import { fileCounts } from './format/types';
import { cliLinter, fileLinter, type FileOutcome, type LintSettings } from './lint-file';

export interface Job {
  file: string;
  display: string;
}

/**
 * Below this many files a run stays on one thread: starting a worker (loading servelint into it) costs about
 * what linting this many files of a typical repository does (measured with `npm run bench`; see the README).
 */
export const MIN_FILES_PER_THREAD = 24;
const MAX_THREADS = 8;
/**
 * A worker's young generation: its working set is one file's trees, so a small one holds it. Measured on 5,000
 * resources (six runs each): peak RSS 274 → 240 MB, wall +3% and CPU +2% (more, cheaper scavenges) against V8's default.
 */
const WORKER_YOUNG_GENERATION_MB = 8;
/** How often the main thread looks for the workers' outcomes while it waits (they do not wake it for each file). */
const POLL_MS = 10;

interface WorkerInput {
  servelintLintWorker: true;
  jobs: Job[];
  settings: LintSettings;
  /** Int32Array over it: [0] the next job to take, [1] outcomes posted (the main thread waits on it). */
  control: SharedArrayBuffer;
  port: MessagePort;
}

type WorkerMessage = { i: number; outcome: FileOutcome } | { i: number; failed: string } | { done: true };

/** The script a worker runs: the CLI's entry (main.ts starts `lintWorker` in a worker). Bundles set their own file. */
let workerScript = path.join(__dirname, 'main.js');
export function setWorkerScript(file: string): void {
  workerScript = file;
}

/** Threads to use for `files` files: SERVELINT_THREADS, else one per core (the main thread is one of them). */
export function threadCount(files: number, env: NodeJS.ProcessEnv = process.env): number {
  const forced = Number(env.SERVELINT_THREADS);
  if (Number.isInteger(forced) && forced >= 1) return Math.min(forced, files, MAX_THREADS);
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(cores, MAX_THREADS, Math.floor(files / MIN_FILES_PER_THREAD)));
}

export function lintInParallel(jobs: Job[], settings: LintSettings, linter: Linter, take: (o: FileOutcome) => void, env: NodeJS.ProcessEnv = process.env): void {
  const local = fileLinter(linter, settings);
  const threads = threadCount(jobs.length, env);
  if (threads <= 1) {
    for (const j of jobs) take(local.lint(j.file, j.display));
    return;
  }
  const control = new SharedArrayBuffer(8);
  const counters = new Int32Array(control);
  const workers: { worker: Worker; port: MessagePort; done: boolean }[] = [];
  for (let t = 1; t < threads; t++) {
    const { port1, port2 } = new MessageChannel();
    const data: WorkerInput = { servelintLintWorker: true, jobs, settings, control, port: port2 };
    const resourceLimits = { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
    workers.push({ worker: new Worker(workerScript, { workerData: data, transferList: [port2], stdout: true, stderr: true, resourceLimits }), port: port1, done: false });
  }
  // Outcomes waiting for an earlier file, by file index. An array, not a Map: a Map's table that reaches the old
  // generation and is rehashed keeps what it held alive through young-generation collections (report.ts lazy()).
  const outcomes: (FileOutcome | undefined)[] = new Array(jobs.length).fill(undefined);
  let next = 0;
  const deliver = (): void => {
    for (let o = outcomes[next]; o; o = outcomes[next]) {
      outcomes[next++] = undefined;
      take(o);
    }
  };
  const receive = (): void => {
    for (const w of workers) {
      for (let m = receiveMessageOnPort(w.port); m; m = receiveMessageOnPort(w.port)) {
        const msg = m.message as WorkerMessage;
        if ('done' in msg) w.done = true;
        // A file that failed in a worker is linted again here: the same result, or the same error, as one thread.
        else if ('failed' in msg) outcomes[msg.i] = local.lint(jobs[msg.i]!.file, jobs[msg.i]!.display);
        else outcomes[msg.i] = msg.outcome;
      }
    }
  };
  try {
    for (let i = Atomics.add(counters, 0, 1); i < jobs.length; i = Atomics.add(counters, 0, 1)) {
      outcomes[i] = local.lint(jobs[i]!.file, jobs[i]!.display);
      receive();
      deliver();
    }
    while (next < jobs.length) {
      const posted = Atomics.load(counters, 1);
      receive();
      deliver();
      if (next >= jobs.length) break;
      // A worker that stopped without its files (it failed to start): lint what is missing here.
      if (workers.every((w) => w.done || w.worker.threadId === -1)) {
        for (let i = next; i < jobs.length; i++) if (!outcomes[i]) outcomes[i] = local.lint(jobs[i]!.file, jobs[i]!.display);
        continue;
      }
      Atomics.wait(counters, 1, posted, POLL_MS);
    }
  } finally {
    for (const w of workers) {
      w.port.close();
      void w.worker.terminate();
    }
  }
}

/** The worker side: lint files from the shared counter until none are left, posting each outcome. */
export function lintWorker(): void {
  const input = workerData as WorkerInput;
  const counters = new Int32Array(input.control);
  // The main thread polls (POLL_MS) rather than being woken for every file: a wake-up costs about a millisecond of
  // this thread's time on a busy machine (measured: 0.9 s of 7 s linting 5,000 resources), polling 100 times a second
  // next to nothing. Only the last message wakes it.
  const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []): void => {
    input.port.postMessage(m, transfer);
    Atomics.add(counters, 1, 1);
    if ('done' in m) Atomics.notify(counters, 1);
  };
  try {
    const files = fileLinter(cliLinter(undefined, input.settings.needs), input.settings);
    for (let i = Atomics.add(counters, 0, 1); i < input.jobs.length; i = Atomics.add(counters, 0, 1)) {
      const job = input.jobs[i]!;
      try {
        const outcome = files.lint(job.file, job.display);
        const report = outcome.report;
        if (!report) {
          post({ i, outcome });
          continue;
        }
        const bytes = serializeReport(report);
        post({ i, outcome: Object.assign({}, outcome, { report: undefined, serialized: { bytes, counts: fileCounts(report) } }) }, [bytes.buffer as ArrayBuffer]);
      } catch (e) {
        post({ i, failed: e instanceof Error ? e.message : String(e) });
      }
    }
  } finally {
    post({ done: true });
    input.port.close();
  }
}

/** True in a thread started by lintInParallel. */
export const isLintWorker = (): boolean => Boolean((workerData as Partial<WorkerInput> | null)?.servelintLintWorker);
