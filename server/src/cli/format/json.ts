import { jsonArrayItems, writeJsonArray, writeJsonRuns, type FileReport, type ReportInput, type Write } from './types';

/**
 * One file's part of the JSON report: its findings' items and its workloads' items, laid out at their depth and
 * joined with ',\n' (prepare.ts renders them where the file was linted; formatJson writes them in file order).
 */
export function jsonFileParts(f: FileReport): string[] {
  // Literals without spreads: V8 adds every property after a spread on its slow path.
  const findings = f.findings.map((x) => ({
    rule: x.rule,
    severity: x.severity,
    message: x.message,
    file: f.file,
    line: x.loc.line,
    column: x.loc.column,
    endLine: x.loc.endLine,
    endColumn: x.loc.endColumn,
    object: x.object ?? null,
    docsUrl: x.docsUrl,
    fixable: x.fixable,
  }));
  const workloads = f.workloads.map((w) => {
    const item: Record<string, unknown> = {
      file: f.file,
      line: w.line,
      kind: w.object.kind,
      name: w.object.name ?? null,
      namespace: w.object.namespace ?? null,
      modelServer: w.modelServer,
      model: w.model,
      replicas: w.replicas,
      gpusPerPod: w.gpusPerPod,
    };
    if (w.cost) item.cost = w.cost;
    if (w.rollout) item.rollout = w.rollout;
    return item;
  });
  return [jsonArrayItems(findings, 1), jsonArrayItems(workloads, 1)];
}

/** Part `k` of every file, in file order; iterable more than once (each pass reads the files again). */
function partOf(files: Iterable<FileReport>, k: number): Iterable<string | Uint8Array> {
  return {
    *[Symbol.iterator]() {
      for (const f of files) yield (f.parts ?? jsonFileParts(f))[k]!;
    },
  };
}

/** The JSON contract (version 1): other tools and tests rely on these fields; new fields may be added. */
export function formatJson(input: ReportInput, write: Write): void {
  // JSON.stringify({ version: 1, findings, workloads, errors }, null, 2), one file at a time.
  write('{\n  "version": 1,\n  "findings": ');
  writeJsonRuns(write, partOf(input.files, 0), 1);
  write(',\n  "workloads": ');
  writeJsonRuns(write, partOf(input.files, 1), 1);
  write(',\n  "errors": ');
  writeJsonArray(write, input.ioErrors, 1);
  write('\n}\n');
}
