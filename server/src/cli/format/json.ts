import type { ReportInput } from './types';

/** The JSON contract (version 1): other tools and tests rely on these fields; new fields may be added. */
export function formatJson(input: ReportInput): string {
  const findings = input.files.flatMap((f) =>
    f.findings.map((x) => ({
      rule: x.rule,
      severity: x.severity,
      message: x.message,
      file: f.file,
      ...x.loc,
      object: x.object ?? null,
      docsUrl: x.docsUrl,
      fixable: x.fixable,
    })),
  );
  const workloads = input.files.flatMap((f) =>
    f.workloads.map((w) => ({
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
    })),
  );
  return JSON.stringify({ version: 1, findings, workloads, errors: input.ioErrors }, null, 2) + '\n';
}
