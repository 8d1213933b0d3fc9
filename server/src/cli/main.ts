import * as fs from 'fs';
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
}

if (isLintWorker()) lintWorker();
else main();
