import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { get, getPair, keyLoc, loc, num } from '../engine/yaml/nodes';
import { setKey } from '../engine/edits';
import type { ProbeModel } from '../engine/model/pod';
import { serverName } from './helpers';

/**
 * timeoutSeconds servelint proposes. Kubernetes' default is 1 s. A saturated server answers /health late: an SGLang
 * pod measured 1.001 s and flapped Ready/NotReady (modelplaneai/modelplane#206); llm-d-benchmark#1734 found a
 * saturated vLLM missing three 1 s checks and dropping out of the InferencePool (it moved to 15 s). 5 s is five
 * times the observed answer while a readiness probe with the default period (10 s) and failureThreshold (3) still
 * takes a hung server out of rotation within ~45 s.
 */
export const PROBE_TIMEOUT_SECONDS = 5;
/** Kubernetes' default failureThreshold: a liveness probe should not restart a busy server on one late answer. */
export const LIVENESS_FAILURE_THRESHOLD = 3;

const PROBES = ['readinessProbe', 'livenessProbe'] as const;

export const rule: Rule = {
  meta: {
    id: 'probe-too-tight',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      "A model server's readiness or liveness probe allows 1 s (the default timeoutSeconds) or one failure: a saturated server answers its health check late, so it flaps out of rotation or is restarted mid-generation.",
    docs: { catches: 'readiness / liveness probe with `timeoutSeconds` unset or 1, liveness with `failureThreshold: 1`', fix: `sets timeoutSeconds ${PROBE_TIMEOUT_SECONDS} / failureThreshold ${LIVENESS_FAILURE_THRESHOLD}` },
    fixable: true,
    needs: [],
    messages: {
      timeout:
        '{{server}} {{probe}} {{timeout}}: a saturated server can take longer than that to answer its health check, and a late answer counts as a failure, ' +
        'so under load the pod {{consequence}}. Set timeoutSeconds: ' + PROBE_TIMEOUT_SECONDS + '.',
      oneFailure:
        '{{server}} livenessProbe has failureThreshold: 1: one late or failed health check restarts the container and kills every running generation. ' +
        'Set failureThreshold: ' + LIVENESS_FAILURE_THRESHOLD + '.',
    },
  },
  check(ctx) {
    for (const unit of ctx.analysis.servers.filter((u) => u.template.role !== 'worker')) {
      const doc = unit.template.doc;
      for (const key of PROBES) {
        const probe: ProbeModel | undefined = unit.container[key];
        // tcpSocket probes only connect: the kernel accepts the connection however busy the server is.
        if (!probe?.node || getPair(probe.node, 'tcpSocket')) continue;
        const timeoutNode = get(probe.node, 'timeoutSeconds', doc.doc);
        const timeout = num(timeoutNode);
        if (timeout === undefined || timeout <= 1) {
          ctx.report({
            loc: timeoutNode ? loc(doc, timeoutNode) : keyLoc(doc, probe.pair),
            messageId: 'timeout',
            data: {
              server: serverName(unit),
              probe: key,
              timeout: timeout === undefined ? 'has no timeoutSeconds (default 1 s)' : `has timeoutSeconds: ${timeout}`,
              consequence: key === 'livenessProbe' ? 'is restarted, killing every running generation' : 'flaps out of the Service endpoints',
            },
            fixes: [fix(`Set timeoutSeconds: ${PROBE_TIMEOUT_SECONDS}`, [setKey(doc, probe.node, 'timeoutSeconds', String(PROBE_TIMEOUT_SECONDS))])],
          });
        }
        const ftNode = get(probe.node, 'failureThreshold', doc.doc);
        if (key === 'livenessProbe' && num(ftNode) === 1) {
          ctx.report({
            loc: loc(doc, ftNode),
            messageId: 'oneFailure',
            data: { server: serverName(unit) },
            fixes: [fix(`Set failureThreshold: ${LIVENESS_FAILURE_THRESHOLD}`, [setKey(doc, probe.node, 'failureThreshold', String(LIVENESS_FAILURE_THRESHOLD))])],
          });
        }
      }
    }
  },
};
