import type { Rule } from '../engine/rule';
import { scalingMetricsOf } from '../engine/servers';
import { get, getIn, getPair, items, loc, str, type Loc } from '../engine/yaml/nodes';
import type { Node } from 'yaml';
import type { K8sObject } from '../engine/model/workload';
import { serverName } from './helpers';

/**
 * The HPA's defaults: autoscaling/v1 without targetCPUUtilizationPercentage, and v2 without metrics, scale on 80 %
 * average CPU utilisation (kubernetes/kubernetes pkg/apis/autoscaling: DefaultCPUUtilization = 80, "provided no other metrics are present", used by
 * the v2 defaulting and the v1 conversion).
 * GPU utilisation as a fallback signal: DCGM_FI_DEV_GPU_UTIL (NVIDIA/dcgm-exporter etc/default-counters.csv).
 */
const HPA_DEFAULT_CPU = 80;
const GPU_UTIL_METRIC = 'DCGM_FI_DEV_GPU_UTIL';
/** Signals that follow load on a model server (queue, custom, external): with one, CPU is only an extra trigger. */
const LOAD_METRIC_TYPES = ['Pods', 'Object', 'External'];

interface Hit {
  loc: Loc | undefined;
  what: string;
}

/** Where and what CPU / memory signal an HPA or a KEDA ScaledObject scales on, when it has no signal that follows load. */
function resourceSignal(o: K8sObject, keda: boolean): Hit | undefined {
  const d = o.doc.doc;
  const spec = get(o.node, 'spec', d);
  const byName = (nodes: (Node | undefined)[], names: (string | undefined)[], what: (n: string[]) => string): Hit | undefined => {
    const at = names.findIndex((n) => n === 'cpu' || n === 'memory');
    const found = [...new Set(names.filter((n): n is string => n === 'cpu' || n === 'memory'))];
    return at < 0 ? undefined : { loc: loc(o.doc, nodes[at]), what: what(found) };
  };
  if (keda) {
    const triggers = items(get(spec, 'triggers', d));
    const types = triggers.map((t) => get(t, 'type', d));
    if (types.some((t) => str(t) !== 'cpu' && str(t) !== 'memory')) return undefined;
    return byName(types, types.map(str), (n) => `KEDA ${n.join(' and ')} triggers`);
  }
  if (/\/v1$/.test(o.apiVersion)) {
    const pair = getPair(spec, 'targetCPUUtilizationPercentage');
    if (pair) return { loc: loc(o.doc, pair.value), what: `CPU utilisation (targetCPUUtilizationPercentage ${str(pair.value)})` };
    return { loc: loc(o.doc, getPair(spec, 'scaleTargetRef')?.key), what: `CPU utilisation (the default ${HPA_DEFAULT_CPU} %: no target is set)` };
  }
  const metricsPair = getPair(spec, 'metrics');
  const metrics = items(metricsPair?.value);
  if (!metrics.length) return { loc: loc(o.doc, metricsPair?.key ?? getPair(spec, 'scaleTargetRef')?.key), what: `CPU utilisation (the default ${HPA_DEFAULT_CPU} %: no metrics are set)` };
  if (metrics.some((m) => LOAD_METRIC_TYPES.includes(str(get(m, 'type', d)) ?? ''))) return undefined;
  const names = metrics.map((m) => getIn(m, ['resource', 'name'], d) ?? getIn(m, ['containerResource', 'name'], d));
  return byName(names, names.map(str), (n) => `${n.join(' and ')} utilisation`);
}

export const rule: Rule = {
  meta: {
    id: 'autoscaling-on-cpu',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'An HPA or KEDA ScaledObject scales a model server on CPU or memory only: GPU saturation does not show there, so it does not scale up when requests queue.',
    docs: { catches: 'HPA / KEDA scaling a model server on `cpu` / `memory` only (incl. the HPA default 80 % CPU)' },
    fixable: false,
    needs: [],
    messages: {
      cpu:
        '{{scaler}} {{name}} scales {{server}} on {{what}} only: a model server\'s work runs on the GPU, so requests queue and time to first token ' +
        'grows while CPU stays flat (and host memory is allocated up front), and it does not scale up. Scale on {{signals}} ' +
        '(through a Prometheus adapter, or a KEDA prometheus trigger).',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const scaler = a.autoscaler;
    // A kind's own autoscaler (KServe min/max replicas, ...) has no HPA document in the input to point at.
    if (!scaler?.object) return;
    const known = scalingMetricsOf(a.primary.server.kind);
    const signals = known.length
      ? `the server's own load gauges (${known.join(', ')})`
      : `the server's queue length or GPU utilisation (${GPU_UTIL_METRIC} from dcgm-exporter)`;
    const hit = resourceSignal(scaler.object, scaler.source === 'ScaledObject');
    if (hit) {
      ctx.report({
        loc: hit.loc,
        messageId: 'cpu',
        data: {
          scaler: scaler.source === 'ScaledObject' ? 'ScaledObject' : 'HorizontalPodAutoscaler',
          name: scaler.name ?? '(unnamed)',
          server: serverName(a.primary),
          what: hit.what,
          signals,
        },
      });
    }
  },
};
