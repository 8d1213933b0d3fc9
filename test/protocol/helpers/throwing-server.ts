/** The language server with the built-in rules plus one that throws (rule isolation tests). */
import { startServer } from '../../../server/src/lsp/server';
import { ALL_RULES } from '../../../server/src';
import { throwingRule } from '../../helpers/throwing-rule';

startServer({ rules: [...ALL_RULES, throwingRule] });
