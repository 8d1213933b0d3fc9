import * as fs from 'fs';
import * as v8 from 'v8';
import { run } from './run';
import { isLintWorker, lintWorker, setWorkerScript } from './pool';
import { oneLine } from '../io/text';

function main(): void {
  // A reader that goes away early (`servelint -f json dir | head -1`) is not an error: stop quietly with the
  // exit code already computed. Other output errors get one line on stderr.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') {
      process.stderr.write(`servelint: cannot write the output: ${oneLine(e)}\n`);
      process.exitCode = 2;
    }
    process.exit();
  });
  process.stderr.on('error', () => undefined);

  // Worker threads run this same file (unbundled or bundled alike).
  setWorkerScript(__filename);
  let code: number;
  try {
    code = run(process.argv.slice(2), {
      stdout: (s) => process.stdout.write(s),
      // A copy: the report's buffers are reused after the call, and a pipe may write it later.
      stdoutBytes: (b) => process.stdout.write(Buffer.from(b)),
      stderr: (s) => process.stderr.write(s),
      readStdin: () => fs.readFileSync(0),
      cwd: process.cwd(),
      colorDefault: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    });
  } catch (e) {
    // A bug, not the user's input: still one line (SERVELINT_DEBUG=1 for the stack).
    process.stderr.write(`servelint: internal error: ${oneLine(e)}\n`);
    if (process.env.SERVELINT_DEBUG) process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    code = 2;
  }
  process.exitCode = code;
  // Everything is written (output and temporary files are handled synchronously): exit now rather than let node tear
  // down the isolates of this thread and the worker threads (~40 ms of a 1.4 s run on 5,000 resources, interleaved
  // A/B, 15 runs each). Output still queued for a pipe or terminal keeps the normal exit, which writes it first.
  if (!process.stdout.writableLength && !process.stderr.writableLength) process.exit(code);
}

/**
 * V8 optimises a function once it has run through an "interrupt budget" of bytecode (67,584 by default). A lint run
 * is short and every thread is its own isolate that optimises the same functions again: with 8× the budget only the
 * hottest ones are. Interleaved A/B on 2 cores, 4 runs each: 5k-resource tree −25% wall and −27% CPU, one
 * 5,000-resource file −2% wall and −16% CPU, 50k-resource tree unchanged. V8 flags are per process, so the worker
 * threads get it too; a budget given in NODE_OPTIONS or on the command line is left alone.
 */
const INTERRUPT_BUDGET = 8 * 67584;

if (isLintWorker()) lintWorker();
else {
  if (!/--interrupt[-_]budget=/.test(`${process.env.NODE_OPTIONS ?? ''} ${process.execArgv.join(' ')}`)) v8.setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
  main();
}
