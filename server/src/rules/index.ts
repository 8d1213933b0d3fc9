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
  spotPreemption,
  serverDrain,
  sigterm,
  probeTight,
];
