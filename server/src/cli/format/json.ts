import { writeJsonArray, type FileReport, type ReportInput, type Write } from './types';

/** The items of every file, shaped, in file order; iterable more than once (each pass reads the files again). */
function each<T>(files: Iterable<FileReport>, of: (f: FileReport) => readonly T[], shape: (f: FileReport, x: T) => unknown): Iterable<unknown> {
  return {
    *[Symbol.iterator]() {
      for (const f of files) for (const x of of(f)) yield shape(f, x);
    },
  };
}

/** The JSON contract (version 1): other tools and tests rely on these fields; new fields may be added. */
export function formatJson(input: ReportInput, write: Write): void {
  const findings = each(input.files, (f) => f.findings, (f, x) => ({
    rule: x.rule,
    severity: x.severity,
    message: x.message,
    file: f.file,
    ...x.loc,
    object: x.object ?? null,
    docsUrl: x.docsUrl,
    fixable: x.fixable,
  }));
  const workloads = each(input.files, (f) => f.workloads, (f, w) => ({
    file: f.file,
    line: w.line,
    kind: w.object.kind,
    name: w.object.name ?? null,
    namespace: w.object.namespace ?? null,
    modelServer: w.modelServer,
    model: w.model,
    replicas: w.replicas,
    gpusPerPod: w.gpusPerPod,
    ...(w.cost ? { cost: w.cost } : {}),
    ...(w.rollout ? { rollout: w.rollout } : {}),
  }));
  // JSON.stringify({ version: 1, findings, workloads, errors }, null, 2), one item at a time.
  write('{\n  "version": 1,\n  "findings": ');
  writeJsonArray(write, findings, 1);
  write(',\n  "workloads": ');
  writeJsonArray(write, workloads, 1);
  write(',\n  "errors": ');
  writeJsonArray(write, input.ioErrors, 1);
  write('\n}\n');
}
