/**
 * A kind adapter maps one workload kind (Deployment, StatefulSet, Argo Rollout, LeaderWorkerSet, and the serving
 * operators' CRDs) onto what servelint reasons about: pod templates with their source ranges, replicas, the update
 * strategy and what it takes out of service, the serving-instance topology, and the edits for a zero-downtime
 * update. Only files in this folder know a kind's field layout; everything else asks the adapter.
 */
import type { Node, Pair, YAMLMap } from 'yaml';
import type { DocModelRef } from '../yaml/nodes';
import type { LocEdit } from '../edits';
import type { PodTemplateModel, ServingUnit } from '../model/pod';
import type { K8sObject, WorkloadModel } from '../model/workload';
import type { RolloutResolution } from '../rollout';

/** What an adapter reads from one object of its kind. */
export interface KindParts {
  templates: PodTemplateModel[];
  /** The pair that declares the replica count (default: spec.replicas). */
  replicasPair?: Pair<Node, Node>;
  /** Replicas when no single pair declares them (a RayService's worker groups add up). */
  replicas?: number;
  /** Pods per serving group as declared (LeaderWorkerSet size); 1 elsewhere. */
  groupSize?: number;
  /** A reference to another workload whose pod template this one runs (Argo Rollout `workloadRef`). */
  workloadRef?: { kind: string; name: string; pair: Pair<Node, Node> };
  /** The kind's own autoscaler (KServe min/maxReplicas, LLMInferenceService scaling, ...), when it has one. */
  autoscaler?: { min: number; max: number; source: string };
  /** Containers the operator completes (image, command) from its own defaults: not a Kustomize-style patch. */
  operatorCompleted?: boolean;
}

/** How a serving instance maps onto pods and replicas. */
export interface InstanceTopology {
  /** Pods that together run one server instance (a LeaderWorkerSet group, the `--nnodes` pods of a StatefulSet, else 1). */
  podsPerInstance: number;
  /**
   * Replicas (as the workload counts them) per server instance: N for a StatefulSet whose N pods join one
   * multi-node server, 1 where each replica is an instance (a Deployment's pod, a LeaderWorkerSet group).
   */
  replicasPerInstance: number;
  /** Accelerators one instance holds, with how they add up. */
  accelerators?: { resource: string; count: number; detail: string };
}

export interface KindAdapter {
  kind: string;
  /** API group ('' for the core group). */
  group: string;
  /** apiVersions this adapter reads (group/version). */
  apiVersion: RegExp;
  /** What one serving instance is called in messages ("replica", "group"). */
  instanceNoun: string;
  /** Kinds with `spec.progressDeadlineSeconds`, and its default. */
  progressDeadline?: { defaultSeconds: number };
  /** A template other objects instantiate (KServe ServingRuntime): linted, but no replicas and no cost of its own. */
  template?: boolean;
  read(obj: K8sObject, spec: YAMLMap | undefined, doc: DocModelRef, annotations: Record<string, string>): KindParts;
  /** How an update replaces pods, resolved the way the controller does it, for `replicas` replicas. */
  rollout(w: WorkloadModel, replicas: number): RolloutResolution;
  /** Pods, replicas and accelerators per serving instance, given the primary serving container. */
  topology(w: WorkloadModel, primary: ServingUnit): InstanceTopology;
  /**
   * Edits that make updates surge instead of taking serving capacity down (maxUnavailable 0, maxSurge 1, or the
   * kind's equivalent). Undefined when the kind cannot update that way (a StatefulSet deletes before it creates).
   */
  zeroDowntimeEdits(w: WorkloadModel, r: RolloutResolution): (LocEdit | undefined)[] | undefined;
}
