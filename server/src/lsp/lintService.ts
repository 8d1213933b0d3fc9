/**
 * One Linter for the whole server, one cached result per open document (keyed by version and settings
 * generation). Linting is synchronous; staleness is handled around it: settings are awaited first, then
 * the *current* text is linted, and callers drop results whose version is no longer current.
 */
import type { CancellationToken, TextDocumentContentChangeEvent, TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLinter, LineIndex, type Linter, type Rule } from '..';
import type { LintResult } from '../engine/api';
import { resplitDocuments, splitDocuments, type DocumentChunk } from '../engine/yaml/split';
import type { ServelintConfig } from '../engine/types';
import { isConfigFileUri, type SettingsStore } from './settings';

export interface LintEntry {
  uri: string;
  version: number;
  generation: number;
  text: string;
  languageId: string;
  /** Offsets ↔ positions in `text` (the linted snapshot, not the live document). */
  lines: LineIndex;
  /** The line index of the text this one was edited from, and how many leading characters they share. */
  editedFrom?: { lines: LineIndex; prefix: number };
  enabled: boolean;
  config: ServelintConfig;
  result: LintResult;
}

const EMPTY: LintResult = { findings: [], workloads: [] };

/** Only YAML manifests are linted (.servelint.yaml files are handled as config, not manifests). */
export function isManifest(doc: TextDocument): boolean {
  if (isConfigFileUri(doc.uri)) return false;
  if (doc.languageId === 'yaml') return true;
  const path = doc.uri.split(/[?#]/)[0] ?? '';
  return /\.ya?ml$/i.test(path);
}

interface Snapshot {
  text: string;
  chunks: DocumentChunk[];
  lines: LineIndex;
  /** The snapshot's line index this one was made from, and how many leading characters they share. */
  from?: { lines: LineIndex; prefix: number };
}

/** How much of the last split text the edits since have left alone at its start and at its end. */
interface Untouched {
  prefix: number;
  suffix: number;
}

export class LintService {
  readonly linter: Linter;
  private cache = new Map<string, LintEntry>();
  /** The last linted text of each document, its YAML documents and line index (redone only around edits). */
  private snapshots = new Map<string, Snapshot>();
  private untouched = new Map<string, Untouched>();

  constructor(
    private readonly documents: TextDocuments<TextDocument>,
    private readonly settings: SettingsStore,
    rules: readonly Rule[],
  ) {
    this.linter = createLinter(rules);
  }

  /**
   * TextDocuments' update (server.ts passes it in): applies the changes one at a time, recording the part of the
   * text they leave alone at either end, so the next lint re-splits and re-parses only the YAML documents around them.
   */
  readonly update = (doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument => {
    const u = this.untouched.get(doc.uri) ?? { prefix: Infinity, suffix: Infinity };
    for (const c of changes) {
      const length = doc.getText().length;
      if ('range' in c && c.range) {
        u.prefix = Math.min(u.prefix, doc.offsetAt(c.range.start));
        u.suffix = Math.min(u.suffix, length - doc.offsetAt(c.range.end));
      } else {
        u.prefix = 0;
        u.suffix = 0;
      }
      doc = TextDocument.update(doc, [c], version);
    }
    this.untouched.set(doc.uri, u);
    return doc;
  };

  /**
   * The YAML documents and line index of `text`, the document's current text: from the last ones, redone only around
   * the edits since (when they are known; else from scratch).
   */
  private snapshot(uri: string, text: string): Snapshot {
    const prev = this.snapshots.get(uri);
    const u = this.untouched.get(uri);
    this.untouched.delete(uri);
    let next: Snapshot | undefined;
    if (prev && prev.text === text) next = prev;
    else if (prev && u) {
      const prefix = Math.min(u.prefix, prev.text.length, text.length);
      const suffix = Math.min(u.suffix, prev.text.length - prefix, text.length - prefix);
      const chunks = resplitDocuments(prev.chunks, text, prefix, suffix);
      const last = chunks[chunks.length - 1];
      if (last && last.base + last.text.length === text.length) next = { text, chunks, lines: LineIndex.afterEdit(prev.lines, text, prefix, suffix), from: { lines: prev.lines, prefix } };
    }
    next ??= { text, chunks: splitDocuments(text), lines: new LineIndex(text) };
    this.snapshots.set(uri, next);
    return next;
  }

  /** The cached result when it matches the document's current version and settings. */
  current(uri: string): LintEntry | undefined {
    const e = this.cache.get(uri);
    const doc = this.documents.get(uri);
    if (!e || !doc || e.version !== doc.version || e.generation !== this.settings.generation) return undefined;
    return e;
  }

  /**
   * Lint the document's current text (or return the cached result). Undefined when the document is closed,
   * is not a manifest, or the token was cancelled while settings were being fetched.
   */
  async lint(uri: string, token?: CancellationToken): Promise<LintEntry | undefined> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const hit = this.current(uri);
      if (hit) return hit;
      const doc = this.documents.get(uri);
      if (!doc || !isManifest(doc)) return undefined;
      const generation = this.settings.generation;
      const settings = await this.settings.forDocument(uri);
      if (token?.isCancellationRequested) return undefined;
      if (generation !== this.settings.generation) continue; // settings changed while we waited
      const now = this.documents.get(uri);
      if (!now || !isManifest(now)) return undefined;
      const again = this.current(uri);
      if (again) return again;
      const text = now.getText();
      const snap = this.snapshot(uri, text);
      const result = settings.enabled ? this.linter.lint(text, { config: settings.config, fileName: uri }, snap.chunks) : EMPTY;
      const entry: LintEntry = { uri, version: now.version, generation, text, languageId: now.languageId, lines: snap.lines, editedFrom: snap.from, enabled: settings.enabled, config: settings.config, result };
      this.cache.set(uri, entry);
      return entry;
    }
    return undefined;
  }

  forget(uri: string): void {
    this.cache.delete(uri);
    this.snapshots.delete(uri);
    this.untouched.delete(uri);
  }
}
