import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { replacePair } from '../engine/edits';
import { loc } from '../engine/yaml/nodes';
import { envEntries } from './model-source';

/** Env names that hold credentials: *_TOKEN, *_API_KEY (HF_TOKEN, NGC_API_KEY, OPENAI_API_KEY, …), *_SECRET_KEY. */
const SECRET_ENV = /(^|_)(TOKEN|API_?KEY|ACCESS_TOKEN|SECRET_ACCESS_KEY|SECRET_KEY|AUTH_TOKEN)$/;
/** …but not limits named like them (MAX_TOKEN, NUM_TOKEN). */
const NOT_SECRET_ENV = /(^|_)(MAX|MIN|NUM|N|LIMIT|COUNT)_/;
/** Server flags that take a credential. */
const SECRET_FLAGS = new Set(['--api-key', '--hf-token', '--huggingface-token', '--hf-api-token', '--token']);

/**
 * Prefixes of real credentials: Hugging Face user access tokens `hf_` (huggingface.co/docs/hub/security-tokens),
 * OpenAI `sk-`, NVIDIA API catalog `nvapi-`, Groq `gsk_`, GitHub `ghp_` / `github_pat_`, Slack `xox?-`.
 */
const KNOWN_PREFIX = /^(hf_|sk-|nvapi-|gsk_|ghp_|github_pat_|xox[abp]-)/;
/** Values that stand for "put your secret here" or "no secret": never reported. */
const PLACEHOLDER = /[<>{}\s]|\$|^(changeme|change[-_]?me|replace[-_]?me|todo|none|null|nil|empty|dummy|fake|test|example|placeholder|secret|token|password|xxx+|\*+|\.+|-+)$|your|xxxx|redacted|insert|replace|example|dummy|placeholder/i;

/** Whether a literal value looks like a real credential (not empty, not a placeholder such as "<your-token>"). */
export function looksLikeSecret(value: string): boolean {
  const v = value.trim();
  if (v === '' || PLACEHOLDER.test(v)) return false;
  // An env-var name standing in for the value (value: HF_TOKEN), or all caps (nvapi-NVKEY).
  const body = v.replace(KNOWN_PREFIX, '');
  if (/^[A-Z0-9_-]+$/.test(body) && !/\d/.test(body)) return false;
  if (KNOWN_PREFIX.test(v)) return body.length >= 16;
  // No known prefix: long, no spaces, letters and digits mixed (a random string, not a word).
  return v.length >= 16 && /[A-Za-z]/.test(v) && /\d/.test(v);
}

/** First 3 characters and an ellipsis: enough to recognise the value, not to use it. */
export function mask(value: string): string {
  return `${value.trim().slice(0, 3)}…`;
}

export const rule: Rule = {
  meta: {
    id: 'plaintext-secret',
    type: 'problem',
    defaultSeverity: 'error',
    description:
      'A Hub token or API key is written literally in the manifest (env value or server argument): anyone who can read the manifest, its Git history or the pod spec can use it.',
    docs: { catches: 'HF_TOKEN / *_API_KEY / --api-key with a literal secret value', fix: 'reads the env variable from a Secret (secretKeyRef)' },
    fixable: true,
    needs: [],
    messages: {
      env:
        'Env {{name}} holds a literal secret ({{masked}}): anyone who can read this manifest, its Git history or the pod spec ' +
        '(kubectl get pod -o yaml) can use it. Put it in a Secret and reference it with valueFrom.secretKeyRef, then rotate the exposed one.',
      arg:
        '{{flag}} is given a literal secret ({{masked}}) on the server command line: it is visible in the manifest, its Git history, the pod spec ' +
        'and the process list. Pass it from a Secret through an env variable ({{flag}} $(VAR)), then rotate the exposed one.',
    },
  },
  check(ctx) {
    const a = ctx.analysis;
    for (const template of a.templates) {
      const doc = template.doc;
      for (const c of template.containers) {
        for (const e of envEntries(c, doc)) {
          if (!e.valuePair || e.value === undefined || !SECRET_ENV.test(e.name) || NOT_SECRET_ENV.test(e.name)) continue;
          if (!looksLikeSecret(e.value)) continue;
          const secret = e.name.toLowerCase().replace(/_/g, '-');
          ctx.report({
            loc: loc(doc, e.valuePair.value),
            messageId: 'env',
            data: { name: e.name, masked: mask(e.value) },
            fixes: [
              fix(`Read ${e.name} from Secret "${secret}" (create it first: kubectl create secret generic ${secret} --from-literal=${e.name}=…)`, [
                replacePair(doc, e.valuePair, `valueFrom:\n  secretKeyRef:\n    name: ${secret}\n    key: ${e.name}`),
              ]),
            ],
          });
        }
      }
    }
    for (const unit of a.servers) {
      const doc = unit.template.doc;
      const tokens = unit.server.args.tokens;
      tokens.forEach((t, i) => {
        const eq = t.value.indexOf('=');
        const flag = (eq > 0 ? t.value.slice(0, eq) : t.value).toLowerCase().replace(/_/g, '-');
        if (!SECRET_FLAGS.has(flag)) return;
        const valueToken = eq > 0 ? Object.assign({}, t, { value: t.value.slice(eq + 1), start: t.start !== undefined ? t.start + eq + 1 : undefined }) : tokens[i + 1];
        if (!valueToken || valueToken.start === undefined || valueToken.end === undefined) return;
        const end = eq > 0 ? valueToken.start + valueToken.value.length : valueToken.end;
        // Written literally here: a $(VAR) expanded from env is the env entry's finding.
        if (doc.text.slice(valueToken.start, end) !== valueToken.value || !looksLikeSecret(valueToken.value)) return;
        if (flag === '--token' && !KNOWN_PREFIX.test(valueToken.value)) return;
        ctx.report({
          loc: { doc, start: valueToken.start, end },
          messageId: 'arg',
          data: { flag, masked: mask(valueToken.value) },
        });
      });
    }
  },
};
