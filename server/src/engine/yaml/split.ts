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
 * A documentation placeholder in upper case (`hf_api_token: {{HF_TOKEN}}` in GoogleCloudPlatform/kubernetes-engine-
 * samples ai-ml/llm-serving-llama/vllm, replaced by hand or by sed before applying): not a Go template action, since
 * Helm's functions are all lower case (`{{HF_TOKEN}}` would fail to render), so the file is analysed.
 */
const UPPER_PLACEHOLDER = /^\s*[A-Z][A-Z0-9_]*\s*$/;

/**
 * KServe ServingRuntimes template their containers over the InferenceService's metadata (`--model_name={{.Name}}`;
 * kserve/kserve pkg/controller/v1beta1/inferenceservice/utils/utils.go:324-337): valid YAML, not Helm.
 */
const KSERVE_PLACEHOLDER = /^\s*\.(Name|Namespace|Labels|Annotations)\b[\w.\-[\]"']*\s*$/;
const KSERVE_RUNTIME = /^kind:\s*(Cluster)?ServingRuntime\s*$/m;

/**
 * KServe renders an LLMInferenceService's merged spec as a Go template over the object itself, with a ChildName
 * function (kserve/kserve@aaac4e29 pkg/controller/v1alpha2/llmisvc/config_merge.go:713-722): `{{ ChildName
 * .ObjectMeta.Name `-epp-service` }}` in a sample's args is KServe's, not Helm's.
 */
const LLMISVC_PLACEHOLDER = /^\s*(ChildName\s+)?\.(ObjectMeta\.)?(Name|Namespace|Labels|Annotations|Spec|GlobalConfig)\b[\w.\-[\]"'`\s]*$/;
const LLMISVC = /^kind:\s*LLMInferenceService(Config)?\s*$/m;

/** A block scalar header line: `key: |`, `- >-`, `key: |2+` (the scalar's lines follow, more indented). */
const BLOCK_HEADER = /^(\s*)(?:-\s+|[^#\s][^#]*:\s+)[|>][-+0-9]*\s*(#.*)?$/;

/**
 * The [start, end) offsets of the block scalar whose content holds `at`, if it is a Jinja template: it has
 * statement tags (`{%- if %}`), which Go templates (Helm) do not have. A vLLM / TGI chat template in a ConfigMap
 * (vllm-project/vllm examples/tool_chat_template_llama3.1_json.jinja, served with --chat-template) is a YAML
 * string, not Helm.
 */
function jinjaBlockAround(text: string, at: number): [number, number] | undefined {
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const indentOf = (line: string) => /^\s*/.exec(line)?.[0].length ?? 0;
  let minIndent = indentOf(text.slice(lineStart, at));
  for (let pos = lineStart; pos > 0; ) {
    const prevStart = text.lastIndexOf('\n', pos - 2) + 1;
    const line = text.slice(prevStart, pos - 1);
    pos = prevStart;
    if (line.trim() === '') continue;
    const indent = indentOf(line);
    if (indent >= minIndent) continue;
    const header = BLOCK_HEADER.exec(line);
    if (!header) {
      minIndent = indent;
      continue;
    }
    const contentStart = text.indexOf('\n', prevStart) + 1;
    let end = contentStart;
    for (let next = contentStart; next < text.length; ) {
      const nl = text.indexOf('\n', next);
      const lineEnd = nl === -1 ? text.length : nl;
      const l = text.slice(next, lineEnd);
      if (l.trim() !== '' && indentOf(l) <= indent) break;
      end = nl === -1 ? text.length : nl + 1;
      next = end;
    }
    return at < end && /\{%-?\s*(if|for|set|macro|raw|endif|endfor)\b/.test(text.slice(contentStart, end)) ? [contentStart, end] : undefined;
  }
  return undefined;
}

/** Position of the first Helm / Go-template action in the text, or -1. */
export function findTemplateSyntax(text: string): number {
  if (!text.includes('{{')) return -1; // the common case, without running the regex over the whole text
  const re = /\{\{(-?)([^}]*)\}\}/g;
  const runtime = text.includes('ServingRuntime') && KSERVE_RUNTIME.test(text);
  const llmisvc = text.includes('LLMInferenceService') && LLMISVC.test(text);
  const jinja = text.includes('{%');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (!m[1] && (ARGO_PLACEHOLDER.test(m[2] ?? '') || UPPER_PLACEHOLDER.test(m[2] ?? ''))) continue;
    if (runtime && !m[1] && KSERVE_PLACEHOLDER.test(m[2] ?? '')) continue;
    if (llmisvc && !m[1] && LLMISVC_PLACEHOLDER.test(m[2] ?? '')) continue;
    const block = jinja ? jinjaBlockAround(text, m.index) : undefined;
    if (block) {
      re.lastIndex = block[1];
      continue;
    }
    return m.index;
  }
  return -1;
}

/**
 * `splitDocuments(text)` for an edited text, given the previous text's chunks and how much of it the edit left
 * alone: its first `prefix` and last `suffix` characters. Chunks wholly inside the untouched prefix are reused, those
 * inside the untouched suffix are reused with their offset shifted (same text string, so the linter's per-document
 * cache finds them without hashing their text again); only the chunks around the edit (one more on each side, since
 * typing or deleting a line break can create, join or split a `---` line) are split again.
 */
export function resplitDocuments(previous: readonly DocumentChunk[], text: string, prefix: number, suffix: number): DocumentChunk[] {
  const last = previous[previous.length - 1];
  if (!last) return splitDocuments(text);
  const oldLength = last.base + last.text.length;
  const delta = text.length - oldLength;
  // Previous chunks [0, first) end before the edit with a chunk to spare; chunks [after, n) start past it likewise.
  let first = 0;
  while (first < previous.length && (previous[first] as DocumentChunk).base + (previous[first] as DocumentChunk).text.length < prefix) first++;
  first = Math.max(0, first - 1);
  const editEnd = oldLength - suffix;
  let after = previous.length;
  while (after > first && (previous[after - 1] as DocumentChunk).base > editEnd) after--;
  after = Math.min(previous.length, after + 1);
  if (first === 0 && after === previous.length) return splitDocuments(text);
  const from = (previous[first] as DocumentChunk).base;
  const to = after < previous.length ? (previous[after] as DocumentChunk).base + delta : text.length;
  const out: DocumentChunk[] = previous.slice(0, first);
  // A non-empty text splits into non-empty chunks.
  if (from < to) for (const c of splitDocuments(text.slice(from, to))) out.push({ base: from + c.base, text: c.text, index: 0 });
  for (let i = after; i < previous.length; i++) {
    const c = previous[i] as DocumentChunk;
    out.push({ base: c.base + delta, text: c.text, index: 0 });
  }
  for (let i = first; i < out.length; i++) (out[i] as DocumentChunk).index = i;
  return out;
}
