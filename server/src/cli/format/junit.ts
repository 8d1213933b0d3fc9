import type { ReportInput, Write } from './types';

/** Characters XML 1.0 cannot hold (control characters, lone surrogates, U+FFFE/U+FFFF). */
const NOT_XML = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** XML text: the five entities escaped, characters XML cannot hold dropped. */
function xml(s: string): string {
  return s
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function cdata(s: string): string {
  return `<![CDATA[${s.replace(NOT_XML, '').split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

const classname = (file: string): string => file.replace(/\.ya?ml$/i, '');

/**
 * JUnit XML in the shape eslint's junit formatter made common: one <testsuite> per file, one <testcase> per finding
 * (a <failure> for errors and warnings; info findings pass, with the message as system-out), and a single passing
 * testcase for a file without findings. Files that could not be read or configured are a "servelint" suite of <error>s.
 */
export function formatJunit(input: ReportInput, write: Write): void {
  // Totals first (the root element carries them): a file without findings is one passing testcase.
  const t = input.totals;
  const tests = t.findings + t.clean + input.ioErrors.length;
  write(['<?xml version="1.0" encoding="utf-8"?>', `<testsuites name="servelint" tests="${tests}" failures="${t.errors + t.warnings}" errors="${input.ioErrors.length}" time="0">`, ''].join('\n'));
  for (const f of input.files) {
    const cases: string[] = [];
    let fileFailures = 0;
    for (const x of f.findings) {
      const l = x.loc;
      const object = x.object ? ` ${x.object.kind}/${x.object.name ?? '?'}` : '';
      const name = xml(`servelint.${x.rule}${object}`);
      const detail = cdata(`${f.file}:${l.line}:${l.column} ${x.severity} - ${x.message} (${x.rule}) ${x.docsUrl}`);
      const head = `    <testcase time="0" name="${name}" classname="${xml(classname(f.file))}" file="${xml(f.file)}" line="${l.line}"`;
      if (x.severity === 'info') {
        cases.push(`${head}><system-out>${detail}</system-out></testcase>`);
      } else {
        fileFailures++;
        cases.push(`${head}><failure message="${xml(x.message)}" type="${x.severity}">${detail}</failure></testcase>`);
      }
    }
    if (!cases.length) cases.push(`    <testcase time="0" name="${xml(f.file)}" classname="${xml(classname(f.file))}" file="${xml(f.file)}" />`);
    write([`  <testsuite package="servelint" time="0" tests="${cases.length}" failures="${fileFailures}" errors="0" name="${xml(f.file)}">`, ...cases, '  </testsuite>', ''].join('\n'));
  }
  const suites: string[] = [];
  if (input.ioErrors.length) {
    suites.push(`  <testsuite package="servelint" time="0" tests="${input.ioErrors.length}" failures="0" errors="${input.ioErrors.length}" name="servelint">`);
    for (const e of input.ioErrors) suites.push(`    <testcase time="0" name="${xml(e)}" classname="servelint"><error message="${xml(e)}" /></testcase>`);
    suites.push('  </testsuite>');
  }
  write([...suites, '</testsuites>'].join('\n') + '\n');
}
