import type { ReportInput } from './types';
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
export function formatMarkdown(input: ReportInput): string {
  const out = ['<!-- servelint -->', '### servelint', '', summaryLine(input)];
  const findings = input.files.flatMap((f) => f.findings.map((x) => ({ f, x })));
  if (findings.length) {
    const rows = findings.slice(0, MAX_ROWS).map(({ f, x }) => {
      const l = x.loc;
      return [`\`${f.file}:${l.line}\``, `[${x.rule}](${x.docsUrl})`, SEVERITY[x.severity], x.message];
    });
    out.push('', ...table([['file:line', 'rule', 'severity', 'message'], ...rows], ['---', '---', '---', '---']));
    if (findings.length > MAX_ROWS) out.push('', `… and ${findings.length - MAX_ROWS} more (run servelint locally for the full list).`);
  }
  if (input.ioErrors.length) out.push('', '**Not linted:**', '', ...input.ioErrors.map((e) => `- ${cell(e)}`));
  const workloads = workloadsOf(input);
  if (input.cost && workloads.length) {
    out.push('', '#### Cost per workload', '', 'Estimates; see [docs/cost-model.md](https://github.com/servelint/servelint/blob/main/docs/cost-model.md) for the assumptions and how to override them.', '');
    const rows = workloads.map(({ f, w }) => costRow(`\`${f.file}:${w.line}\` ${w.object.kind}/${w.object.name ?? '?'}`, w));
    const total = costTotalRow(workloads.map(({ w }) => w)).map((c, i) => (i === 0 || c ? `**${c || ''}**` : ''));
    out.push(...table([COST_HEADER, ...rows, total], ['---', ...COST_HEADER.slice(1).map(() => '---:')]));
    out.push('', costCoverage(input));
    const problems = costProblems(input);
    if (problems.length) out.push('', 'Missing for a cost estimate:', '', ...problems.map((p) => `- ${cell(p)}`));
  }
  return out.join('\n') + '\n';
}
