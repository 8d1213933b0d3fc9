import type { Node } from 'yaml';
import { isSeq } from 'yaml';
import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import type { LocEdit } from '../engine/edits';
import { columnOf } from '../engine/edits';
import { items, nodeRange, str, type DocModelRef } from '../engine/yaml/nodes';
import { atLeast, profileOf, releaseOf } from '../engine/servers';
import type { ServingUnit } from '../engine/analyze';
import { DEFAULT_GRACE_SECONDS } from './grace-period-truncates-generations';
import { containerLoc, serverName } from './helpers';

/** Append one item to a block or flow sequence of strings. */
function appendItem(doc: DocModelRef, seq: Node | undefined, item: string): LocEdit | undefined {
  if (!isSeq(seq) || !seq.items.length) return undefined;
  const last = nodeRange(seq.items[seq.items.length - 1]);
  const first = nodeRange(seq.items[0]);
  if (!last || !first) return undefined;
  if (seq.flow) return { loc: { doc, start: last[1], end: last[1] }, newText: `, ${JSON.stringify(item)}` };
  let end = last[1];
  while (end > 0 && /\s/.test(doc.text[end - 1] as string)) end--;
  const indent = columnOf(doc, first[0]) - 2;
  return { loc: { doc, start: end, end }, newText: `\n${' '.repeat(Math.max(0, indent))}- ${/^[\w./=-]+$/.test(item) ? item : JSON.stringify(item)}` };
}

/** The list the server's flags are in (args, else command), when it is a plain list (not a `sh -c` script). */
function flagList(unit: ServingUnit): Node | undefined {
  const c = unit.container;
  const list = c.argsNode ?? c.commandNode;
  if (!isSeq(list) || items(list).some((n) => /\s/.test((str(n) ?? '').trim()) && /(^|\s)-/.test(str(n) ?? ''))) return undefined;
  return list;
}

export const rule: Rule = {
  meta: {
    id: 'server-drain-disabled',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      "The model server aborts in-flight requests on SIGTERM unless told to drain (vLLM >= 0.18 without --shutdown-timeout), so the pod's grace period protects nothing.",
    docs: { catches: 'vLLM >= 0.18 without `--shutdown-timeout`: SIGTERM aborts running requests', fix: 'adds `--shutdown-timeout` = grace period − preStop' },
    fixable: true,
    needs: [],
    messages: {
      aborts:
        '{{server}} {{version}} aborts every in-flight request on SIGTERM: {{flag}} is {{setting}}, so the {{grace}} s grace period{{preStop}} ' +
        'drains nothing. Add {{flag}}={{timeout}} (grace period − preStop) so it stops taking requests and lets running ones finish.',
    },
  },
  check(ctx) {
    for (const unit of ctx.analysis.servers.filter((u) => u.template.role !== 'worker')) {
      const profile = profileOf(unit.server.kind);
      const sigterm = profile.sigterm;
      if (!sigterm?.flag || !sigterm.since || sigterm.defaultSeconds > 0) continue;
      // Only the server's own images carry its release in the tag (nvcr.io/nvidia/vllm:26.02 is a container release).
      const version = releaseOf(profile, unit.container.image);
      if (version === undefined || (version !== 'latest' && !atLeast(version, sigterm.since))) continue;
      const set = unit.server.args.flags.get(sigterm.flag);
      if (set && Number(set.value) > 0) continue;
      const grace = unit.template.graceSeconds ?? DEFAULT_GRACE_SECONDS;
      const preStop = unit.container.preStop?.sleepSeconds ?? 0;
      const timeout = Math.max(1, Math.floor(grace - preStop));
      const list = set ? undefined : flagList(unit);
      const doc = unit.template.doc;
      // Replace the flag's value only where it has one of its own (`--shutdown-timeout` followed by no value: no fix).
      const ownValue = set !== undefined && set.token.value !== set.flag && set.token.start !== undefined && set.token.end !== undefined;
      const edit = set
        ? ownValue ? { loc: { doc, start: set.token.start!, end: set.token.end! }, newText: String(timeout) } : undefined
        : appendItem(doc, list, `${sigterm.flag}=${timeout}`);
      ctx.report({
        loc: set?.token.start !== undefined && set.token.end !== undefined ? { doc, start: set.token.start, end: set.token.end } : containerLoc(unit),
        messageId: 'aborts',
        data: {
          server: serverName(unit),
          version: version === 'latest' ? '(latest)' : `v${version.join('.')}`,
          flag: sigterm.flag,
          setting: set ? `${set.value}` : `not set (default ${sigterm.defaultSeconds})`,
          grace,
          preStop: preStop > 0 ? ` (after the ${preStop} s preStop)` : '',
          timeout,
        },
        fixes: [fix(`Add ${sigterm.flag}=${timeout}`, [edit])],
      });
    }
  },
};
