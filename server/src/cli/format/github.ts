import type { FileReport, ReportInput, Write } from './types';

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND = { error: 'error', warning: 'warning', info: 'notice' } as const;

/** One file's workflow commands (prepare.ts renders them where the file was linted). */
export function githubFileParts(f: FileReport): string[] {
  let lines = '';
  for (const x of f.findings) {
    const l = x.loc;
    const props = [
      `file=${escapeProperty(f.file)}`,
      `line=${l.line}`,
      `col=${l.column}`,
      `endLine=${l.endLine}`,
      `endColumn=${l.endColumn}`,
      `title=${escapeProperty(`servelint ${x.rule}`)}`,
    ].join(',');
    lines += `::${COMMAND[x.severity]} ${props}::${escapeData(`${x.message} (${x.docsUrl})`)}\n`;
  }
  return [lines];
}

/** GitHub Actions workflow commands: one annotation per finding. */
export function formatGithub(input: ReportInput, write: Write): void {
  for (const f of input.files) {
    const lines = (f.parts ?? githubFileParts(f))[0]!;
    if (lines.length) write(lines);
  }
}
