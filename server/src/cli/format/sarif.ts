import { loc1, type ReportInput } from './types';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

function uri(file: string): string {
  return file === '-' ? 'stdin' : file.split('\\').join('/').replace(/^\.\//, '');
}

/** SARIF 2.1.0 with rule metadata, help URIs and exact regions. */
export function formatSarif(input: ReportInput): string {
  const ruleIndex = new Map(input.rules.map((r, i) => [r.id, i]));
  const results = input.files.flatMap((f) =>
    f.result.findings.map((x) => {
      const l = loc1(f, x.range.start, x.range.end);
      return {
        ruleId: x.rule,
        ruleIndex: ruleIndex.get(x.rule) ?? -1,
        level: LEVEL[x.severity],
        message: { text: x.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: uri(f.file) },
              region: { startLine: l.line, startColumn: l.column, endLine: l.endLine, endColumn: l.endColumn },
            },
            ...(x.object
              ? { logicalLocations: [{ name: x.object.name ?? '', kind: 'object', fullyQualifiedName: `${x.object.kind}/${x.object.namespace ? x.object.namespace + '/' : ''}${x.object.name ?? ''}` }] }
              : {}),
          },
        ],
      };
    }),
  );
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'servelint',
            version: input.version,
            informationUri: 'https://github.com/servelint/servelint',
            rules: input.rules.map((r) => ({
              id: r.id,
              name: r.id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase()),
              shortDescription: { text: r.description },
              fullDescription: { text: r.description },
              helpUri: r.docsUrl,
              help: { text: `${r.description} See ${r.docsUrl}` },
              defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
            })),
          },
        },
        results,
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
