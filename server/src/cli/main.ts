import * as fs from 'fs';
import { run } from './run';

const code = run(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: () => fs.readFileSync(0, 'utf8'),
  cwd: process.cwd(),
  colorDefault: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
});
process.exitCode = code;
