/** Offset ↔ line/column conversion (0-based lines and UTF-16 columns, like LSP). */
export class LineIndex {
  private readonly starts: number[];
  constructor(
    private readonly text: string,
    starts?: number[],
  ) {
    this.starts = starts ?? LineIndex.lineStarts(text, 0, text.length, [0]);
  }

  private static lineStarts(text: string, from: number, to: number, out: number[]): number[] {
    for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) out.push(i + 1);
    return out;
  }

  /**
   * The index of `text`, an edit of `previous`'s text that left its first `prefix` and last `suffix` characters
   * alone: line starts before the edit are kept, those after it shifted, and only the edited span is scanned.
   */
  static afterEdit(previous: LineIndex, text: string, prefix: number, suffix: number): LineIndex {
    const old = previous.starts;
    const delta = text.length - previous.text.length;
    // Starts up to `prefix` follow a line break before it; starts past the old edit end follow one in the suffix.
    const keep = previous.firstAbove(prefix);
    const after = previous.firstAbove(previous.text.length - suffix);
    const starts = LineIndex.lineStarts(text, prefix, text.length - suffix, old.slice(0, keep));
    for (let i = after; i < old.length; i++) starts.push((old[i] as number) + delta);
    return new LineIndex(text, starts);
  }

  /** Index of the first line start greater than `offset`. */
  private firstAbove(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.starts[mid] as number) <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  position(offset: number): { line: number; character: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] as number) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - (this.starts[lo] as number) };
  }

  offset(line: number, character: number): number {
    if (line >= this.starts.length) return this.text.length;
    const start = this.starts[Math.max(0, line)] as number;
    const next = line + 1 < this.starts.length ? (this.starts[line + 1] as number) : this.text.length + 1;
    return Math.min(start + Math.max(0, character), next - 1, this.text.length);
  }
}
