import { writeJsonArray, type ReportInput, type Write } from './types';

/** The JSON contract (version 1): other tools and tests rely on these fields; new fields may be added. */
export function formatJson(input: ReportInput, write: Write): void {
  function* findings(): Generator<unknown> {
    for (const f of input.files) {
      for (const x of f.findings) {
        yield {
          rule: x.rule,
          severity: x.severity,
          message: x.message,
          file: f.file,
          ...x.loc,
          object: x.object ?? null,
          docsUrl: x.docsUrl,
          fixable: x.fixable,
        };
      }
    }
  }
  function* workloads(): Generator<unknown> {
    for (const f of input.files) {
      for (const w of f.workloads) {
        yield {
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
        };
      }
    }
  }
  // JSON.stringify({ version: 1, findings, workloads, errors }, null, 2), one item at a time.
  write('{\n  "version": 1,\n  "findings": ');
  writeJsonArray(write, findings(), 1);
  write(',\n  "workloads": ');
  writeJsonArray(write, workloads(), 1);
  write(',\n  "errors": ');
  writeJsonArray(write, input.ioErrors, 1);
  write('\n}\n');
}
