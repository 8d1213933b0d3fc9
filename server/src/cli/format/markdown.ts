import type { ReportInput, Write } from './types';
import { COST_HEADER, costCoverage, costProblems, costRow, costTotalRow, summaryLine, workloadsOf } from './report';

/** Findings listed in full; a pull-request comment holds at most 65,536 characters. */
const MAX_ROWS = 200;

/** Text for a table cell: no line breaks, pipes escaped, no raw HTML. */
function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

export function table(rows: string[][], align: string[]): string[] {
  return [`| ${rows[0]!.join(' | ')} |`, `|${align.join('|')}|`, ...rows.slice(1).map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

const SEVERITY = { error: '**error**', warning: 'warning', info: 'info' } as const;

/**
 * A report for pull-request comments: the summary line, a findings table (file:line, rule linked to its docs,
 * severity, message) and the cost table. Starts with an HTML comment marker so a workflow can find and update
 * its previous comment.
 */
export function formatMarkdown(input: ReportInput, write: Write): void {
  const out = ['<!-- servelint -->', '### servelint', '', summaryLine(input)];
  const total = input.totals.findings;
  if (total) {
    const rows: string[][] = [];
    for (const f of input.files) {
      for (const x of f.findings) {
        if (rows.length === MAX_ROWS) break;
        rows.push([`\`${f.file}:${x.loc.line}\``, `[${x.rule}](${x.docsUrl})`, SEVERITY[x.severity], x.message]);
      }
      if (rows.length === MAX_ROWS) break;
    }
    out.push('', ...table([['file:line', 'rule', 'severity', 'message'], ...rows], ['---', '---', '---', '---']));
    if (total > MAX_ROWS) out.push('', `… and ${total - MAX_ROWS} more (run servelint locally for the full list).`);
  }
  if (input.ioErrors.length) out.push('', '**Not linted:**', '', ...input.ioErrors.map((e) => `- ${cell(e)}`));
  if (input.cost && input.totals.workloads) {
    const workloads = [...workloadsOf(input)];
    const ws = workloads.map(({ w }) => w);
    out.push('', '#### Cost per workload', '', 'Estimates; see [docs/cost-model.md](https://github.com/servelint/servelint/blob/main/docs/cost-model.md) for the assumptions and how to override them.', '');
    const rows = workloads.map(({ f, w }) => costRow(`\`${f.file}:${w.line}\` ${w.object.kind}/${w.object.name ?? '?'}`, w));
    const totalRow = costTotalRow(ws).map((c, i) => (i === 0 || c ? `**${c || ''}**` : ''));
    out.push(...table([COST_HEADER, ...rows, totalRow], ['---', ...COST_HEADER.slice(1).map(() => '---:')]));
    out.push('', costCoverage(ws));
    const problems = costProblems(workloads);
    if (problems.length) out.push('', 'Missing for a cost estimate:', '', ...problems.map((p) => `- ${cell(p)}`));
  }
  write(out.join('\n') + '\n');
}
