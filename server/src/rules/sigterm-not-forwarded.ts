import type { Node } from 'yaml';
import type { Rule } from '../engine/rule';
import { fix } from '../engine/rule';
import { items, nodeRange, str } from '../engine/yaml/nodes';
import { profileOf } from '../engine/servers';
import type { ServingUnit } from '../engine/analyze';
import { serverName } from './helpers';

const SHELL = /(^|\/)(sh|bash|ash|dash|zsh)$/;
/** Shell syntax this rule does not reason about: compound commands, traps, waits, functions. */
const COMPOUND = /^(if|then|else|elif|fi|for|while|until|do|done|case|esac|select|function|trap|wait|\{|\}|coproc)$/;

export interface ScriptCommand {
  /** Offsets of the command in the script. */
  start: number;
  end: number;
  words: string[];
  /** The operator after it: newline, `;`, `&&`, `||`, `|`, `&` (background), or '' at the end. */
  after: string;
}

/** Split a shell script into simple commands at top-level operators (quotes and comments respected). */
export function scriptCommands(script: string): ScriptCommand[] {
  const out: ScriptCommand[] = [];
  let start = -1;
  let words: string[] = [];
  let word = '';
  let inWord = false;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (end: number, after: string): void => {
    endWord();
    if (start >= 0 && words.length) out.push({ start, end, words, after });
    start = -1;
    words = [];
  };
  for (let i = 0; i < script.length; i++) {
    const ch = script[i] as string;
    if (ch === '\\' && script[i + 1] === '\n') { i++; continue; }
    if (ch === '#' && !inWord) {
      while (i + 1 < script.length && script[i + 1] !== '\n') i++;
      continue;
    }
    const two = script.slice(i, i + 2);
    if (two === '&&' || two === '||') { endCommand(i, two); i++; continue; }
    if (ch === '\n' || ch === ';' || ch === '&' || ch === '|') { endCommand(i, ch); continue; }
    if (/\s/.test(ch)) { endWord(); continue; }
    if (start < 0) start = i;
    inWord = true;
    if (ch === "'" || ch === '"') {
      const close = script.indexOf(ch, i + 1);
      const stop = close < 0 ? script.length : close;
      word += script.slice(i + 1, stop);
      i = stop;
      continue;
    }
    word += ch;
  }
  endCommand(script.length, '');
  return out;
}

/** The `sh -c` script of a container and its shell, when command/args are `[shell, -c, script]`. */
export function shellScript(unit: ServingUnit): { node: Node; shell: string } | undefined {
  const list = [...items(unit.container.commandNode), ...items(unit.container.argsNode)];
  const shell = str(list[0])?.trim() ?? '';
  if (!SHELL.test(shell)) return undefined;
  const flagAt = list.findIndex((n, i) => i > 0 && /^-[a-z]*c$/.test(str(n) ?? ''));
  const node = flagAt > 0 ? list[flagAt + 1] : undefined;
  return node ? { node, shell: shell.replace(/^.*\//, '') } : undefined;
}

/** The command that starts the server (by the profile's command pattern) and the end of its server words. */
function serverCommand(commands: ScriptCommand[], unit: ServingUnit): { at: number; wordEnd: number } | undefined {
  const pattern = profileOf(unit.server.kind).command;
  if (!pattern) return undefined;
  for (let at = 0; at < commands.length; at++) {
    const words = (commands[at] as ScriptCommand).words;
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string;
      const base = w.replace(/^.*\//, '');
      if (pattern.test(w) || pattern.test(base)) return { at, wordEnd: i + 1 };
      if (pattern.test(`${base} ${words[i + 1] ?? ''}`)) return { at, wordEnd: i + 2 };
    }
  }
  return undefined;
}

function countOf(text: string, word: string): number {
  let n = 0;
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) n++;
  return n;
}

/** Offset of the (n+1)-th occurrence of `word` in text[from, to), or -1. */
function nthIndexOf(text: string, word: string, from: number, to: number, n: number): number {
  let at = text.indexOf(word, from);
  for (let k = 0; k < n && at >= 0; k++) at = text.indexOf(word, at + word.length);
  return at >= 0 && at + word.length <= to ? at : -1;
}

export const rule: Rule = {
  meta: {
    id: 'sigterm-not-forwarded',
    type: 'problem',
    defaultSeverity: 'warning',
    description:
      'A `sh -c` script starts the model server as a child process, so SIGTERM goes to the shell and the server never drains: it is SIGKILLed at the end of the grace period.',
    docs: { catches: '`sh -c` script that runs the server without `exec`: SIGTERM never reaches it', fix: 'puts `exec` before the server command' },
    fixable: true,
    needs: [],
    messages: {
      noExec:
        'The shell script starts {{server}} without `exec`: on termination the kubelet sends SIGTERM to the shell (PID 1), ' +
        'which does not forward it, so {{server}} never drains and is SIGKILLed when the grace period ends. Start it with `exec {{command}}`.',
      notLast:
        'The shell script runs more commands after {{server}}: the shell (PID 1) gets SIGTERM and does not forward it, ' +
        'so {{server}} never drains and is SIGKILLed when the grace period ends. Make `exec {{command}}` the last command.',
    },
  },
  check(ctx) {
    for (const unit of ctx.analysis.servers) {
      const found = shellScript(unit);
      const node = found?.node;
      const script = str(node);
      if (!found || !node || script === undefined) continue;
      const commands = scriptCommands(script);
      // Background jobs, pipelines, traps and compound commands: the script may handle signals itself.
      if (commands.some((c) => c.after === '&' || c.after === '|' || c.words.some((w) => COMPOUND.test(w)))) continue;
      const server = serverCommand(commands, unit);
      if (!server) continue;
      const at = server.at;
      const cmd = commands[at] as ScriptCommand;
      // Leading VAR=value assignments stay before `exec` (`A=1 exec vllm ...` keeps A in the server's environment).
      let first = 0;
      while (first < cmd.words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(cmd.words[first] as string)) first++;
      const head = cmd.words[first];
      if (!head || head === 'exec') continue;
      const isLast = at === commands.length - 1;
      // bash execs the last simple command of a `-c` string itself (bash 5.2: `bash -c 'a; b'`, `'a && b'` and a
      // lone command run `b` in bash's own process; optimize_connection_fork / should_suppress_fork in bash's
      // execute_cmd.c and builtins/evalstring.c). dash, /bin/sh on Debian and Ubuntu based server images, does not
      // (dash 0.5.12: the command is always a child, even alone). Only bash's last command is left alone.
      if (isLast && found.shell === 'bash') continue;
      const r = nodeRange(node);
      const doc = unit.template.doc;
      // The command's first word in the document: its n-th occurrence in the scalar's source, as in the script.
      const offset = r ? nthIndexOf(doc.text, head, r[0], r[1], countOf(script.slice(0, cmd.start + cmd.words.slice(0, first).join(' ').length), head)) : -1;
      const wordLoc = offset >= 0 ? { doc, start: offset, end: offset + head.length } : r ? { doc, start: r[0], end: r[1] } : undefined;
      const command = cmd.words.slice(first, Math.max(first + 1, server.wordEnd)).join(' ');
      ctx.report({
        loc: wordLoc,
        messageId: isLast ? 'noExec' : 'notLast',
        data: { server: serverName(unit), command },
        fixes: isLast && offset >= 0 && wordLoc ? [fix(`Start ${serverName(unit)} with exec`, [{ loc: { doc, start: offset, end: offset }, newText: 'exec ' }])] : [],
      });
    }
  },
};
