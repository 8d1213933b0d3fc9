import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { replacePair, setScalar } from '../engine/edits';
import { loc } from '../engine/yaml/nodes';
import { budgetOf, budgetsOf, instancesOf, podsOf } from './disruption-budget';
import { plural } from './helpers';

export const rule: Rule = {
  meta: {
    id: 'disruption-budget-blocks-drain',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'A PodDisruptionBudget that selects a model server allows no eviction (minAvailable ≥ its pods, or maxUnavailable 0): node drains and upgrades block until someone deletes it.',
    docs: { catches: 'a PDB on a model server with minAvailable ≥ pods or maxUnavailable 0', fix: 'maxUnavailable: 1 (when 2+ pods)' },
    fixable: true,
    needs: [],
    messages: {
      blocks:
        'PodDisruptionBudget {{pdb}} ({{budget}}) allows 0 evictions of its {{pods}}: `kubectl drain`, cluster and GPU-driver upgrades and ' +
        'node autoscaler scale-down wait on it forever (managed node upgrades force the eviction after a timeout instead). {{advice}}',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    const pods = podsOf(a);
    if (pods < 1) return;
    // A fix is safe with 2+ serving instances: a drain then stops one while the others serve.
    const several = instancesOf(a) > 1;
    for (const pdb of budgetsOf(a)) {
      const b = budgetOf(pdb, pods);
      if (!b || b.allowed > 0) continue;
      const other = b.field === 'minAvailable' ? undefined : b.pair;
      const edit = b.field === 'minAvailable' ? replacePair(pdb.doc, b.pair, 'maxUnavailable: 1') : setScalar(pdb.doc, (other?.value ?? undefined) as never, '1');
      ctx.report({
        loc: loc(pdb.doc, b.pair.value),
        messageId: 'blocks',
        data: {
          pdb: pdb.name ?? '(unnamed)',
          budget: b.shown,
          pods: plural(pods, 'pod'),
          advice:
            several
              ? 'maxUnavailable: 1 lets drains evict one pod at a time while the others serve.'
              : `With ${pods > 1 ? 'one serving instance (evicting any of its pods stops it)' : '1 pod'} no budget both keeps it serving and lets drains proceed: run 2 replicas, then use maxUnavailable: 1.`,
        },
        fixes: several ? [fix('Allow one eviction at a time (maxUnavailable: 1)', [edit])] : [],
      });
    }
  },
};
