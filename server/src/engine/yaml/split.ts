/**
 * Splits a multi-document YAML text into documents at `---` / `...` marker lines, so that each document
 * can be parsed and cached on its own (an edit in one document leaves the others' cache entries intact).
 * A `---` line at column 0 always starts a new document in YAML (it also ends any block scalar), so this
 * split agrees with the YAML spec for the documents Kubernetes users write.
 */
export interface DocumentChunk {
  /** Offset of the chunk's first character in the whole text. */
  base: number;
  text: string;
  index: number;
}

const MARKER = /^(---|\.\.\.)(?=[ \t]|\r?$)/;

export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let start = 0;
  let pos = 0;
  while (pos <= text.length) {
    const nl = text.indexOf('\n', pos);
    const lineEnd = nl === -1 ? text.length : nl;
    const line = text.slice(pos, lineEnd);
    const m = MARKER.exec(line);
    if (m?.[1] === '---' && pos > start) {
      chunks.push({ base: start, text: text.slice(start, pos), index: chunks.length });
      start = pos;
    } else if (m?.[1] === '...') {
      // `...` ends the document: the next one starts after this line.
      const next = nl === -1 ? text.length : nl + 1;
      chunks.push({ base: start, text: text.slice(start, next), index: chunks.length });
      start = next;
    }
    if (nl === -1) break;
    pos = nl + 1;
  }
  if (start < text.length || chunks.length === 0) {
    chunks.push({ base: start, text: text.slice(start), index: chunks.length });
  }
  return chunks;
}

/**
 * Argo Rollouts / Workflows placeholders (`{{args.job}}`, `{{ inputs.parameters.x }}`) are valid YAML strings,
 * not Helm: they are left alone.
 */
const ARGO_PLACEHOLDER = /^\s*(args|inputs|outputs|workflow|steps|tasks|item|templates|metrics|experiment|pod)\b[\w.\-[\]"']*\s*$/;

/**
 * KServe ServingRuntimes template their containers over the InferenceService's metadata (`--model_name={{.Name}}`;
 * kserve/kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go:324-337): valid YAML, not Helm.
 */
const KSERVE_PLACEHOLDER = /^\s*\.(Name|Namespace|Labels|Annotations)\b[\w.\-[\]"']*\s*$/;
const KSERVE_RUNTIME = /^kind:\s*(Cluster)?ServingRuntime\s*$/m;

/** Position of the first Helm / Go-template action in the text, or -1. */
export function findTemplateSyntax(text: string): number {
  const re = /\{\{(-?)([^}]*)\}\}/g;
  const runtime = text.includes('ServingRuntime') && KSERVE_RUNTIME.test(text);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!m[1] && ARGO_PLACEHOLDER.test(m[2] ?? '')) continue;
    if (runtime && !m[1] && KSERVE_PLACEHOLDER.test(m[2] ?? '')) continue;
    return m.index;
  }
  return -1;
}
