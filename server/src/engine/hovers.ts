/** Markdown explanations for hover targets (replicas, GPU limit, grace period, rollout parameters, probes). */
import type { WorkloadAnalysis } from './analyze';
import type { Loc } from './yaml/nodes';

export interface LocHover {
  loc: Loc;
  topic: string;
  markdown: string;
}

export function buildHovers(a: WorkloadAnalysis): LocHover[] {
  void a;
  return [];
}
