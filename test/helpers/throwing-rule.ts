/** A rule that always throws: tests use it to show that one failing rule costs only its own findings. */
import type { Rule } from '../../server/src';

export const THROWING_RULE_ID = 'test-rule-that-throws';

export const throwingRule: Rule = {
  meta: {
    id: THROWING_RULE_ID,
    type: 'problem',
    defaultSeverity: 'error',
    description: 'A rule for tests only: it throws on every workload.',
    docs: { catches: 'nothing: it throws' },
    fixable: false,
    needs: [],
    messages: { never: 'never reported' },
  },
  check() {
    throw new Error('boom from a test rule');
  },
};
