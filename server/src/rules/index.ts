/** The built-in rules: one file per rule. A new rule is one file here, its docs page and its fixture folder. */
import type { Rule } from '../engine/rule';
import { rule as gracePeriod } from './grace-period-truncates-generations';
import { rule as missingPreStop } from './missing-prestop-drain';
import { rule as preStopExceeds } from './prestop-exceeds-grace-period';
import { rule as rolloutDrops } from './rollout-drops-capacity';
import { rule as recreate } from './recreate-causes-downtime';
import { rule as canary } from './canary-without-analysis';
import { rule as blueGreen } from './bluegreen-promotes-without-analysis';
import { rule as readiness } from './missing-readiness-probe';
import { rule as liveness } from './liveness-kills-loading-pod';
import { rule as progressDeadline } from './progress-deadline-exceeded';
import { rule as memory } from './model-exceeds-gpu-memory';
import { rule as invalidValue } from './invalid-value';
import { rule as plaintextSecret } from './plaintext-secret';
import { rule as mutableTag } from './mutable-image-tag';
import { rule as gatedModel } from './gated-model-without-token';
import { rule as pathNotMounted } from './model-path-not-mounted';
import { rule as analysisLatency } from './analysis-not-on-latency';
import { rule as weightsDownloaded } from './weights-downloaded-on-start';
import { rule as noDisruptionBudget } from './no-disruption-budget';
import { rule as budgetBlocksDrain } from './disruption-budget-blocks-drain';
import { rule as parallelism } from './parallelism-mismatch';
import { rule as autoscalingOnCpu } from './autoscaling-on-cpu';
import { rule as shm } from './missing-shm-volume';
import { rule as surgeBlocked } from './surge-blocked-by-scheduling';
import { rule as spotPreemption } from './spot-preemption-truncates';
import { rule as serverDrain } from './server-drain-disabled';
import { rule as sigterm } from './sigterm-not-forwarded';
import { rule as probeTight } from './probe-too-tight';

export const ALL_RULES: readonly Rule[] = [
  gracePeriod,
  missingPreStop,
  preStopExceeds,
  rolloutDrops,
  recreate,
  canary,
  blueGreen,
  readiness,
  liveness,
  progressDeadline,
  memory,
  invalidValue,
  plaintextSecret,
  mutableTag,
  gatedModel,
  pathNotMounted,
  analysisLatency,
  weightsDownloaded,
  noDisruptionBudget,
  budgetBlocksDrain,
  parallelism,
  autoscalingOnCpu,
  shm,
  surgeBlocked,
  spotPreemption,
  serverDrain,
  sigterm,
  probeTight,
];
