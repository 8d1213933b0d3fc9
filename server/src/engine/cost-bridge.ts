/** Connects the workload model to the cost model (server/src/engine/cost). */
import type { CostReport } from './api';
import type { Assumption, ServelintConfig } from './types';
import type { WorkloadModel } from './model/workload';
import { acceleratorsPerPod } from './model/workload';
import type { ServingUnit } from './analyze';

export interface CostAnalysis {
  report?: CostReport;
  weightLoad?: { value: number; source: Assumption['source']; detail: string };
  gpusPerPod: number | null;
}

export function costFor(
  w: WorkloadModel,
  primary: ServingUnit,
  _annotations: Record<string, string>,
  _config: ServelintConfig,
  _replicas: number,
): CostAnalysis {
  const acc = acceleratorsPerPod(primary.template);
  void w;
  return { gpusPerPod: acc ? acc.count : null };
}
