/**
 * Command-line parsing for model servers: turns a container's command + args (lists, `sh -c "..."` scripts,
 * `$(VAR)` references) into tokens that remember which YAML scalar they came from, then into a typed model.
 */
import type { Node } from 'yaml';
import { items, nodeRange, str } from '../yaml/nodes';

export interface Token {
  value: string;
  /** The YAML scalar the token came from and, when it can be located, its exact offsets in the document. */
  node?: Node;
  start?: number;
  end?: number;
}

const SHELLS = /(^|\/)(sh|bash|ash|dash|zsh)$/;

/** Split a shell script into words: quotes, backslash escapes and line continuations; operators become separators. */
export function shellWords(script: string): { word: string; start: number; end: number }[] {
  const out: { word: string; start: number; end: number }[] = [];
  let word = '';
  let start = -1;
  let i = 0;
  const flush = (end: number): void => {
    if (start >= 0) out.push({ word, start, end });
    word = '';
    start = -1;
  };
  while (i < script.length) {
    const ch = script[i] as string;
    if (ch === '\\' && script[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (/\s/.test(ch) || ch === ';' || ch === '&' || ch === '|' || ch === '(' || ch === ')') {
      flush(i);
      i++;
      continue;
    }
    if (start < 0) start = i;
    if (ch === '$' && (script[i + 1] === '(' || script[i + 1] === '{')) {
      // $(VAR) / ${VAR} / $(command): one word, up to the matching bracket.
      const close = script[i + 1] === '(' ? ')' : '}';
      const end = script.indexOf(close, i + 2);
      const stop = end < 0 ? script.length : end + 1;
      word += script.slice(i, stop);
      i = stop;
      continue;
    }
    if (ch === "'") {
      const close = script.indexOf("'", i + 1);
      const end = close < 0 ? script.length : close;
      word += script.slice(i + 1, end);
      i = end + 1;
      continue;
    }
    if (ch === '"') {
      i++;
      while (i < script.length && script[i] !== '"') {
        if (script[i] === '\\' && i + 1 < script.length) i++;
        word += script[i];
        i++;
      }
      i++;
      continue;
    }
    if (ch === '\\' && i + 1 < script.length) {
      word += script[i + 1];
      i += 2;
      continue;
    }
    word += ch;
    i++;
  }
  flush(script.length);
  return out;
}

/** Replace Kubernetes `$(VAR)` references (and shell `$VAR` / `${VAR}` inside scripts) with literal env values. */
export function expandVars(value: string, env: Record<string, string>, shell: boolean): string {
  let out = value.replace(/\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m, name: string) => env[name] ?? m);
  if (shell) out = out.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, name: string) => env[name] ?? m);
  return out;
}

/** Locate `word` inside the scalar's source text (for exact ranges of flags in a list or script). */
function locate(docText: string, node: Node | undefined, word: string, from: number): { start: number; end: number } | undefined {
  const r = nodeRange(node);
  if (!r) return undefined;
  const src = docText.slice(r[0], r[1]);
  const at = src.indexOf(word, Math.max(0, from - r[0]));
  if (at < 0) return { start: r[0], end: r[1] };
  return { start: r[0] + at, end: r[0] + at + word.length };
}

/** Tokens of command followed by args, with `sh -c` scripts split into words. */
export function tokenize(
  commandNode: Node | undefined,
  argsNode: Node | undefined,
  env: Record<string, string>,
  docText: string,
): Token[] {
  const raw: { value: string; node: Node }[] = [];
  for (const n of [...items(commandNode), ...items(argsNode)]) {
    const s = str(n);
    if (s !== undefined) raw.push({ value: s, node: n });
  }
  const out: Token[] = [];
  let shellSeen = false;
  for (let i = 0; i < raw.length; i++) {
    const { value, node } = raw[i] as { value: string; node: Node };
    if (SHELLS.test(value.trim())) shellSeen = true;
    const prev = raw[i - 1]?.value;
    const isScript = (shellSeen && (prev === '-c' || prev === '-ec' || prev === '-xc' || prev === '-lc')) || (shellSeen && /\s/.test(value.trim()));
    if (isScript) {
      let cursor = nodeRange(node)?.[0] ?? 0;
      for (const w of shellWords(value)) {
        const v = expandVars(w.word, env, true);
        const where = locate(docText, node, w.word, cursor);
        if (where) cursor = where.end;
        out.push({ value: v, node, ...where });
      }
      continue;
    }
    const where = locate(docText, node, value, nodeRange(node)?.[0] ?? 0);
    out.push({ value: expandVars(value, env, false), node, start: where?.start, end: where?.end });
  }
  return out;
}

export interface FlagValue {
  value: string;
  token: Token;
  flag: string;
}

/** `--flag value` / `--flag=value` / `-tp 2`. Boolean flags (next token is another flag) get value "true". */
export function parseFlags(tokens: Token[]): { flags: Map<string, FlagValue>; positionals: Token[] } {
  const flags = new Map<string, FlagValue>();
  const positionals: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const v = t.value;
    if (/^--?[A-Za-z]/.test(v)) {
      const eq = v.indexOf('=');
      if (eq > 0) {
        const flag = v.slice(0, eq);
        const value = v.slice(eq + 1);
        const tok: Token = Object.assign({}, t, { value, start: t.start !== undefined ? t.start + eq + 1 : undefined });
        if (t.start !== undefined && t.end !== undefined && t.end - t.start !== v.length) {
          tok.start = t.start;
        }
        flags.set(normalizeFlag(flag), { value, token: tok, flag });
        continue;
      }
      const next = tokens[i + 1];
      if (next && !/^--?[A-Za-z]/.test(next.value)) {
        flags.set(normalizeFlag(v), { value: next.value, token: next, flag: v });
        i++;
      } else {
        flags.set(normalizeFlag(v), { value: 'true', token: t, flag: v });
      }
      continue;
    }
    positionals.push(t);
  }
  return { flags, positionals };
}

/** `--max_model_len` and `--max-model-len` are the same flag for vLLM / SGLang. */
export function normalizeFlag(flag: string): string {
  return flag.replace(/_/g, '-').toLowerCase();
}
